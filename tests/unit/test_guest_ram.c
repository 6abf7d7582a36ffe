/* sources: */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the guest-physical map of a guest's RAM
 * (hv/guest_ram.h): below 3 GiB at 0, the rest from 4 GiB, the hole
 * between never RAM, ranges across the hole refused.
 */
#include "unit.h"
#include <hv/guest_ram.h>

#define GB (1024ull * 1024 * 1024)
#define MB (1024ull * 1024)

static void test_small_guest(void **state)
{
	u64 off = 1;

	(void)state;
	assert_int_equal(guest_ram_low(64 * MB), 64 * MB);
	assert_int_equal(guest_ram_high(64 * MB), 0);
	assert_int_equal(guest_ram_end(64 * MB), 64 * MB);
	assert_true(guest_ram_offset(64 * MB, 0, 64 * MB, &off));
	assert_int_equal(off, 0);
	assert_true(guest_ram_offset(64 * MB, 64 * MB - 8, 8, &off));
	assert_int_equal(off, 64 * MB - 8);
	assert_false(guest_ram_offset(64 * MB, 64 * MB - 8, 9, &off));
	assert_false(guest_ram_offset(64 * MB, 64 * MB, 0, &off));
	assert_false(guest_ram_offset(64 * MB, 4 * GB, 8, &off));
	assert_false(guest_ram_overlaps(64 * MB, 64 * MB, 4 * GB));
	assert_true(guest_ram_overlaps(64 * MB, 64 * MB - 1, 1));
	assert_false(guest_ram_overlaps(64 * MB, 0xfee00000, 4096));
}

static void test_exactly_3g(void **state)
{
	u64 off;

	(void)state;
	assert_int_equal(guest_ram_low(3 * GB), 3 * GB);
	assert_int_equal(guest_ram_high(3 * GB), 0);
	assert_int_equal(guest_ram_end(3 * GB), 3 * GB);
	assert_false(guest_ram_offset(3 * GB, 3 * GB, 1, &off));
	assert_false(guest_ram_offset(3 * GB, 4 * GB, 1, &off));
}

/* 3584 MiB: 3 GiB at 0, 512 MiB at 4 GiB, backed from offset 3 GiB. */
static void test_big_guest(void **state)
{
	u64 size = 3584 * MB, off = 0;

	(void)state;
	assert_int_equal(guest_ram_low(size), 3 * GB);
	assert_int_equal(guest_ram_high(size), 512 * MB);
	assert_int_equal(guest_ram_end(size), 4 * GB + 512 * MB);
	assert_true(guest_ram_offset(size, 3 * GB - 4096, 4096, &off));
	assert_int_equal(off, 3 * GB - 4096);
	/* The hole: neither the APIC, the IOAPIC nor the start is RAM. */
	assert_false(guest_ram_offset(size, 3 * GB, 1, &off));
	assert_false(guest_ram_offset(size, 0xfee00000, 4, &off));
	assert_false(guest_ram_offset(size, 0xfec00000, 4, &off));
	assert_false(guest_ram_offset(size, 4 * GB - 1, 1, &off));
	/* Across the hole: not contiguous. */
	assert_false(guest_ram_offset(size, 3 * GB - 8, 16, &off));
	assert_true(guest_ram_offset(size, 4 * GB, 4096, &off));
	assert_int_equal(off, 3 * GB);
	assert_true(guest_ram_offset(size, 4 * GB + 512 * MB - 8, 8, &off));
	assert_int_equal(off, size - 8);
	assert_false(guest_ram_offset(size, 4 * GB + 512 * MB - 8, 9, &off));
	assert_false(guest_ram_offset(size, 4 * GB + 512 * MB, 0, &off));
	assert_false(guest_ram_offset(size, ~0ull - 4, 8, &off));
	/* What MMIO may claim: the hole, and above the RAM. */
	assert_false(guest_ram_overlaps(size, 0xfee00000, 4096));
	assert_false(guest_ram_overlaps(size, 3 * GB, 1 * GB));
	assert_true(guest_ram_overlaps(size, 3 * GB, 1 * GB + 1));
	assert_true(guest_ram_overlaps(size, 3 * GB - 1, 2));
	assert_true(guest_ram_overlaps(size, 4 * GB + 100, 1));
	assert_false(guest_ram_overlaps(size, 4 * GB + 512 * MB, 4096));
	assert_false(guest_ram_overlaps(size, 0xfee00000, 0));
}

static void test_huge_guest(void **state)
{
	u64 size = 64 * GB, off;

	(void)state;
	assert_int_equal(guest_ram_high(size), 61 * GB);
	assert_int_equal(guest_ram_end(size), 65 * GB);
	assert_true(guest_ram_offset(size, 65 * GB - 4096, 4096, &off));
	assert_int_equal(off, size - 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_guest),
		cmocka_unit_test(test_exactly_3g),
		cmocka_unit_test(test_big_guest),
		cmocka_unit_test(test_huge_guest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
