/* sources: hv/time.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the host APIC timer arithmetic (drivers/lapic.h) behind a
 * guest's timer deadline: a deadline far in the future (a TSC deadline
 * near 2^64) must wait as long as the timer can, never wrap to a short
 * wait that fires early and again and again.
 */
#include "unit.h"
#include <drivers/lapic.h>
#include <hv/log.h>
#include <hv/time.h>

void hv_log(enum log_level level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

#define PER_MS 62500ULL		/* 1 GHz bus / 16 */

static void test_short_waits(void **state)
{
	(void)state;
	assert_int_equal(lapic_timer_ticks(0, PER_MS), 1);
	assert_int_equal(lapic_timer_ticks(1, PER_MS), 62);
	assert_int_equal(lapic_timer_ticks(1000, PER_MS), PER_MS);
	assert_int_equal(lapic_timer_ticks(1000000, PER_MS), PER_MS * 1000);
}

static void test_long_waits_saturate(void **state)
{
	static const u64 far[] = {
		68719476ULL,		/* just past 2^32 ticks */
		1ULL << 40, 1ULL << 50,
		~0ULL / PER_MS + 1,	/* us * PER_MS wraps */
		~0ULL / 1000, ~0ULL - 1, ~0ULL,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(far); i++)
		assert_int_equal(lapic_timer_ticks(far[i], PER_MS), 0xffffffffU);
	/* Monotonic up to the limit. */
	for (u64 us = 1; us < (1ULL << 62); us *= 3)
		assert_true(lapic_timer_ticks(us * 3, PER_MS) >=
			    lapic_timer_ticks(us, PER_MS));
}

/* The whole path from a TSC deadline: the TSC ticks left, as arm() has it. */
static void test_from_tsc_deadline(void **state)
{
	(void)state;
	time_init(3000000000ULL, 0);		/* 3 GHz */
	assert_int_equal(lapic_timer_ticks(tsc_to_us(~0ULL - 1000) + 1, PER_MS),
			 0xffffffffU);
	assert_int_equal(lapic_timer_ticks(tsc_to_us(3000000ULL) + 1, PER_MS),
			 PER_MS + 62);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_waits),
		cmocka_unit_test(test_long_waits_saturate),
		cmocka_unit_test(test_from_tsc_deadline),
	};

	return cmocka_run_group_tests_name("lapic timer", tests, NULL, NULL);
}
