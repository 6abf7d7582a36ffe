/* sources: hv/acpi_build.c boot/acpi.c hv/lib/string.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the guest ACPI tables (hv/acpi_build.c): they are walked
 * with the hypervisor's own firmware-table parser (boot/acpi.c), which
 * checks signatures, lengths and checksums.
 */
#include "unit.h"
#include <boot/acpi.h>
#include <hv/acpi_build.h>

#define GPA 0x0fffe000ULL
#define RSDP_GPA 0xe0000ULL

static u8 tables[ACPI_TABLES_SIZE];
static u8 rsdp[ACPI_RSDP_LEN];

static const void *map(void *ctx, u64 phys, size_t len)
{
	(void)ctx;
	if (phys == RSDP_GPA && len <= sizeof(rsdp))
		return rsdp;
	if (phys >= GPA && phys + len <= GPA + sizeof(tables))
		return tables + (phys - GPA);
	return NULL;
}

static u32 rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

static void test_walk(void **state)
{
	struct acpi_build_cfg c = { .nr_cpus = 3, .lapic_base = 0xfee00000,
				    .ioapic_base = 0xfec00000,
				    .ioapic_id = 0 };
	static struct acpi_info info;
	int used;

	(void)state;
	used = acpi_build(tables, GPA, sizeof(tables), rsdp, &c);
	assert_true(used > 0 && used <= ACPI_TABLES_SIZE);
	assert_int_equal(acpi_parse(RSDP_GPA, map, NULL, &info), 0);
	assert_int_equal(info.nr_cpus, 3);
	assert_int_equal(info.cpus[2].apic_id, 2);
	assert_int_equal(info.nr_ioapics, 1);
	assert_int_equal(info.ioapics[0].addr, 0xfec00000);
	assert_int_equal(info.lapic_addr, 0xfee00000);
	assert_true(info.pcat_compat);
	assert_true(info.fadt != 0);

	/* FADT: checksum, DSDT with \_S5, PM1a control block, PM timer. */
	const u8 *f = map(NULL, info.fadt, 276);
	assert_non_null(f);
	assert_int_equal(rd32(f + 4), 276);
	assert_int_equal(acpi_checksum(f, 276), 0);
	assert_int_equal(rd32(f + 64), ACPI_PM1A_CNT_PORT);
	/* PM timer: PM_TMR_BLK, PM_TMR_LEN, TMR_VAL_EXT, X_PM_TMR_BLK. */
	assert_int_equal(rd32(f + 76), ACPI_PM_TMR_PORT);
	assert_int_equal(f[91], 4);
	assert_true(rd32(f + 112) & (1u << 8));
	assert_int_equal(f[208], 1);
	assert_int_equal(f[209], 32);
	assert_int_equal(rd32(f + 212), ACPI_PM_TMR_PORT);
	const u8 *d = map(NULL, rd32(f + 140), 36);	/* X_DSDT */
	assert_non_null(d);
	assert_memory_equal(d, "DSDT", 4);
	assert_int_equal(acpi_checksum(d, rd32(d + 4)), 0);
	assert_memory_equal(d + 37, "_S5_", 4);
	const u8 *facs = map(NULL, rd32(f + 132), 64);	/* X_FIRMWARE_CTRL */
	assert_non_null(facs);
	assert_memory_equal(facs, "FACS", 4);
	assert_int_equal(rd32(f + 132) % 64, 0);
	assert_int_equal(rd32(f + 36), 0);	/* no 32-bit duplicates */
}

static void test_too_small(void **state)
{
	struct acpi_build_cfg c = { .nr_cpus = 1 };

	(void)state;
	assert_int_equal(acpi_build(tables, GPA, 200, rsdp, &c), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_too_small),
	};

	return cmocka_run_group_tests_name("acpi_build", tests, NULL, NULL);
}
