/* sources: boot/acpi.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the MADT as the ACPI table walk (boot/acpi.c) reads it:
 * the local APIC address override and flags, entry errors and hostile
 * entries, which CPUs count, too many of them, x2APIC entries above ID 254.
 */
#include "acpi_tables.h"

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
		cmocka_unit_test(test_lapic_override_and_flags),
		cmocka_unit_test(test_madt_errors),
		cmocka_unit_test(test_madt_entries_hostile),
		cmocka_unit_test(test_madt_cpu_rules),
		cmocka_unit_test(test_madt_too_many),
		cmocka_unit_test(test_madt_x2apic_above_254),
		cmocka_unit_test(test_madt_lint_nmis),
	};

	return cmocka_run_group_tests_name("acpi_madt", tests, NULL, NULL);
}
