/* sources: */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for a guest's console output ring (hv/out_ring.h): a full
 * ring drops the writer's new bytes and counts them, taking bytes makes
 * room, the replay gets the newest bytes.
 */
#include "unit.h"
#include <hv/out_ring.h>

static char buf[8];
static struct out_ring r;

static int setup(void **state)
{
	(void)state;
	r = (struct out_ring){ .buf = buf, .size = sizeof(buf) };
	return 0;
}

static void put_str(const char *s)
{
	while (*s)
		out_ring_put(&r, *s++);
}

static void test_full_ring_drops_and_counts(void **state)
{
	(void)state;
	put_str("0123456789");		/* 10 bytes into 8 */
	assert_int_equal(r.head, 8);
	assert_int_equal(r.lost, 2);
	for (int i = 0; i < 8; i++)
		assert_int_equal(out_ring_get(&r), '0' + i);	/* oldest kept */
	assert_int_equal(out_ring_get(&r), -1);
}

static void test_taking_makes_room(void **state)
{
	(void)state;
	put_str("abcdefgh");
	assert_int_equal(out_ring_get(&r), 'a');
	assert_int_equal(out_ring_get(&r), 'b');
	assert_true(out_ring_put(&r, 'i'));
	assert_true(out_ring_put(&r, 'j'));
	assert_false(out_ring_put(&r, 'k'));
	assert_int_equal(r.lost, 1);
	for (const char *p = "cdefghij"; *p; p++)
		assert_int_equal(out_ring_get(&r), *p);
}

static void test_skip_and_recent(void **state)
{
	char out[16];

	(void)state;
	put_str("abcdefgh");
	out_ring_skip(&r);		/* nobody is shown this guest */
	assert_int_equal(out_ring_get(&r), -1);
	put_str("xyz");			/* room again after the skip */
	assert_int_equal(r.lost, 0);
	assert_int_equal(out_ring_recent(&r, out, 4), 4);
	assert_memory_equal(out, "hxyz", 4);
	assert_int_equal(out_ring_get(&r), -1);	/* replayed: sent */
	assert_int_equal(out_ring_recent(&r, out, 16), 8);
	assert_memory_equal(out, "defghxyz", 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_full_ring_drops_and_counts, setup),
		cmocka_unit_test_setup(test_taking_makes_room, setup),
		cmocka_unit_test_setup(test_skip_and_recent, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
