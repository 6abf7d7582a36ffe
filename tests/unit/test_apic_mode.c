/* sources: drivers/apic_mode.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the host APIC mode choice (drivers/apic_mode.c) and the
 * legacy PIC decision (drivers/pic.h): every combination of the firmware's
 * mode, CPUID's x2APIC bit, the DMAR opt-out, apic = x2apic and the
 * highest MADT APIC ID.
 */
#include "unit.h"
#include <arch/x86/cpu.h>
#include <drivers/apic_mode.h>
#include <drivers/pic.h>

#define XAPIC_EN  (0xfee00000ULL | APIC_BASE_BSP | APIC_BASE_ENABLE)
#define X2APIC_EN (XAPIC_EN | APIC_BASE_X2APIC)
#define DISABLED  (0xfee00000ULL | APIC_BASE_BSP)

static struct apic_choice choose(u64 base, bool cpu, bool opt_out, bool want,
				 u32 max_id)
{
	struct apic_facts f = {
		.apic_base = base, .cpu_x2apic = cpu, .fw_opt_out = opt_out,
		.want_x2apic = want, .max_apic_id = max_id,
	};
	struct apic_choice c;

	memset(&c, 0xa5, sizeof(c));
	apic_choose(&f, &c);
	return c;
}

static void test_firmware_x2apic_kept(void **state)
{
	struct apic_choice c;

	(void)state;
	/* Whatever else is true: x2APIC cannot be left without disabling. */
	for (int i = 0; i < 16; i++) {
		c = choose(X2APIC_EN, true, i & 1, i & 2, i & 4 ? 300 : 3);
		assert_true(c.x2apic);
		assert_false(c.switched);
		assert_false(c.enabled);
		assert_null(c.warn);
		assert_string_equal(c.mode, "x2APIC (firmware)");
	}
}

static void test_xapic_stays_when_it_reaches_all(void **state)
{
	struct apic_choice c;

	(void)state;
	c = choose(XAPIC_EN, true, false, false, 254);
	assert_false(c.x2apic);
	assert_false(c.switched);
	assert_null(c.warn);
	assert_string_equal(c.mode, "xAPIC (firmware)");
	c = choose(XAPIC_EN, false, false, false, 0);
	assert_false(c.x2apic);
	assert_null(c.warn);
}

static void test_switch_for_ids_above_254(void **state)
{
	struct apic_choice c;

	(void)state;
	/* 255 is the xAPIC broadcast: a CPU with that ID needs x2APIC. */
	c = choose(XAPIC_EN, true, false, false, 255);
	assert_true(c.x2apic);
	assert_true(c.switched);
	assert_null(c.warn);
	assert_true(unit_contains(c.mode, "APIC IDs above 254"));
	c = choose(XAPIC_EN, true, false, true, 4000);
	assert_true(c.x2apic);
	assert_true(unit_contains(c.mode, "APIC IDs above 254"));
}

static void test_switch_on_request(void **state)
{
	struct apic_choice c;

	(void)state;
	c = choose(XAPIC_EN, true, false, true, 3);
	assert_true(c.x2apic);
	assert_true(c.switched);
	assert_null(c.warn);
	assert_true(unit_contains(c.mode, "apic = x2apic"));
}

static void test_cannot_switch(void **state)
{
	struct apic_choice c;

	(void)state;
	c = choose(XAPIC_EN, false, false, false, 300);
	assert_false(c.x2apic);
	assert_false(c.switched);
	assert_true(unit_contains(c.warn, "stay offline"));
	assert_true(unit_contains(c.warn, "no x2APIC"));
	c = choose(XAPIC_EN, true, true, false, 300);
	assert_false(c.x2apic);
	assert_true(unit_contains(c.warn, "stay offline"));
	assert_true(unit_contains(c.warn, "opts out"));
	c = choose(XAPIC_EN, false, false, true, 3);
	assert_false(c.x2apic);
	assert_true(unit_contains(c.warn, "apic = x2apic"));
	assert_true(unit_contains(c.warn, "no x2APIC"));
	c = choose(XAPIC_EN, true, true, true, 3);
	assert_false(c.x2apic);
	assert_true(unit_contains(c.warn, "opts out"));
}

static void test_disabled_apic(void **state)
{
	struct apic_choice c;

	(void)state;
	c = choose(DISABLED, true, false, false, 3);
	assert_true(c.enabled);
	assert_false(c.x2apic);
	assert_true(unit_contains(c.mode, "enabled by perfvisor"));
	c = choose(DISABLED, true, false, false, 256);
	assert_true(c.enabled);
	assert_true(c.x2apic);
	assert_true(c.switched);
	/* EXTD without EN cannot exist; taken as disabled, not as x2APIC. */
	c = choose(DISABLED | APIC_BASE_X2APIC, true, false, false, 3);
	assert_true(c.enabled);
	assert_false(c.x2apic);
}

static void test_max_dest(void **state)
{
	(void)state;
	assert_int_equal(apic_max_dest(false), 254);
	assert_int_equal(apic_max_dest(true), 0xfffffffe);
}

static void test_pic_present(void **state)
{
	struct acpi_info a;

	(void)state;
	memset(&a, 0, sizeof(a));
	assert_true(pic_present(&a));		/* no MADT: a PC */
	a.madt = 0x1000;
	assert_false(pic_present(&a));		/* PCAT_COMPAT clear */
	a.pcat_compat = true;
	assert_true(pic_present(&a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firmware_x2apic_kept),
		cmocka_unit_test(test_xapic_stays_when_it_reaches_all),
		cmocka_unit_test(test_switch_for_ids_above_254),
		cmocka_unit_test(test_switch_on_request),
		cmocka_unit_test(test_cannot_switch),
		cmocka_unit_test(test_disabled_apic),
		cmocka_unit_test(test_max_dest),
		cmocka_unit_test(test_pic_present),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
