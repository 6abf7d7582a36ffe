/* sources: boot/acpi.c */
// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the ACPI table walk (boot/acpi.c), on synthetic tables. */
#include "unit.h"
#include <boot/acpi.h>

#define BASE  0x10000ULL	/* "physical" address of arena[0] */
#define ARENA 0x10000

static u8 arena[ARENA];
static struct acpi_info info;
static int maps;

static const void *map(void *ctx, u64 phys, size_t len)
{
	(void)ctx;
	maps++;
	if (phys < BASE || phys - BASE > ARENA || len > ARENA - (phys - BASE))
		return NULL;
	return arena + (phys - BASE);
}

static u8 *at(u64 phys)
{
	return arena + (phys - BASE);
}

static void wr32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void wr64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

static void fix_checksum(u8 *p, size_t len, size_t csum_off)
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

static void put_rsdp(int rev, u64 rsdt, u64 xsdt)
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

static void sdt_header(u64 phys, const char *sig, u32 len)
{
	u8 *t = at(phys);

	memcpy(t, sig, 4);
	wr32(t + 4, len);
	t[8] = 1;
	memcpy(t + 10, "PERFVS", 6);
}

static void finish(u64 phys)
{
	u8 *t = at(phys);
	u32 len;

	memcpy(&len, t + 4, 4);
	fix_checksum(t, len, 9);
}

static void put_sdt(u64 phys, const char *sig, int esize, int n,
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

static void madt_begin(u32 lapic, u32 flags)
{
	memset(at(MADT), 0, 0x1000);
	madt_len = 44;
	sdt_header(MADT, "APIC", madt_len);
	wr32(at(MADT) + 36, lapic);
	wr32(at(MADT) + 40, flags);
}

static u8 *madt_add(u8 type, u8 len)
{
	u8 *e = at(MADT) + madt_len;

	e[0] = type;
	e[1] = len;
	madt_len += len;
	return e;
}

static void madt_lapic(u8 uid, u8 id, u32 flags)
{
	u8 *e = madt_add(0, 8);

	e[2] = uid;
	e[3] = id;
	wr32(e + 4, flags);
}

static void madt_x2apic(u32 id, u32 flags, u32 uid)
{
	u8 *e = madt_add(9, 16);

	wr32(e + 4, id);
	wr32(e + 8, flags);
	wr32(e + 12, uid);
}

static void madt_ioapic(u8 id, u32 addr, u32 gsi)
{
	u8 *e = madt_add(1, 12);

	e[2] = id;
	wr32(e + 4, addr);
	wr32(e + 8, gsi);
}

static void madt_lapic_nmi(u8 uid, u16 flags, u8 lint)
{
	u8 *e = madt_add(4, 6);

	e[2] = uid;
	e[3] = flags;
	e[4] = flags >> 8;
	e[5] = lint;
}

static void madt_x2apic_nmi(u32 uid, u16 flags, u8 lint)
{
	u8 *e = madt_add(0x0a, 12);

	e[2] = flags;
	e[3] = flags >> 8;
	wr32(e + 4, uid);
	e[8] = lint;
}

static void madt_end(void)
{
	wr32(at(MADT) + 4, madt_len);
	finish(MADT);
}

static void put_fadt(void)
{
	sdt_header(FADT, "FACP", 276);
	finish(FADT);
	sdt_header(DSDT, "DSDT", 36);
	finish(DSDT);
}

/* A typical machine: 4 CPUs, one disabled, an x2APIC one, 2 IOAPICs. */
static void build_standard(void)
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

static int parse(void)
{
	memset(&info, 0xa5, sizeof(info));
	maps = 0;
	return acpi_parse(RSDP, map, NULL, &info);
}

static void test_checksum(void **state)
{
	u8 b[4] = { 1, 2, 3, 0xfa };

	(void)state;
	assert_int_equal(acpi_checksum(b, 4), 0);
	assert_int_equal(acpi_checksum(b, 3), 6);
	assert_int_equal(acpi_checksum(b, 0), 0);
}

static void test_standard(void **state)
{
	(void)state;
	build_standard();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.rsdp, RSDP);
	assert_int_equal(info.sdt, XSDT);
	assert_int_equal(info.madt, MADT);
	assert_int_equal(info.fadt, FADT);
	assert_int_equal(info.lapic_addr, 0xfee00000);
	assert_true(info.pcat_compat);
	assert_int_equal(info.nr_cpus, 4);
	assert_int_equal(info.cpus[0].apic_id, 0);	/* BSP first */
	assert_int_equal(info.cpus[0].uid, 0);
	assert_false(info.cpus[0].x2apic);
	assert_int_equal(info.cpus[1].apic_id, 2);
	assert_int_equal(info.cpus[2].apic_id, 6);
	assert_int_equal(info.cpus[2].uid, 3);
	assert_int_equal(info.cpus[3].apic_id, 0x100);
	assert_int_equal(info.cpus[3].uid, 4);
	assert_true(info.cpus[3].x2apic);
	assert_int_equal(info.nr_ioapics, 2);
	assert_int_equal(info.ioapics[0].id, 8);
	assert_int_equal(info.ioapics[0].addr, 0xfec00000);
	assert_int_equal(info.ioapics[0].gsi_base, 0);
	assert_int_equal(info.ioapics[1].id, 9);
	assert_int_equal(info.ioapics[1].gsi_base, 24);
}

static void test_lapic_override_and_flags(void **state)
{
	(void)state;
	build_standard();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 1, 1);
	madt_add(5, 12);
	wr64(at(MADT) + madt_len - 8, 0x1fee00000ULL);
	madt_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.lapic_addr, 0x1fee00000ULL);
	assert_false(info.pcat_compat);
	assert_int_equal(info.nr_cpus, 1);
	assert_int_equal(info.cpus[0].apic_id, 1);
}

static void test_rsdt_only_v1(void **state)
{
	u64 entries[] = { DSDT, MADT };

	(void)state;
	build_standard();
	put_rsdp(0, RSDT, 0);
	put_sdt(RSDT, "RSDT", 4, 2, entries);
	memset(at(XSDT), 0, 64);	/* no XSDT at all */
	assert_int_equal(parse(), 0);
	assert_int_equal(info.sdt, RSDT);
	assert_int_equal(info.madt, MADT);
	assert_int_equal(info.fadt, 0);
	assert_int_equal(info.nr_cpus, 4);
	/* v1 RSDP: bytes 20..35 are not read as XSDT even if present. */
	wr64(at(RSDP) + 24, XSDT);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.sdt, RSDT);
}

static void test_rsdp_errors(void **state)
{
	(void)state;
	build_standard();
	at(RSDP)[0] = 'X';
	assert_int_equal(parse(), -EINVAL);
	build_standard();
	at(RSDP)[16] ^= 1;		/* v1 checksum broken */
	assert_int_equal(parse(), -EINVAL);
	/* Unmappable RSDP, NULL map, RSDP at 0. */
	assert_int_equal(acpi_parse(0x1000, map, NULL, &info), -EINVAL);
	assert_int_equal(acpi_parse(RSDP, NULL, NULL, &info), -EINVAL);
	assert_int_equal(acpi_parse(0, map, NULL, &info), -EINVAL);
	/* At the very end of the arena: 20 bytes fit, 36 do not. */
	build_standard();
	memcpy(at(BASE + ARENA - 20), at(RSDP), 20);
	assert_int_equal(acpi_parse(BASE + ARENA - 20, map, NULL, &info), 0);
	assert_int_equal(info.sdt, RSDT);	/* v2 part unreadable */
}

static void test_xsdt_broken_falls_back(void **state)
{
	(void)state;
	/* Extended checksum wrong: the XSDT pointer is not trusted. */
	build_standard();
	at(RSDP)[33] ^= 0xff;
	assert_int_equal(parse(), 0);
	assert_int_equal(info.sdt, RSDT);
	/* XSDT checksum wrong. */
	build_standard();
	at(XSDT)[40] ^= 1;
	assert_int_equal(parse(), 0);
	assert_int_equal(info.sdt, RSDT);
	/* XSDT signature wrong. */
	build_standard();
	memcpy(at(XSDT), "RSDT", 4);
	finish(XSDT);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.sdt, RSDT);
	/* XSDT pointer outside memory. */
	build_standard();
	wr64(at(RSDP) + 24, 0xfffffffffffff000ULL);
	fix_checksum(at(RSDP), 36, 32);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.sdt, RSDT);
	/* Both broken. */
	at(RSDT)[36] ^= 1;
	assert_int_equal(parse(), -EINVAL);
	/* RSDP length field absurd: XSDT ignored. */
	build_standard();
	wr32(at(RSDP) + 20, 0xffffffff);
	fix_checksum(at(RSDP), 36, 32);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.sdt, RSDT);
}

static void test_sdt_lengths(void **state)
{
	(void)state;
	/* Length smaller than a header, zero, and beyond memory. */
	static const u32 bad[] = { 0, 35, 0x7fffffff, 0xffffffff, ARENA };

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		build_standard();
		wr32(at(XSDT) + 4, bad[i]);
		wr32(at(RSDT) + 4, bad[i]);
		assert_int_equal(parse(), -EINVAL);
	}
	/* A length that is not a multiple of the entry size: the partial
	 * entry is ignored. */
	build_standard();
	{
		u64 entries[] = { MADT };

		put_sdt(XSDT, "XSDT", 8, 1, entries);
		wr32(at(XSDT) + 4, 36 + 8 + 5);
		finish(XSDT);
	}
	assert_int_equal(parse(), 0);
	assert_int_equal(info.sdt, XSDT);
	assert_int_equal(info.madt, MADT);
	/* Empty XSDT: no MADT. */
	put_sdt(XSDT, "XSDT", 8, 0, NULL);
	assert_int_equal(parse(), -ENOENT);
	assert_int_equal(info.sdt, XSDT);
}

static void test_madt_errors(void **state)
{
	(void)state;
	/* MADT checksum wrong: not found. */
	build_standard();
	at(MADT)[44 + 3] ^= 1;
	assert_int_equal(parse(), -ENOENT);
	/* MADT length shorter than its fixed part. */
	build_standard();
	wr32(at(MADT) + 4, 40);
	finish(MADT);
	assert_int_equal(parse(), -ENOENT);
	/* MADT pointer to nowhere, and zero entries in the XSDT. */
	{
		u64 entries[] = { 0, 0xdead0000, FADT, MADT };

		build_standard();
		put_sdt(XSDT, "XSDT", 8, 4, entries);
		assert_int_equal(parse(), 0);
		assert_int_equal(info.nr_cpus, 4);
	}
	/* Two MADTs: the first valid one is used. */
	{
		u64 entries[] = { MADT, MADT };

		build_standard();
		put_sdt(XSDT, "XSDT", 8, 2, entries);
		assert_int_equal(parse(), 0);
		assert_int_equal(info.nr_cpus, 4);
		assert_int_equal(info.nr_ioapics, 2);
	}
}

static void test_madt_entries_hostile(void **state)
{
	u8 *e;

	(void)state;
	/* A zero-length entry stops the walk instead of looping. */
	build_standard();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_add(0x7f, 0);
	madt_len += 8;			/* room after it */
	madt_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.nr_cpus, 1);

	/* An entry overrunning the table is not used. */
	build_standard();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_x2apic(5, 1, 5);
	madt_len -= 4;			/* table ends inside the x2APIC entry */
	madt_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.nr_cpus, 1);

	/* Entries shorter than their type needs are skipped, not read. */
	build_standard();
	madt_begin(0xfee00000, 0);
	e = madt_add(0, 4);		/* LAPIC of 4 bytes */
	e[3] = 7;
	madt_add(9, 8);			/* x2APIC of 8 */
	madt_add(1, 6);			/* IOAPIC of 6 */
	madt_add(5, 4);			/* override of 4 */
	madt_lapic(1, 3, 1);
	madt_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.nr_cpus, 1);
	assert_int_equal(info.cpus[0].apic_id, 3);
	assert_int_equal(info.nr_ioapics, 0);
	assert_int_equal(info.lapic_addr, 0xfee00000);

	/* One trailing byte after the last entry: ignored. */
	build_standard();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_len += 1;
	madt_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.nr_cpus, 1);
}

static void test_madt_cpu_rules(void **state)
{
	(void)state;
	build_standard();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 1, 1);		/* BSP */
	madt_lapic(1, 0xff, 1);		/* broadcast ID: not a CPU */
	madt_lapic(2, 2, 0);		/* disabled */
	madt_lapic(3, 3, 3);
	madt_x2apic(1, 1, 0);		/* same CPU as the BSP */
	madt_x2apic(0xffffffff, 1, 9);	/* broadcast */
	madt_x2apic(0x200, 0, 10);	/* disabled */
	madt_x2apic(0x201, 2, 11);	/* online capable */
	madt_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.nr_cpus, 3);
	assert_int_equal(info.cpus[0].apic_id, 1);
	assert_false(info.cpus[0].x2apic);
	assert_int_equal(info.cpus[1].apic_id, 3);
	assert_int_equal(info.cpus[2].apic_id, 0x201);
	assert_int_equal(info.cpus[2].uid, 11);
	assert_true(info.cpus[2].x2apic);
}

static void test_madt_too_many(void **state)
{
	(void)state;
	build_standard();
	/* 1100 x2APIC CPUs (17600 bytes) and 12 IOAPICs: capped, no overflow. */
	memset(at(MADT), 0, 0x5000);
	madt_len = 44;
	sdt_header(MADT, "APIC", madt_len);
	for (u32 i = 0; i < 1100; i++)
		madt_x2apic(i, 1, i);
	for (u8 i = 0; i < 12; i++)
		madt_ioapic(i, 0xfec00000 + i * 0x1000, i * 24);
	madt_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.nr_cpus, ACPI_MAX_CPUS);
	assert_int_equal(info.cpus[ACPI_MAX_CPUS - 1].apic_id,
			 ACPI_MAX_CPUS - 1);
	assert_int_equal(info.nr_ioapics, ACPI_MAX_IOAPICS);
}

/* The DMAR's flags byte: X2APIC_OPT_OUT is what the APIC mode needs. */
static void test_dmar_flags(void **state)
{
	u64 entries[] = { FADT, MADT, DMAR };

	(void)state;
	build_standard();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.dmar, 0);
	assert_int_equal(info.dmar_flags, 0);

	put_sdt(XSDT, "XSDT", 8, 3, entries);
	sdt_header(DMAR, "DMAR", 48);
	at(DMAR)[36] = 38;		/* host address width - 1 */
	at(DMAR)[37] = 0x3;		/* INTR_REMAP | X2APIC_OPT_OUT */
	finish(DMAR);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.dmar, DMAR);
	assert_int_equal(info.dmar_flags, 0x3);
	assert_true(info.dmar_flags & ACPI_DMAR_X2APIC_OPT_OUT);

	/* Too short for its flags: found, flags taken as none. */
	sdt_header(DMAR, "DMAR", 37);
	finish(DMAR);
	assert_int_equal(parse(), 0);
	assert_int_equal(info.dmar, DMAR);
	assert_int_equal(info.dmar_flags, 0);
}

/* QEMU's shape for APIC IDs above 254: type 0 below, type 9 above. */
static void test_madt_x2apic_above_254(void **state)
{
	(void)state;
	build_standard();
	madt_begin(0xfee00000, 1);
	madt_lapic(0, 0, 1);
	madt_lapic(1, 1, 1);
	madt_lapic(2, 2, 0);		/* not present (hot-pluggable) */
	madt_x2apic(256, 1, 256);
	madt_x2apic(257, 1, 257);
	madt_x2apic(258, 0, 258);	/* not present */
	madt_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.nr_cpus, 4);
	assert_int_equal(info.cpus[2].apic_id, 256);
	assert_int_equal(info.cpus[2].uid, 256);
	assert_true(info.cpus[2].x2apic);
	assert_int_equal(info.cpus[3].apic_id, 257);
	assert_false(info.cpus[1].x2apic);
}

static void test_xsdt_many_entries_bounded(void **state)
{
	(void)state;
	/* An XSDT of 2000 entries all pointing at itself: bounded work. */
	build_standard();
	sdt_header(XSDT, "XSDT", 36 + 8 * 2000);
	for (int i = 0; i < 2000; i++)
		wr64(at(XSDT) + 36 + 8 * i, XSDT);
	finish(XSDT);
	assert_int_equal(parse(), -ENOENT);
	assert_true(maps < 20000);
}

/* Random corruption of a good set of tables: no crash, no overread. */
static void test_fuzz(void **state)
{
	unsigned int seed = 31337;

	(void)state;
	for (int iter = 0; iter < 3000; iter++) {
		int n;

		build_standard();
		seed = seed * 1103515245 + 12345;
		n = 1 + (seed >> 16) % 6;
		for (int k = 0; k < n; k++) {
			u64 tables[] = { RSDP, XSDT, RSDT, MADT };
			u64 t;
			u32 off;

			seed = seed * 1103515245 + 12345;
			t = tables[(seed >> 16) % 4];
			seed = seed * 1103515245 + 12345;
			off = (seed >> 16) % 120;
			seed = seed * 1103515245 + 12345;
			at(t)[off] = seed >> 16;
			if ((seed >> 8) & 1 && t != RSDP) {
				u32 len;

				/* Make the checksum valid again. */
				memcpy(&len, at(t) + 4, 4);
				if (len >= 10 && len <= ARENA - (t - BASE))
					finish(t);
			}
		}
		n = parse();
		assert_true(n == 0 || n == -EINVAL || n == -ENOENT);
		assert_true(info.nr_cpus <= ACPI_MAX_CPUS);
		assert_true(info.nr_ioapics <= ACPI_MAX_IOAPICS);
	}
}

/* Local APIC NMI structures: which pins carry the platform's NMI. */
static void test_madt_lint_nmis(void **state)
{
	(void)state;
	build_standard();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.nr_lint_nmis, 1);
	assert_int_equal(info.lint_nmis[0].uid, ACPI_UID_ALL);
	assert_int_equal(info.lint_nmis[0].lint, 1);
	assert_int_equal(info.lint_nmis[0].flags, 0x5);

	madt_len -= 6;			/* drop it, add others */
	madt_lapic_nmi(3, 0xf, 0);	/* UID 3, level, active low */
	madt_x2apic_nmi(4, 0, 1);
	madt_x2apic_nmi(ACPI_UID_ALL, 0, 1);
	madt_lapic_nmi(0xff, 0, 2);	/* no LINT2: ignored */
	madt_add(4, 5);			/* too short: ignored */
	madt_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(info.nr_lint_nmis, 3);
	assert_int_equal(info.lint_nmis[0].uid, 3);
	assert_int_equal(info.lint_nmis[0].lint, 0);
	assert_int_equal(info.lint_nmis[0].flags & ACPI_INTI_POLARITY_MASK,
			 ACPI_INTI_ACTIVE_LOW);
	assert_int_equal(info.lint_nmis[1].uid, 4);
	assert_int_equal(info.lint_nmis[2].uid, ACPI_UID_ALL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_standard),
		cmocka_unit_test(test_lapic_override_and_flags),
		cmocka_unit_test(test_rsdt_only_v1),
		cmocka_unit_test(test_rsdp_errors),
		cmocka_unit_test(test_xsdt_broken_falls_back),
		cmocka_unit_test(test_sdt_lengths),
		cmocka_unit_test(test_madt_errors),
		cmocka_unit_test(test_madt_entries_hostile),
		cmocka_unit_test(test_madt_cpu_rules),
		cmocka_unit_test(test_madt_too_many),
		cmocka_unit_test(test_dmar_flags),
		cmocka_unit_test(test_madt_x2apic_above_254),
		cmocka_unit_test(test_xsdt_many_entries_bounded),
		cmocka_unit_test(test_madt_lint_nmis),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
