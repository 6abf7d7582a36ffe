/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the unit tests of the ACPI table walk share (test_acpi.c,
 * test_acpi_madt.c): an arena standing for physical memory, builders of
 * RSDP, RSDT/XSDT, MADT and FADT in it, a typical machine's set of
 * tables, and acpi_parse() over them.
 */
#ifndef TESTS_UNIT_ACPI_TABLES_H
#define TESTS_UNIT_ACPI_TABLES_H

#include "unit.h"
#include <boot/acpi.h>

#define BASE  0x10000ULL	/* "physical" address of arena[0] */
#define ARENA 0x10000

static u8 arena[ARENA];
static struct acpi_info info;
static int maps;

static inline const void *map(void *ctx, u64 phys, size_t len)
{
	(void)ctx;
	maps++;
	if (phys < BASE || phys - BASE > ARENA || len > ARENA - (phys - BASE))
		return NULL;
	return arena + (phys - BASE);
}

static inline u8 *at(u64 phys)
{
	return arena + (phys - BASE);
}

static inline void wr32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static inline void wr64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

static inline void fix_checksum(u8 *p, size_t len, size_t csum_off)
{
	p[csum_off] = 0;
	p[csum_off] = (u8)(0x100 - acpi_checksum(p, len));
}

/* Table addresses in the arena. */
#define RSDP 0x10000ULL
#define XSDT 0x11000ULL
#define RSDT 0x12000ULL
#define MADT 0x13000ULL
#define FADT 0x14000ULL
#define DSDT 0x15000ULL
#define DMAR 0x16000ULL

static inline void put_rsdp(int rev, u64 rsdt, u64 xsdt)
{
	u8 *r = at(RSDP);

	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "PERFVS", 6);
	r[15] = rev;
	wr32(r + 16, rsdt);
	fix_checksum(r, 20, 8);
	if (rev >= 2) {
		wr32(r + 20, 36);
		wr64(r + 24, xsdt);
		fix_checksum(r, 36, 32);
	}
}

static inline void sdt_header(u64 phys, const char *sig, u32 len)
{
	u8 *t = at(phys);

	memcpy(t, sig, 4);
	wr32(t + 4, len);
	t[8] = 1;
	memcpy(t + 10, "PERFVS", 6);
}

static inline void finish(u64 phys)
{
	u8 *t = at(phys);
	u32 len;

	memcpy(&len, t + 4, 4);
	fix_checksum(t, len, 9);
}

static inline void put_sdt(u64 phys, const char *sig, int esize, int n,
		    const u64 *entries)
{
	sdt_header(phys, sig, 36 + esize * n);
	for (int i = 0; i < n; i++) {
		if (esize == 8)
			wr64(at(phys) + 36 + 8 * i, entries[i]);
		else
			wr32(at(phys) + 36 + 4 * i, (u32)entries[i]);
	}
	finish(phys);
}

/* MADT builder. */
static u32 madt_len;

static inline void madt_begin(u32 lapic, u32 flags)
{
	memset(at(MADT), 0, 0x1000);
	madt_len = 44;
	sdt_header(MADT, "APIC", madt_len);
	wr32(at(MADT) + 36, lapic);
	wr32(at(MADT) + 40, flags);
}

static inline u8 *madt_add(u8 type, u8 len)
{
	u8 *e = at(MADT) + madt_len;

	e[0] = type;
	e[1] = len;
	madt_len += len;
	return e;
}

static inline void madt_lapic(u8 uid, u8 id, u32 flags)
{
	u8 *e = madt_add(0, 8);

	e[2] = uid;
	e[3] = id;
	wr32(e + 4, flags);
}

static inline void madt_x2apic(u32 id, u32 flags, u32 uid)
{
	u8 *e = madt_add(9, 16);

	wr32(e + 4, id);
	wr32(e + 8, flags);
	wr32(e + 12, uid);
}

static inline void madt_ioapic(u8 id, u32 addr, u32 gsi)
{
	u8 *e = madt_add(1, 12);

	e[2] = id;
	wr32(e + 4, addr);
	wr32(e + 8, gsi);
}

static inline void madt_lapic_nmi(u8 uid, u16 flags, u8 lint)
{
	u8 *e = madt_add(4, 6);

	e[2] = uid;
	e[3] = flags;
	e[4] = flags >> 8;
	e[5] = lint;
}

static inline void madt_x2apic_nmi(u32 uid, u16 flags, u8 lint)
{
	u8 *e = madt_add(0x0a, 12);

	e[2] = flags;
	e[3] = flags >> 8;
	wr32(e + 4, uid);
	e[8] = lint;
}

static inline void madt_end(void)
{
	wr32(at(MADT) + 4, madt_len);
	finish(MADT);
}

static inline void put_fadt(void)
{
	sdt_header(FADT, "FACP", 276);
	finish(FADT);
	sdt_header(DSDT, "DSDT", 36);
	finish(DSDT);
}

/* A typical machine: 4 CPUs, one disabled, an x2APIC one, 2 IOAPICs. */
static inline void build_standard(void)
{
	u64 entries[] = { FADT, MADT, DSDT };

	memset(arena, 0, sizeof(arena));
	put_rsdp(2, RSDT, XSDT);
	put_sdt(XSDT, "XSDT", 8, 3, entries);
	put_sdt(RSDT, "RSDT", 4, 3, entries);
	put_fadt();
	madt_begin(0xfee00000, 1);
	madt_lapic(0, 0, 1);		/* BSP */
	madt_lapic(1, 2, 1);
	madt_lapic(2, 4, 0);		/* disabled: skipped */
	madt_ioapic(8, 0xfec00000, 0);
	madt_lapic(3, 6, 2);		/* online capable */
	madt_x2apic(0x100, 1, 4);
	madt_ioapic(9, 0xfec01000, 24);
	madt_lapic_nmi(0xff, 0x5, 1);	/* all CPUs: LINT1, edge, high */
	madt_end();
}

static inline int parse(void)
{
	memset(&info, 0xa5, sizeof(info));
	maps = 0;
	return acpi_parse(RSDP, map, NULL, &info);
}

#endif /* TESTS_UNIT_ACPI_TABLES_H */
