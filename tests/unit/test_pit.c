/* sources: hv/pit.c hv/lib/string.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the 8254 counter logic (hv/pit.c) against the mode
 * definitions of the Intel 8254 data sheet.
 */
#include "unit.h"
#include <hv/pit.h>

static struct pit p;

static void write_count(u32 ch, u16 n, u64 now)
{
	pit_write_data(&p, ch, n & 0xff, now);
	pit_write_data(&p, ch, n >> 8, now);
}

static void test_mode0(void **state)
{
	(void)state;
	pit_reset(&p);
	pit_write_control(&p, 0x30, 100);	/* ch0, LSB+MSB, mode 0 */
	assert_false(pit_out(&p, 0, 100));
	write_count(0, 1000, 100);
	assert_int_equal(pit_count(&p, 0, 100), 1000);
	assert_int_equal(pit_count(&p, 0, 600), 500);
	assert_false(pit_out(&p, 0, 1099));
	assert_true(pit_out(&p, 0, 1100));
	assert_int_equal(pit_next_edge(&p, 0, 500), 1100);
	assert_int_equal(pit_next_edge(&p, 0, 1100), 0);	/* once */
	/* The counter wraps on after terminal count. */
	assert_int_equal(pit_count(&p, 0, 1101), 0xffff);
}

static void test_mode2_mode3(void **state)
{
	(void)state;
	pit_reset(&p);
	pit_write_control(&p, 0x34, 0);		/* ch0, mode 2 */
	write_count(0, 10, 0);
	assert_int_equal(pit_count(&p, 0, 0), 10);
	assert_int_equal(pit_count(&p, 0, 9), 1);
	assert_false(pit_out(&p, 0, 9));	/* low for one clock */
	assert_true(pit_out(&p, 0, 10));
	assert_int_equal(pit_count(&p, 0, 10), 10);
	assert_int_equal(pit_next_edge(&p, 0, 0), 10);
	assert_int_equal(pit_next_edge(&p, 0, 25), 30);

	pit_write_control(&p, 0x36, 0);		/* ch0, mode 3 */
	write_count(0, 10, 0);
	assert_true(pit_out(&p, 0, 4));
	assert_false(pit_out(&p, 0, 5));
	assert_int_equal(pit_count(&p, 0, 1), 8);	/* by two */
	pit_write_control(&p, 0x3e, 0);		/* mode 7 = mode 3 */
	assert_int_equal(p.c[0].mode, 3);
}

static void test_latch_readback_gate(void **state)
{
	(void)state;
	pit_reset(&p);
	pit_write_control(&p, 0xb0, 0);		/* ch2, LSB+MSB, mode 0 */
	write_count(2, 0xffff, 0);
	/* Gate 2 is low after reset: nothing counts. */
	assert_int_equal(pit_count(&p, 2, 5000), 0xffff);
	pit_set_gate(&p, 2, true, 5000);
	assert_int_equal(pit_count(&p, 2, 5100), 0xffff - 100);
	pit_write_control(&p, 0x80, 5100);	/* latch */
	assert_int_equal(pit_read_data(&p, 2, 9000), (0xffff - 100) & 0xff);
	assert_int_equal(pit_read_data(&p, 2, 9000), (0xffff - 100) >> 8);
	/* Without a latch: the live count. */
	assert_int_equal(pit_read_data(&p, 2, 5200), (0xffff - 200) & 0xff);
	assert_int_equal(pit_read_data(&p, 2, 5200), (0xffff - 200) >> 8);
	/* Gate low freezes, high resumes (mode 0). */
	pit_set_gate(&p, 2, false, 5300);
	assert_int_equal(pit_count(&p, 2, 8000), 0xffff - 300);
	pit_set_gate(&p, 2, true, 8000);
	assert_int_equal(pit_count(&p, 2, 8010), 0xffff - 310);
	/* Read-back: status of counter 2 after terminal count. */
	pit_write_control(&p, 0xe8, 200000);
	assert_int_equal(pit_read_data(&p, 2, 200000), 0xb0);
	/* Read-back of status and count: status first. */
	pit_write_control(&p, 0xc8, 200000);
	assert_int_equal(pit_read_data(&p, 2, 200000), 0xb0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode0),
		cmocka_unit_test(test_mode2_mode3),
		cmocka_unit_test(test_latch_readback_gate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
