/* sources: boot/acpi.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the ACPI table walk (boot/acpi.c) on synthetic tables:
 * checksums, RSDP, RSDT and XSDT, table lengths, DMAR, random corruption.
 */
#include "acpi_tables.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_standard),
		cmocka_unit_test(test_rsdt_only_v1),
		cmocka_unit_test(test_rsdp_errors),
		cmocka_unit_test(test_xsdt_broken_falls_back),
		cmocka_unit_test(test_sdt_lengths),
		cmocka_unit_test(test_dmar_flags),
		cmocka_unit_test(test_xsdt_many_entries_bounded),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
