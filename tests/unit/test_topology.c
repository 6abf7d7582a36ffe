/* sources: hv/topology.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the CPU topology (hv/topology.c): CPUID tables of the
 * shapes the parser must tell apart, decoded APIC IDs and counts. The
 * first table is what QEMU 10.0 (-cpu max, TCG) reports for
 * -smp 24,sockets=2,cores=6,threads=2, whose CPU 23 has APIC ID 27 (read
 * back from perfvisor's banner); the others are built from the SDM's and
 * the APM's definitions of the leaves, one shape each.
 */
#include "unit.h"
#include <hv/topology.h>

struct leaf {
	u32 leaf, sub;
	struct topo_regs r;
};

#define END { ~0u, 0, { 0, 0, 0, 0 } }

/* "GenuineIntel" / "AuthenticAMD" in EBX, EDX, ECX. */
#define INTEL 0x756e6547, 0x6c65746e, 0x49656e69
#define AMD   0x68747541, 0x444d4163, 0x69746e65

static void fake_cpuid(void *ctx, u32 leaf, u32 sub, struct topo_regs *r)
{
	const struct leaf *t = ctx;

	for (; t->leaf != ~0u; t++) {
		/* Leaves without subleaves answer whatever ECX is. */
		bool subleaves = t->leaf == 4 || t->leaf == 0xb ||
				 t->leaf == 0x1f;

		if (t->leaf == leaf && (!subleaves || t->sub == sub)) {
			*r = t->r;
			return;
		}
	}
	*r = (struct topo_regs){ 0, 0, 0, 0 };	/* out of range: zeros */
}

static void probe(const struct leaf *t, struct topo_shifts *s)
{
	memset(s, 0xee, sizeof(*s));
	topo_probe(fake_cpuid, (void *)t, s);
}

static void check_decode(const struct topo_shifts *s, u32 id, u32 pkg,
			 u32 core, u32 thread)
{
	struct cpu_topo t;

	topo_decode(s, id, &t);
	assert_int_equal(t.package, pkg);
	assert_int_equal(t.core, core);
	assert_int_equal(t.thread, thread);
}

/* QEMU: AMD vendor, leaf 0xB with 1 bit of thread and 3 bits of core. */
static const struct leaf qemu_2s6c2t[] = {
	{ 0, 0, { 0xd, AMD } },
	{ 0xb, 0, { 1, 2, 0x100, 27 } },
	{ 0xb, 1, { 4, 12, 0x201, 27 } },
	{ 0xb, 2, { 0, 0, 0x002, 27 } },
	{ 0x80000000, 0, { 0x80000008, 0, 0, 0 } },
	END
};

static void test_qemu_two_sockets(void **state)
{
	struct topo_shifts s;
	struct topo_count n;
	u32 ids[24], k = 0;

	(void)state;
	probe(qemu_2s6c2t, &s);
	assert_int_equal(s.smt_shift, 1);
	assert_int_equal(s.pkg_shift, 4);
	assert_string_equal(s.source, "CPUID leaf 0xb");
	check_decode(&s, 0, 0, 0, 0);
	check_decode(&s, 11, 0, 5, 1);
	check_decode(&s, 16, 1, 0, 0);
	check_decode(&s, 27, 1, 5, 1);	/* cpu23 */
	for (u32 p = 0; p < 2; p++)
		for (u32 c = 0; c < 6; c++)
			for (u32 t = 0; t < 2; t++)
				ids[k++] = p << 4 | c << 1 | t;
	topo_count(&s, ids, k, &n);
	assert_int_equal(n.packages, 2);
	assert_int_equal(n.cores, 12);
	assert_int_equal(n.threads, 24);
	/* The first CPUs only: one package, two cores. */
	topo_count(&s, ids, 3, &n);
	assert_int_equal(n.packages, 1);
	assert_int_equal(n.cores, 2);
	assert_int_equal(n.threads, 3);
}

/* Intel with leaf 0x1F: SMT, core and die levels (the die folds into the
 * core number); leaf 0xB would say less and must not be taken. */
static const struct leaf intel_1f_die[] = {
	{ 0, 0, { 0x20, INTEL } },
	{ 0x1f, 0, { 1, 2, 0x100, 0x93 } },
	{ 0x1f, 1, { 6, 64, 0x201, 0x93 } },
	{ 0x1f, 2, { 7, 128, 0x502, 0x93 } },	/* die */
	{ 0x1f, 3, { 0, 0, 0x003, 0x93 } },
	{ 0xb, 0, { 1, 2, 0x100, 0x93 } },
	{ 0xb, 1, { 6, 64, 0x201, 0x93 } },
	{ 0xb, 2, { 0, 0, 0x002, 0x93 } },
	END
};

static void test_intel_leaf_1f(void **state)
{
	struct topo_shifts s;

	(void)state;
	probe(intel_1f_die, &s);
	assert_int_equal(s.smt_shift, 1);
	assert_int_equal(s.pkg_shift, 7);
	assert_string_equal(s.source, "CPUID leaf 0x1f");
	check_decode(&s, 0x93, 1, 9, 1);
	check_decode(&s, 0x7e, 0, 63, 0);
}

/* Leaf 0x1F within the maximum but not implemented (EBX 0): leaf 0xB. */
static const struct leaf intel_1f_empty[] = {
	{ 0, 0, { 0x1f, INTEL } },
	{ 0x1f, 0, { 0, 0, 0, 5 } },
	{ 0xb, 0, { 1, 2, 0x100, 5 } },
	{ 0xb, 1, { 5, 32, 0x201, 5 } },
	END
};

static void test_intel_leaf_b(void **state)
{
	struct topo_shifts s;

	(void)state;
	probe(intel_1f_empty, &s);
	assert_int_equal(s.smt_shift, 1);
	assert_int_equal(s.pkg_shift, 5);
	assert_string_equal(s.source, "CPUID leaf 0xb");
	check_decode(&s, 0x25, 1, 2, 1);
}

/* No SMT: subleaf 0 is the SMT level with shift 0. */
static const struct leaf intel_no_smt[] = {
	{ 0, 0, { 0x16, INTEL } },
	{ 0xb, 0, { 0, 1, 0x100, 3 } },
	{ 0xb, 1, { 3, 8, 0x201, 3 } },
	END
};

static void test_intel_no_smt(void **state)
{
	struct topo_shifts s;

	(void)state;
	probe(intel_no_smt, &s);
	assert_int_equal(s.smt_shift, 0);
	assert_int_equal(s.pkg_shift, 3);
	check_decode(&s, 11, 1, 3, 0);
}

/* Before leaf 0xB: leaf 1 (HTT, 16 logical) and leaf 4 (8 cores). */
static const struct leaf intel_legacy[] = {
	{ 0, 0, { 0xa, INTEL } },
	{ 1, 0, { 0x106a5, 0x00100800, 0, 1u << 28 } },
	{ 4, 0, { (7u << 26) | 0x121, 0, 0, 0 } },
	END
};

static void test_intel_legacy(void **state)
{
	struct topo_shifts s;

	(void)state;
	probe(intel_legacy, &s);
	assert_int_equal(s.smt_shift, 1);
	assert_int_equal(s.pkg_shift, 4);
	assert_string_equal(s.source, "CPUID leaves 1 and 4");
	check_decode(&s, 0x13, 1, 1, 1);
}

/* AMD without leaf 0xB (Zen 1): TopoExt, 2 threads per core, ApicIdSize 6. */
static const struct leaf amd_zen1[] = {
	{ 0, 0, { 0xd, AMD } },
	{ 0x80000000, 0, { 0x8000001f, 0, 0, 0 } },
	{ 0x80000001, 0, { 0, 0, 1u << 22, 0 } },
	{ 0x80000008, 0, { 0x3030, 0, 0x603f, 0 } },
	{ 0x8000001e, 0, { 0x45, 0x0122, 0x0301, 0 } },
	END
};

static void test_amd_8000001e(void **state)
{
	struct topo_shifts s;

	(void)state;
	probe(amd_zen1, &s);
	assert_int_equal(s.smt_shift, 1);
	assert_int_equal(s.pkg_shift, 6);
	assert_string_equal(s.source, "CPUID 0x8000001e and 0x80000008");
	check_decode(&s, 0x45, 1, 2, 1);
}

/* AMD with leaf 0xB (Zen 2 and later) takes it. */
static const struct leaf amd_zen4[] = {
	{ 0, 0, { 0x10, AMD } },
	{ 0xb, 0, { 1, 2, 0x100, 0x4b } },
	{ 0xb, 1, { 7, 128, 0x201, 0x4b } },
	{ 0xb, 2, { 0, 0, 0x002, 0x4b } },
	{ 0x80000000, 0, { 0x80000028, 0, 0, 0 } },
	{ 0x80000001, 0, { 0, 0, 1u << 22, 0 } },
	{ 0x80000008, 0, { 0x3030, 0, 0x70ff, 0 } },
	{ 0x8000001e, 0, { 0x4b, 0x0125, 0x0300, 0 } },
	END
};

static void test_amd_leaf_b(void **state)
{
	struct topo_shifts s;

	(void)state;
	probe(amd_zen4, &s);
	assert_int_equal(s.smt_shift, 1);
	assert_int_equal(s.pkg_shift, 7);
	assert_string_equal(s.source, "CPUID leaf 0xb");
	check_decode(&s, 0x8b, 1, 5, 1);
}

/* Older AMD: no TopoExt; ApicIdSize 0, so NC + 1 = 4 threads need 2 bits. */
static const struct leaf amd_old[] = {
	{ 0, 0, { 0x5, AMD } },
	{ 0x80000000, 0, { 0x8000001b, 0, 0, 0 } },
	{ 0x80000001, 0, { 0, 0, 0, 0 } },
	{ 0x80000008, 0, { 0x3030, 0, 0x0003, 0 } },
	END
};

static void test_amd_old(void **state)
{
	struct topo_shifts s;

	(void)state;
	probe(amd_old, &s);
	assert_int_equal(s.smt_shift, 0);
	assert_int_equal(s.pkg_shift, 2);
	assert_string_equal(s.source, "CPUID 0x80000008");
	check_decode(&s, 6, 1, 2, 0);
}

/* A CPU that tells nothing: each APIC ID its own package. */
static const struct leaf silent[] = {
	{ 0, 0, { 0x1, INTEL } },
	END
};

static void test_silent_cpu(void **state)
{
	struct topo_shifts s;
	struct topo_count n;
	u32 ids[] = { 0, 1, 2 };

	(void)state;
	probe(silent, &s);
	assert_int_equal(s.smt_shift, 0);
	assert_int_equal(s.pkg_shift, 0);
	check_decode(&s, 2, 2, 0, 0);
	topo_count(&s, ids, 3, &n);
	assert_int_equal(n.packages, 3);
	assert_int_equal(n.cores, 3);
}

/* A leaf 0xB that contradicts itself (SMT wider than the package) is
 * not believed: the legacy leaves answer instead. */
static const struct leaf bogus_b[] = {
	{ 0, 0, { 0xb, INTEL } },
	{ 0xb, 0, { 4, 2, 0x100, 0 } },
	{ 0xb, 1, { 2, 8, 0x201, 0 } },
	{ 1, 0, { 0, 0x00020000, 0, 1u << 28 } },
	{ 4, 0, { (1u << 26) | 0x121, 0, 0, 0 } },
	END
};

static void test_bogus_leaf_b(void **state)
{
	struct topo_shifts s;

	(void)state;
	probe(bogus_b, &s);
	assert_string_equal(s.source, "CPUID leaves 1 and 4");
	assert_int_equal(s.smt_shift, 0);
	assert_int_equal(s.pkg_shift, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_two_sockets),
		cmocka_unit_test(test_intel_leaf_1f),
		cmocka_unit_test(test_intel_leaf_b),
		cmocka_unit_test(test_intel_no_smt),
		cmocka_unit_test(test_intel_legacy),
		cmocka_unit_test(test_amd_8000001e),
		cmocka_unit_test(test_amd_leaf_b),
		cmocka_unit_test(test_amd_old),
		cmocka_unit_test(test_silent_cpu),
		cmocka_unit_test(test_bogus_leaf_b),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
