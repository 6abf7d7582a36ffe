/* sources: */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the platform NMI's reason (arch/x86/nmi_reason.h): port
 * 0x61 bit 7 (SERR#) and bit 6 (IOCHK#) stop the machine, 0xff is no
 * reason port at all (a legacy-free chipset), and the machine carries on.
 */
#include "unit.h"
#include <arch/x86/nmi_reason.h>

static void test_values_seen(void **state)
{
	(void)state;
	/* QEMU's and an idle PC's: refresh toggling, timer 2 out. */
	assert_int_equal(nmi_reason_decode(0x00), NMI_NO_REASON);
	assert_int_equal(nmi_reason_decode(0x20), NMI_NO_REASON);
	assert_int_equal(nmi_reason_decode(0x30), NMI_NO_REASON);
	/* The sources disabled by firmware, no error: still no reason. */
	assert_int_equal(nmi_reason_decode(0x3c), NMI_NO_REASON);
	/* The errors, alone and together (SERR# named first). */
	assert_int_equal(nmi_reason_decode(0x80), NMI_SERR);
	assert_int_equal(nmi_reason_decode(0xb0), NMI_SERR);
	assert_int_equal(nmi_reason_decode(0x40), NMI_IOCHK);
	assert_int_equal(nmi_reason_decode(0x70), NMI_IOCHK);
	assert_int_equal(nmi_reason_decode(0xc0), NMI_SERR);
	assert_true(nmi_reason_fatal(NMI_SERR));
	assert_true(nmi_reason_fatal(NMI_IOCHK));
	assert_false(nmi_reason_fatal(NMI_NO_REASON));
}

/*
 * Nothing at port 0x61: the read gives all ones. That is not SERR#: the
 * machine carries on as for an NMI without a reason. Any one bit clear
 * (refresh, timer out, a disable bit, speaker, gate) is a real register.
 */
static void test_absent_port(void **state)
{
	(void)state;
	assert_int_equal(nmi_reason_decode(0xff), NMI_NO_REASON_PORT);
	assert_false(nmi_reason_fatal(nmi_reason_decode(0xff)));
	for (u32 bit = 0; bit < 8; bit++) {
		u8 v = 0xff & ~(1u << bit);
		enum nmi_reason r = nmi_reason_decode(v);

		assert_true(r == NMI_SERR || r == NMI_IOCHK);
		assert_true(nmi_reason_fatal(r));
	}
}

/* Every value: fatal exactly when bit 7 or 6 is set and it is not 0xff. */
static void test_every_value(void **state)
{
	(void)state;
	for (u32 v = 0; v < 256; v++) {
		enum nmi_reason r = nmi_reason_decode((u8)v);
		bool err = (v & 0xc0) && v != 0xff;

		assert_int_equal(nmi_reason_fatal(r), err);
		if (v & 0x80 && v != 0xff)
			assert_int_equal(r, NMI_SERR);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_seen),
		cmocka_unit_test(test_absent_port),
		cmocka_unit_test(test_every_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
