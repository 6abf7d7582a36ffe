// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI table walk: RSDP -> XSDT/RSDT -> MADT (+ FADT, SPCR, DMAR and IVRS
 * addresses).
 *
 * The tables come from firmware and are treated as untrusted: every
 * length is checked against what was mapped before anything behind it is
 * read, checksums are verified, zero-length MADT entries end the walk and
 * the number of SDT entries examined is bounded, so a broken or hostile
 * table cannot make the walk read out of bounds or loop.
 */
#include <boot/acpi.h>
#include <boot/acpi_bytes.h>
#include <hv/errno.h>
#include <hv/string.h>

#define RSDP_V1_LEN     20	/* ACPI 6.5 5.2.5.3 */
#define RSDP_V2_LEN     36
#define SDT_HDR_LEN     36	/* ACPI 6.5 5.2.6 */
#define MADT_HDR_LEN    44	/* header + local APIC address + flags */
#define TABLE_MAX_LEN   (1u << 20)
#define SDT_MAX_ENTRIES 1024

/* MADT structure types and flags (ACPI 6.5 5.2.12). */
#define MADT_LAPIC          0
#define MADT_IOAPIC         1
#define MADT_LAPIC_NMI      4
#define MADT_LAPIC_OVERRIDE 5
#define MADT_X2APIC         9
#define MADT_X2APIC_NMI     0x0a
#define MADT_ENABLED        BIT(0)
#define MADT_ONLINE_CAPABLE BIT(1)
#define MADT_PCAT_COMPAT    BIT(0)

u8 acpi_checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum;
}

static const u8 *map_range(acpi_map_fn map, void *ctx, u64 phys, size_t len)
{
	if (!phys || phys > ~0ULL - len)
		return NULL;
	return map(ctx, phys, len);
}

/*
 * Maps a whole system description table whose signature is @sig: the
 * header first, then its full length. Returns NULL unless the signature,
 * the length and the checksum are right; *len receives the length.
 */
const u8 *acpi_map_table(acpi_map_fn map, void *ctx, u64 phys,
			 const char *sig, u32 *len)
{
	const u8 *h = map_range(map, ctx, phys, SDT_HDR_LEN);
	u32 l;

	if (!h || memcmp(h, sig, 4))
		return NULL;
	l = acpi_rd32(h + 4);
	if (l < SDT_HDR_LEN || l > TABLE_MAX_LEN)
		return NULL;
	h = map_range(map, ctx, phys, l);
	if (!h || memcmp(h, sig, 4) || acpi_rd32(h + 4) != l ||
	    acpi_checksum(h, l))
		return NULL;
	*len = l;
	return h;
}

static bool have_apic_id(const struct acpi_info *out, u32 id)
{
	for (u32 i = 0; i < out->nr_cpus; i++)
		if (out->cpus[i].apic_id == id)
			return true;
	return false;
}

static void add_cpu(struct acpi_info *out, u32 apic_id, u32 uid, u32 flags,
		    bool x2apic)
{
	/* Neither enabled nor online capable: not usable (5.2.12.2). */
	if (!(flags & (MADT_ENABLED | MADT_ONLINE_CAPABLE)))
		return;
	/* Firmware may list a CPU as both xAPIC and x2APIC: keep the first. */
	if (out->nr_cpus >= ACPI_MAX_CPUS || have_apic_id(out, apic_id))
		return;
	out->cpus[out->nr_cpus].apic_id = apic_id;
	out->cpus[out->nr_cpus].uid = uid;
	out->cpus[out->nr_cpus].x2apic = x2apic;
	out->nr_cpus++;
}

static void add_lint_nmi(struct acpi_info *out, u32 uid, u16 flags, u8 lint)
{
	/* Only LINT0 and LINT1 exist; the rest would be a firmware bug. */
	if (lint > 1 || out->nr_lint_nmis >= ACPI_MAX_LINT_NMIS)
		return;
	out->lint_nmis[out->nr_lint_nmis++] =
		(struct acpi_lint_nmi){ uid, flags, lint };
}

static void parse_madt(const u8 *t, u32 len, struct acpi_info *out)
{
	u32 off = MADT_HDR_LEN;

	out->lapic_addr = acpi_rd32(t + 36);
	out->pcat_compat = acpi_rd32(t + 40) & MADT_PCAT_COMPAT;

	/* Each structure: type, length, body (ACPI 6.5 table 5.44). */
	while (off + 2 <= len) {
		const u8 *e = t + off;
		u8 type = e[0], elen = e[1];

		if (elen < 2 || elen > len - off)
			break;	/* 0 would loop; overrun: broken */
		switch (type) {
		case MADT_LAPIC:
			/* 0xff is the broadcast ID, not a CPU. */
			if (elen >= 8 && e[3] != 0xff)
				add_cpu(out, e[3], e[2], acpi_rd32(e + 4), false);
			break;
		case MADT_IOAPIC:
			if (elen >= 12 && out->nr_ioapics < ACPI_MAX_IOAPICS) {
				struct acpi_ioapic *io =
					&out->ioapics[out->nr_ioapics++];

				io->id = e[2];
				io->addr = acpi_rd32(e + 4);
				io->gsi_base = acpi_rd32(e + 8);
			}
			break;
		case MADT_LAPIC_NMI:
			/* UID 0xff: all processors (5.2.12.7). */
			if (elen >= 6)
				add_lint_nmi(out, e[2] == 0xff ? ACPI_UID_ALL :
						  e[2], e[3] | e[4] << 8, e[5]);
			break;
		case MADT_X2APIC_NMI:
			if (elen >= 12)
				add_lint_nmi(out, acpi_rd32(e + 4), e[2] | e[3] << 8,
					     e[8]);
			break;
		case MADT_LAPIC_OVERRIDE:
			if (elen >= 12)
				out->lapic_addr = acpi_rd64(e + 4);
			break;
		case MADT_X2APIC:
			if (elen >= 16 && acpi_rd32(e + 4) != 0xffffffff)
				add_cpu(out, acpi_rd32(e + 4), acpi_rd32(e + 12),
					acpi_rd32(e + 8), true);
			break;
		}
		off += elen;
	}
}

/* Looks for MADT, FADT, SPCR, DMAR and IVRS among the SDT entries. */
static int walk_sdt(const u8 *sdt, u32 len, unsigned int esize,
		    acpi_map_fn map, void *ctx, struct acpi_info *out)
{
	u32 n = (len - SDT_HDR_LEN) / esize;

	if (n > SDT_MAX_ENTRIES)
		n = SDT_MAX_ENTRIES;
	for (u32 i = 0; i < n; i++) {
		const u8 *e = sdt + SDT_HDR_LEN + i * esize;
		u64 phys = esize == 8 ? acpi_rd64(e) : acpi_rd32(e);
		const u8 *t;
		u32 tlen;

		if (!out->madt) {
			t = acpi_map_table(map, ctx, phys, "APIC", &tlen);
			if (t && tlen >= MADT_HDR_LEN) {
				out->madt = phys;
				parse_madt(t, tlen, out);
				continue;
			}
		}
		if (!out->fadt && acpi_map_table(map, ctx, phys, "FACP", &tlen))
			out->fadt = phys;
		else if (!out->spcr && acpi_map_table(map, ctx, phys, "SPCR", &tlen)) {
			out->spcr = phys;
			out->spcr_len = tlen;
		} else if (!out->dmar &&
			   (t = acpi_map_table(map, ctx, phys, "DMAR", &tlen))) {
			out->dmar = phys;
			/* Host address width at 36, flags at 37 (VT-d 8.1). */
			if (tlen >= SDT_HDR_LEN + 2)
				out->dmar_flags = t[SDT_HDR_LEN + 1];
		} else if (!out->ivrs && acpi_map_table(map, ctx, phys, "IVRS", &tlen))
			out->ivrs = phys;
	}
	return out->madt ? 0 : -ENOENT;
}

int acpi_parse(u64 rsdp, acpi_map_fn map, void *ctx, struct acpi_info *out)
{
	const u8 *r;
	const u8 *sdt = NULL;
	u32 len = 0;
	u64 xsdt = 0, rsdt;
	unsigned int esize = 8;

	memset(out, 0, sizeof(*out));
	out->rsdp = rsdp;
	if (!map)
		return -EINVAL;

	/* ACPI 6.5 5.2.5.3: the first 20 bytes always sum to zero. */
	r = map_range(map, ctx, rsdp, RSDP_V1_LEN);
	if (!r || memcmp(r, "RSD PTR ", 8) || acpi_checksum(r, RSDP_V1_LEN))
		return -EINVAL;
	rsdt = acpi_rd32(r + 16);
	if (r[15] >= 2) {
		/* Revision 2+: the extended checksum covers Length bytes. */
		const u8 *r2 = map_range(map, ctx, rsdp, RSDP_V2_LEN);
		u32 rlen = r2 ? acpi_rd32(r2 + 20) : 0;

		if (r2 && rlen >= RSDP_V2_LEN && rlen <= 4096) {
			r2 = map_range(map, ctx, rsdp, rlen);
			if (r2 && !acpi_checksum(r2, rlen))
				xsdt = acpi_rd64(r2 + 24);
		}
	}

	/* Prefer the XSDT; a broken one falls back to the RSDT. */
	if (xsdt) {
		sdt = acpi_map_table(map, ctx, xsdt, "XSDT", &len);
		if (sdt)
			out->sdt = xsdt;
	}
	if (!sdt && rsdt) {
		sdt = acpi_map_table(map, ctx, rsdt, "RSDT", &len);
		esize = 4;
		if (sdt)
			out->sdt = rsdt;
	}
	if (!sdt)
		return -EINVAL;
	return walk_sdt(sdt, len, esize, map, ctx, out);
}
