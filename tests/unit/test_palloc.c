/* sources: hv/mm/palloc.c */
// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the physical range allocator (hv/mm/palloc.c). */
#include "unit.h"
#include <hv/mm/palloc.h>

static struct palloc pa;

static int setup(void **state)
{
	(void)state;
	memset(&pa, 0xa5, sizeof(pa));
	palloc_init(&pa);
	return 0;
}

/* The invariants every operation must keep. */
static void check_invariants(const struct palloc *p)
{
	u64 sum = 0;

	assert_true(p->nr <= PALLOC_MAX_RANGES);
	for (u32 i = 0; i < p->nr; i++) {
		assert_true(IS_ALIGNED(p->r[i].start, PAGE_SIZE));
		assert_true(IS_ALIGNED(p->r[i].end, PAGE_SIZE));
		assert_true(p->r[i].start < p->r[i].end);
		assert_true(p->r[i].start >= PAGE_SIZE);
		/* Sorted, disjoint and not touching (else merged). */
		if (i)
			assert_true(p->r[i - 1].end < p->r[i].start);
		sum += p->r[i].end - p->r[i].start;
	}
	assert_int_equal(sum, p->free_bytes);
}

static void test_init_empty(void **state)
{
	(void)state;
	assert_int_equal(pa.nr, 0);
	assert_int_equal(pa.free_bytes, 0);
	assert_int_equal(palloc_alloc(&pa, PAGE_SIZE, PAGE_SIZE, 0), 0);
}

static void test_add_trims_to_pages(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, 0x1001, 0x3000), 0);
	/* [0x1001, 0x4001) -> [0x2000, 0x4000) */
	assert_int_equal(pa.nr, 1);
	assert_int_equal(pa.r[0].start, 0x2000);
	assert_int_equal(pa.r[0].end, 0x4000);
	/* Less than a page after trimming: nothing added, not an error. */
	assert_int_equal(palloc_add(&pa, 0x10001, 0x1000), 0);
	assert_int_equal(palloc_add(&pa, 0x20000, 0), 0);
	assert_int_equal(pa.nr, 1);
	check_invariants(&pa);
}

static void test_add_never_page0(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, 0, 0x3000), 0);
	assert_int_equal(pa.r[0].start, 0x1000);
	assert_int_equal(pa.free_bytes, 0x2000);
	/* Exhaust: the allocator must never return 0 as an address. */
	assert_int_equal(palloc_alloc(&pa, PAGE_SIZE, PAGE_SIZE, 0), 0x2000);
	assert_int_equal(palloc_alloc(&pa, PAGE_SIZE, PAGE_SIZE, 0), 0x1000);
	assert_int_equal(palloc_alloc(&pa, PAGE_SIZE, PAGE_SIZE, 0), 0);
	assert_int_equal(pa.free_bytes, 0);
	assert_int_equal(palloc_free(&pa, 0, PAGE_SIZE), -EINVAL);
}

static void test_add_merges(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, 0x10000, 0x1000), 0);
	assert_int_equal(palloc_add(&pa, 0x30000, 0x1000), 0);
	assert_int_equal(palloc_add(&pa, 0x20000, 0x1000), 0);
	assert_int_equal(pa.nr, 3);
	/* Adjacent below and above. */
	assert_int_equal(palloc_add(&pa, 0x11000, 0xf000), 0);
	assert_int_equal(pa.nr, 2);
	assert_int_equal(palloc_add(&pa, 0x21000, 0xf000), 0);
	assert_int_equal(pa.nr, 1);
	assert_int_equal(pa.r[0].start, 0x10000);
	assert_int_equal(pa.r[0].end, 0x31000);
	/* Overlapping add is a union, counted once. */
	assert_int_equal(palloc_add(&pa, 0x8000, 0x40000), 0);
	assert_int_equal(pa.nr, 1);
	assert_int_equal(pa.r[0].start, 0x8000);
	assert_int_equal(pa.r[0].end, 0x48000);
	assert_int_equal(pa.free_bytes, 0x40000);
	check_invariants(&pa);
}

static void test_add_unsorted_and_full(void **state)
{
	(void)state;
	/* Add 256 non-adjacent ranges in reverse order. */
	for (int i = PALLOC_MAX_RANGES - 1; i >= 0; i--)
		assert_int_equal(palloc_add(&pa, 0x100000 + i * 0x10000ULL,
					    0x1000), 0);
	assert_int_equal(pa.nr, PALLOC_MAX_RANGES);
	check_invariants(&pa);
	assert_int_equal(palloc_add(&pa, 0x10000000, 0x1000), -ENOSPC);
	/* Merging into an existing one still works when full. */
	assert_int_equal(palloc_add(&pa, 0x101000, 0x1000), 0);
	assert_int_equal(pa.nr, PALLOC_MAX_RANGES);
	/* Bridging two ranges frees a slot. */
	assert_int_equal(palloc_add(&pa, 0x102000, 0xe000), 0);
	assert_int_equal(pa.nr, PALLOC_MAX_RANGES - 1);
	check_invariants(&pa);
}

static void test_add_top_of_address_space(void **state)
{
	(void)state;
	/* A range ending at 2^64 must not overflow. */
	assert_int_equal(palloc_add(&pa, 0xfffffffffff00000ULL, 0x100000), 0);
	assert_int_equal(pa.nr, 1);
	assert_int_equal(pa.r[0].end, 0xfffffffffffff000ULL);
	assert_int_equal(palloc_add(&pa, 0xffffffffffffff00ULL, ~0ULL), 0);
	check_invariants(&pa);
	assert_int_equal(palloc_alloc(&pa, 0x1000, 0x1000, 0),
			 0xffffffffffffe000ULL);
	check_invariants(&pa);
}

static void test_reserve(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, 0x100000, 0x100000), 0);
	/* Middle: split, widened to pages. */
	assert_int_equal(palloc_reserve(&pa, 0x150800, 0x1000), 0);
	assert_int_equal(pa.nr, 2);
	assert_int_equal(pa.r[0].end, 0x150000);
	assert_int_equal(pa.r[1].start, 0x152000);
	/* Head and tail. */
	assert_int_equal(palloc_reserve(&pa, 0xff000, 0x2000), 0);
	assert_int_equal(pa.r[0].start, 0x101000);
	assert_int_equal(palloc_reserve(&pa, 0x1ff000, 0x10000), 0);
	assert_int_equal(pa.r[1].end, 0x1ff000);
	/* Spanning both ranges and the hole between. */
	assert_int_equal(palloc_reserve(&pa, 0x140000, 0x20000), 0);
	assert_int_equal(pa.r[0].end, 0x140000);
	assert_int_equal(pa.r[1].start, 0x160000);
	/* Not free at all: fine. */
	assert_int_equal(palloc_reserve(&pa, 0x500000, 0x1000), 0);
	assert_int_equal(palloc_reserve(&pa, 0x500000, 0), 0);
	/* Everything. */
	check_invariants(&pa);
	assert_int_equal(palloc_reserve(&pa, 0, ~0ULL), 0);
	assert_int_equal(pa.nr, 0);
	assert_int_equal(pa.free_bytes, 0);
}

static void test_reserve_split_when_full(void **state)
{
	(void)state;
	for (int i = 0; i < PALLOC_MAX_RANGES; i++)
		assert_int_equal(palloc_add(&pa, 0x100000 + i * 0x10000ULL,
					    0x4000), 0);
	assert_int_equal(palloc_reserve(&pa, 0x101000, 0x1000), -ENOSPC);
	check_invariants(&pa);
	assert_int_equal(pa.free_bytes, PALLOC_MAX_RANGES * 0x4000ULL);
	/* Trimming an end needs no slot. */
	assert_int_equal(palloc_reserve(&pa, 0x100000, 0x1000), 0);
	check_invariants(&pa);
}

static void test_alloc_highest_first(void **state)
{
	(void)state;
	assert_int_equal(palloc_add(&pa, 0x100000, 0x100000), 0);
	assert_int_equal(palloc_add(&pa, 0x1000000, 0x100000), 0);
	assert_int_equal(palloc_alloc(&pa, 0x1000, 0x1000, 0), 0x10ff000);
	/* Size rounded up to pages. */
	assert_int_equal(palloc_alloc(&pa, 1, 0x1000, 0), 0x10fe000);
	assert_int_equal(palloc_alloc(&pa, 0x1001, 0x1000, 0), 0x10fc000);
	assert_int_equal(pa.free_bytes, 0x200000 - 0x4000);
	check_invariants(&pa);
}

static void test_alloc_alignment(void **state)
{
	u64 a;

	(void)state;
	assert_int_equal(palloc_add(&pa, 0x101000, 0x7ff000), 0);
	a = palloc_alloc(&pa, 0x200000, 0x200000, 0);
	assert_int_equal(a, 0x600000);
	/* [0x101000, 0x600000) and [0x800000, 0x900000) are left. */
	assert_int_equal(pa.nr, 2);
	a = palloc_alloc(&pa, 0x1000, 0x200000, 0);
	assert_int_equal(a, 0x800000);
	a = palloc_alloc(&pa, 0x1000, 0x200000, 0);
	assert_int_equal(a, 0x400000);
	/* Leaves a hole above the allocation: range split in two. */
	assert_int_equal(pa.nr, 3);
	check_invariants(&pa);
	/* 1 GiB alignment is impossible here. */
	assert_int_equal(palloc_alloc(&pa, 0x1000, GiB, 0), 0);
	/* Alignment smaller than a page is a page; non-power-of-two fails. */
	a = palloc_alloc(&pa, 0x1000, 16, 0);
	assert_true(a && IS_ALIGNED(a, PAGE_SIZE));
	assert_int_equal(palloc_alloc(&pa, 0x1000, 0x3000, 0), 0);
	check_invariants(&pa);
}

static void test_alloc_max_end(void **state)
{
	u64 a;

	(void)state;
	assert_int_equal(palloc_add(&pa, 0x1000, 0x9f000), 0);
	assert_int_equal(palloc_add(&pa, 0x100000, 0x10000000), 0);
	/* Below 1 MiB, e.g. the AP trampoline. */
	a = palloc_alloc(&pa, 0x1000, 0x1000, 0x100000);
	assert_int_equal(a, 0x9f000);
	a = palloc_alloc(&pa, 0x2000, 0x1000, 0x9f000);
	assert_int_equal(a, 0x9d000);
	/* max_end inside the upper range. */
	a = palloc_alloc(&pa, 0x1000, 0x1000, 0x180800);
	assert_int_equal(a, 0x17f000);
	assert_true(a + 0x1000 <= 0x180800);
	/* Nothing fits below 0x2000 except [0x1000, 0x2000). */
	assert_int_equal(palloc_alloc(&pa, 0x2000, 0x1000, 0x2000), 0);
	assert_int_equal(palloc_alloc(&pa, 0x1000, 0x1000, 0x2000), 0x1000);
	assert_int_equal(palloc_alloc(&pa, 0x1000, 0x1000, 0x2000), 0);
	check_invariants(&pa);
}

static void test_alloc_exhaustion(void **state)
{
	u64 seen[64];
	int n = 0;
	u64 a;

	(void)state;
	assert_int_equal(palloc_add(&pa, 0x10000, 0x20000), 0);
	assert_int_equal(palloc_add(&pa, 0x80000, 0x20000), 0);
	while ((a = palloc_alloc(&pa, 0x1000, 0x1000, 0)) != 0) {
		assert_true(n < 64);
		for (int i = 0; i < n; i++)
			assert_true(seen[i] != a);
		seen[n++] = a;
	}
	assert_int_equal(n, 64);
	assert_int_equal(pa.free_bytes, 0);
	assert_int_equal(pa.nr, 0);
	/* Zero and absurd sizes. */
	for (int i = 0; i < n; i++)
		assert_int_equal(palloc_free(&pa, seen[i], 0x1000), 0);
	assert_int_equal(pa.nr, 2);
	assert_int_equal(pa.free_bytes, 0x40000);
	assert_int_equal(palloc_alloc(&pa, 0, 0x1000, 0), 0);
	assert_int_equal(palloc_alloc(&pa, ~0ULL, 0x1000, 0), 0);
	assert_int_equal(palloc_alloc(&pa, 0x21000, 0x1000, 0), 0);
	assert_int_equal(palloc_alloc(&pa, 0x20000, 0x1000, 0), 0x80000);
	check_invariants(&pa);
}

static void test_free_and_double_free(void **state)
{
	u64 a, b;

	(void)state;
	assert_int_equal(palloc_add(&pa, 0x100000, 0x100000), 0);
	a = palloc_alloc(&pa, 0x3000, 0x1000, 0);
	b = palloc_alloc(&pa, 0x1000, 0x1000, 0);
	assert_int_equal(a, 0x1fd000);
	assert_int_equal(b, 0x1fc000);
	assert_int_equal(palloc_free(&pa, a, 0x3000), 0);
	assert_int_equal(palloc_free(&pa, a, 0x3000), -EINVAL);
	/* Partly free is a double free too. */
	assert_int_equal(palloc_free(&pa, b, 0x2000), -EINVAL);
	assert_int_equal(palloc_free(&pa, a + 0x1000, 0x1000), -EINVAL);
	/* Misaligned / empty / overflowing. */
	assert_int_equal(palloc_free(&pa, b + 1, 0x1000), -EINVAL);
	assert_int_equal(palloc_free(&pa, b, 0), -EINVAL);
	assert_int_equal(palloc_free(&pa, b, ~0ULL), -EINVAL);
	assert_int_equal(palloc_free(&pa, 0xfffffffffffff000ULL, 0x2000),
			 -EINVAL);
	assert_int_equal(palloc_free(&pa, b, 0x1000), 0);
	/* Merged back into one range. */
	assert_int_equal(pa.nr, 1);
	assert_int_equal(pa.free_bytes, 0x100000);
	/* Size rounded up to pages on free as on alloc. */
	a = palloc_alloc(&pa, 0x10, 0x1000, 0);
	assert_int_equal(palloc_free(&pa, a, 0x10), 0);
	assert_int_equal(pa.free_bytes, 0x100000);
	check_invariants(&pa);
}

static void test_alloc_needs_slot(void **state)
{
	u64 a;

	(void)state;
	/*
	 * Full array of [X+0x1000, X+0x4000): an 8 KiB-aligned page lands at
	 * X+0x2000 and would split every range, so nothing can be taken.
	 */
	for (int i = 0; i < PALLOC_MAX_RANGES; i++)
		assert_int_equal(palloc_add(&pa, 0x1001000 + i * 0x1000000ULL,
					    0x3000), 0);
	assert_int_equal(palloc_add(&pa, 0x40800000, 0x3000), -ENOSPC);
	assert_int_equal(palloc_alloc(&pa, 0x1000, 0x2000, 0), 0);
	assert_int_equal(pa.free_bytes, PALLOC_MAX_RANGES * 0x3000ULL);
	check_invariants(&pa);
	/* Taking the top page of a range needs no slot. */
	a = palloc_alloc(&pa, 0x1000, 0x1000, 0);
	assert_int_equal(a, 0x1001000 + 255 * 0x1000000ULL + 0x2000);
	/* And now one 8 KiB-aligned page fits at the end of that range. */
	assert_int_equal(palloc_alloc(&pa, 0x1000, 0x2000, 0),
			 0x1001000 + 255 * 0x1000000ULL + 0x1000);
	check_invariants(&pa);
}

/* Random operations against a page bitmap model. */
static void test_random_model(void **state)
{
	enum { PAGES = 512 };
	static bool model[PAGES];
	u64 base = 0x100000;
	unsigned int seed = 12345;

	(void)state;
	memset(model, 0, sizeof(model));
	for (int iter = 0; iter < 4000; iter++) {
		unsigned int op, p, n;

		seed = seed * 1103515245 + 12345;
		op = (seed >> 16) % 4;
		seed = seed * 1103515245 + 12345;
		p = (seed >> 16) % PAGES;
		seed = seed * 1103515245 + 12345;
		n = 1 + (seed >> 16) % 8;
		if (p + n > PAGES)
			n = PAGES - p;
		if (op == 0) {
			assert_int_equal(palloc_add(&pa, base + p * PAGE_SIZE,
						    n * PAGE_SIZE), 0);
			for (unsigned int i = p; i < p + n; i++)
				model[i] = true;
		} else if (op == 1) {
			assert_int_equal(palloc_reserve(&pa,
				base + p * PAGE_SIZE, n * PAGE_SIZE), 0);
			for (unsigned int i = p; i < p + n; i++)
				model[i] = false;
		} else if (op == 2) {
			bool any = false;
			int ret = palloc_free(&pa, base + p * PAGE_SIZE,
					      n * PAGE_SIZE);

			for (unsigned int i = p; i < p + n; i++)
				any |= model[i];
			assert_int_equal(ret, any ? -EINVAL : 0);
			if (!any)
				for (unsigned int i = p; i < p + n; i++)
					model[i] = true;
		} else {
			u64 a = palloc_alloc(&pa, n * PAGE_SIZE, PAGE_SIZE, 0);

			if (a) {
				unsigned int q = (a - base) / PAGE_SIZE;

				assert_true(a >= base);
				assert_true(q + n <= PAGES);
				for (unsigned int i = q; i < q + n; i++) {
					assert_true(model[i]);
					model[i] = false;
				}
			}
		}
		check_invariants(&pa);
		for (unsigned int i = 0; i < PAGES; i++) {
			u64 addr = base + i * PAGE_SIZE;
			bool in = false;

			for (u32 k = 0; k < pa.nr; k++)
				if (addr >= pa.r[k].start && addr < pa.r[k].end)
					in = true;
			assert_int_equal(in, model[i]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_empty, setup),
		cmocka_unit_test_setup(test_add_trims_to_pages, setup),
		cmocka_unit_test_setup(test_add_never_page0, setup),
		cmocka_unit_test_setup(test_add_merges, setup),
		cmocka_unit_test_setup(test_add_unsorted_and_full, setup),
		cmocka_unit_test_setup(test_add_top_of_address_space, setup),
		cmocka_unit_test_setup(test_reserve, setup),
		cmocka_unit_test_setup(test_reserve_split_when_full, setup),
		cmocka_unit_test_setup(test_alloc_highest_first, setup),
		cmocka_unit_test_setup(test_alloc_alignment, setup),
		cmocka_unit_test_setup(test_alloc_max_end, setup),
		cmocka_unit_test_setup(test_alloc_exhaustion, setup),
		cmocka_unit_test_setup(test_free_and_double_free, setup),
		cmocka_unit_test_setup(test_alloc_needs_slot, setup),
		cmocka_unit_test_setup(test_random_model, setup),
	};

	return cmocka_run_group_tests_name("palloc", tests, NULL, NULL);
}
