/* sources: arch/x86/nmi_pins.c */
// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the LINT NMI pin plan (arch/x86/nmi_pins.c). */
#include "unit.h"
#include <arch/x86/nmi_pins.h>
#include <boot/acpi.h>
#include <drivers/lapic.h>

static struct acpi_info acpi;

static void cpus(u32 n)
{
	memset(&acpi, 0, sizeof(acpi));
	for (u32 i = 0; i < n; i++) {
		acpi.cpus[i].apic_id = 2 * i;	/* IDs 0, 2, 4, ... */
		acpi.cpus[i].uid = 10 + i;	/* UIDs 10, 11, 12, ... */
	}
	acpi.nr_cpus = n;
}

static void nmi(u32 uid, u16 flags, u8 lint)
{
	acpi.lint_nmis[acpi.nr_lint_nmis++] =
		(struct acpi_lint_nmi){ uid, flags, lint };
}

/* QEMU's MADT: one entry, every processor, LINT1. */
static void test_all_processors(void **state)
{
	u32 lvt[2];

	(void)state;
	cpus(4);
	nmi(ACPI_UID_ALL, 0, 1);
	for (u32 i = 0; i < 4; i++) {
		assert_int_equal(nmi_pins_plan(&acpi, 2 * i, i == 0, lvt), 1);
		assert_int_equal(lvt[0], LVT_MASK);
		assert_int_equal(lvt[1], LVT_DM_NMI);
	}
}

/* Per-UID entries: only the CPU named gets it, with its polarity. */
static void test_by_uid(void **state)
{
	u32 lvt[2];

	(void)state;
	cpus(3);
	nmi(11, 0x3 | 0xc, 0);		/* active low, level: LINT0 of UID 11 */
	nmi(12, 0x1, 1);		/* active high: LINT1 of UID 12 */
	assert_int_equal(nmi_pins_plan(&acpi, 0, true, lvt), 0);
	assert_int_equal(lvt[0], LVT_MASK);
	assert_int_equal(lvt[1], LVT_MASK);
	assert_int_equal(nmi_pins_plan(&acpi, 2, false, lvt), 1);
	assert_int_equal(lvt[0], LVT_DM_NMI | LVT_ACTIVE_LOW);
	assert_int_equal(lvt[1], LVT_MASK);
	assert_int_equal(nmi_pins_plan(&acpi, 4, false, lvt), 1);
	assert_int_equal(lvt[1], LVT_DM_NMI);
	/* A CPU the MADT does not list: only "all processors" entries. */
	assert_int_equal(nmi_pins_plan(&acpi, 99, false, lvt), 0);
	nmi(ACPI_UID_ALL, 0, 0);
	assert_int_equal(nmi_pins_plan(&acpi, 99, false, lvt), 1);
	assert_int_equal(lvt[0], LVT_DM_NMI);
	/* Both pins, and one named twice, count once each. */
	nmi(12, 0, 1);
	assert_int_equal(nmi_pins_plan(&acpi, 4, false, lvt), 2);
}

/* No NMI structures (no MADT: Bochs): LINT1 of the boot CPU. */
static void test_no_entries(void **state)
{
	u32 lvt[2];

	(void)state;
	cpus(0);
	assert_int_equal(nmi_pins_plan(&acpi, 0, true, lvt), 1);
	assert_int_equal(lvt[0], LVT_MASK);
	assert_int_equal(lvt[1], LVT_DM_NMI);
	assert_int_equal(nmi_pins_plan(&acpi, 1, false, lvt), 0);
	assert_int_equal(lvt[1], LVT_MASK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_processors),
		cmocka_unit_test(test_by_uid),
		cmocka_unit_test(test_no_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
