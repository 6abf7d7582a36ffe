// SPDX-License-Identifier: GPL-2.0
/*
 * CPU topology from CPUID (hv/topology.h). References: Intel SDM vol. 2A,
 * CPUID leaves 01H, 04H, 0BH and 1FH, and vol. 3A 10.9 ("Programming
 * considerations for hardware multi-threading capable processors"); AMD
 * APM vol. 3 appendix E.4 (CPUID Fn8000_0008, Fn8000_001E, Fn0000_000B)
 * and E.5 ("Multiple core calculation").
 */
#include <hv/topology.h>

#define LEVEL_INVALID	0
#define LEVEL_SMT	1
#define MAX_SUBLEAVES	16

/* Bits needed to number @n items: the smallest s with 2^s >= n. */
static u8 bits_for(u32 n)
{
	u8 s = 0;

	while (s < 32 && (1ull << s) < n)
		s++;
	return s;
}

static bool is_vendor(const struct topo_regs *leaf0, const char *v)
{
	u32 w[3] = { leaf0->ebx, leaf0->edx, leaf0->ecx };

	for (u32 i = 0; i < 12; i++)
		if ((char)(w[i / 4] >> (8 * (i % 4))) != v[i])
			return false;
	return true;
}

/*
 * Leaf 0xB or 0x1F: subleaf by subleaf, ECX[15:8] the level type (0 ends
 * the list, 1 SMT), EAX[4:0] the shift to the next level's ID. The last
 * valid level's shift is the package's. A leaf whose subleaf 0 reports
 * no logical processors (EBX[15:0] = 0) is not implemented.
 */
static bool walk_levels(topo_cpuid_fn cpuid, void *ctx, u32 leaf,
			struct topo_shifts *out)
{
	struct topo_regs r;
	bool any = false;
	u8 smt = 0, pkg = 0;

	for (u32 sub = 0; sub < MAX_SUBLEAVES; sub++) {
		u32 type;

		cpuid(ctx, leaf, sub, &r);
		type = (r.ecx >> 8) & 0xff;
		if (type == LEVEL_INVALID || (sub == 0 && !(r.ebx & 0xffff)))
			break;
		if (type == LEVEL_SMT)
			smt = r.eax & 0x1f;
		pkg = r.eax & 0x1f;
		any = true;
	}
	if (!any || smt > pkg)
		return false;
	out->smt_shift = smt;
	out->pkg_shift = pkg;
	out->source = leaf == 0x1f ? "CPUID leaf 0x1f" : "CPUID leaf 0xb";
	return true;
}

/*
 * Leaf 1 EBX[23:16]: addressable logical processors per package (valid
 * with EDX[28], HTT); leaf 4 EAX[31:26] + 1: addressable cores per
 * package (Intel).
 */
static void legacy_intel(topo_cpuid_fn cpuid, void *ctx, u32 max_leaf,
			 struct topo_shifts *out)
{
	struct topo_regs r;
	u32 logical = 1, cores = 1;

	cpuid(ctx, 1, 0, &r);
	if (r.edx & (1u << 28))
		logical = (r.ebx >> 16) & 0xff;
	if (max_leaf >= 4) {
		cpuid(ctx, 4, 0, &r);
		if (r.eax & 0x1f)	/* a cache level is described */
			cores = ((r.eax >> 26) & 0x3f) + 1;
	}
	if (!logical)
		logical = 1;
	if (cores > logical)
		cores = logical;
	out->pkg_shift = bits_for(logical);
	out->smt_shift = bits_for(logical / cores);
	out->source = "CPUID leaves 1 and 4";
}

/*
 * Fn8000_0008 ECX[15:12] ApicIdSize: the APIC ID bits of the core (thread
 * included) in the package, or, when 0, enough bits for ECX[7:0] + 1
 * threads. Fn8000_001E EBX[15:8] + 1: threads per core (with TopoExt,
 * Fn8000_0001 ECX[22]).
 */
static void amd_ext(topo_cpuid_fn cpuid, void *ctx, u32 max_ext,
		    struct topo_shifts *out)
{
	struct topo_regs r;
	u32 threads = 1, size;
	bool topoext;

	cpuid(ctx, 0x80000001, 0, &r);
	topoext = max_ext >= 0x80000001 && (r.ecx & (1u << 22));
	out->pkg_shift = 0;
	out->source = "none (one thread per package)";
	if (max_ext >= 0x80000008) {
		cpuid(ctx, 0x80000008, 0, &r);
		size = (r.ecx >> 12) & 0xf;
		out->pkg_shift = size ? (u8)size : bits_for((r.ecx & 0xff) + 1);
		out->source = "CPUID 0x80000008";
	}
	if (topoext && max_ext >= 0x8000001e) {
		cpuid(ctx, 0x8000001e, 0, &r);
		threads = ((r.ebx >> 8) & 0xff) + 1;
		out->source = "CPUID 0x8000001e and 0x80000008";
	}
	out->smt_shift = bits_for(threads);
	if (out->smt_shift > out->pkg_shift)
		out->pkg_shift = out->smt_shift;
}

void topo_probe(topo_cpuid_fn cpuid, void *ctx, struct topo_shifts *out)
{
	struct topo_regs leaf0, r;
	u32 max_ext;
	bool amd;

	cpuid(ctx, 0, 0, &leaf0);
	cpuid(ctx, 0x80000000, 0, &r);
	max_ext = r.eax >= 0x80000000 ? r.eax : 0;
	amd = is_vendor(&leaf0, "AuthenticAMD") ||
	      is_vendor(&leaf0, "HygonGenuine");

	if (!amd && leaf0.eax >= 0x1f && walk_levels(cpuid, ctx, 0x1f, out))
		return;
	if (leaf0.eax >= 0xb && walk_levels(cpuid, ctx, 0xb, out))
		return;
	if (amd)
		amd_ext(cpuid, ctx, max_ext, out);
	else
		legacy_intel(cpuid, ctx, leaf0.eax, out);
}

void topo_decode(const struct topo_shifts *s, u32 apic_id,
		 struct cpu_topo *out)
{
	u32 smt_mask = (u32)((1ull << s->smt_shift) - 1);
	u32 core_mask = (u32)((1ull << (s->pkg_shift - s->smt_shift)) - 1);

	out->thread = apic_id & smt_mask;
	out->core = (u32)((u64)apic_id >> s->smt_shift) & core_mask;
	out->package = (u32)((u64)apic_id >> s->pkg_shift);
}

void topo_count(const struct topo_shifts *s, const u32 *apic_ids, u32 n,
		struct topo_count *out)
{
	out->packages = out->cores = 0;
	out->threads = n;
	for (u32 i = 0; i < n; i++) {
		struct cpu_topo t;
		bool new_pkg = true, new_core = true;

		topo_decode(s, apic_ids[i], &t);
		for (u32 j = 0; j < i; j++) {
			struct cpu_topo u;

			topo_decode(s, apic_ids[j], &u);
			if (u.package == t.package) {
				new_pkg = false;
				if (u.core == t.core)
					new_core = false;
			}
		}
		out->packages += new_pkg;
		out->cores += new_core;
	}
}
