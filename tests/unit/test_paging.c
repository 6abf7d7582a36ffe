/* sources: hv/mm/paging.c */
// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the page-table builder (hv/mm/paging.c). */
#include "unit.h"
#include <hv/mm/paging.h>

/* Tables are heap pages; their "physical" address is the pointer. */
#define MAX_TABLES 4096

struct heap {
	void *live[MAX_TABLES];
	int nr_live;
	int allocs;
	int frees;
	int fail_after;		/* -1: never fail */
};

static struct heap heap;
static struct pt_ctx pt;

static void *alloc_table(void *opaque, u64 *phys)
{
	struct heap *h = opaque;
	void *p;

	if (h->fail_after == 0)
		return NULL;
	if (h->fail_after > 0)
		h->fail_after--;
	assert_true(h->nr_live < MAX_TABLES);
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	assert_non_null(p);
	memset(p, 0, PAGE_SIZE);
	h->live[h->nr_live++] = p;
	h->allocs++;
	*phys = (u64)(uintptr_t)p;
	return p;
}

static void *phys_to_virt(void *opaque, u64 phys)
{
	struct heap *h = opaque;

	/* Every table the builder reaches must be one it allocated. */
	for (int i = 0; i < h->nr_live; i++)
		if ((u64)(uintptr_t)h->live[i] == phys)
			return h->live[i];
	fail_msg("phys_to_virt(%#llx): not a table", (unsigned long long)phys);
	return NULL;
}

static void free_table(void *opaque, u64 phys)
{
	struct heap *h = opaque;

	for (int i = 0; i < h->nr_live; i++) {
		if ((u64)(uintptr_t)h->live[i] == phys) {
			free(h->live[i]);
			h->live[i] = h->live[--h->nr_live];
			h->frees++;
			return;
		}
	}
	fail_msg("free_table(%#llx): not live (double free?)",
		 (unsigned long long)phys);
}

static int setup_fmt(const struct pt_format *fmt)
{
	memset(&heap, 0, sizeof(heap));
	heap.fail_after = -1;
	memset(&pt, 0, sizeof(pt));
	pt.fmt = fmt;
	pt.alloc_table = alloc_table;
	pt.phys_to_virt = phys_to_virt;
	pt.opaque = &heap;
	return pt_init(&pt);
}

static int setup_x86(void **state)
{
	(void)state;
	return setup_fmt(&pt_format_x86);
}

static int setup_ept(void **state)
{
	(void)state;
	return setup_fmt(&pt_format_ept);
}

static int teardown(void **state)
{
	(void)state;
	pt_destroy(&pt, free_table);
	assert_int_equal(heap.nr_live, 0);
	assert_int_equal(heap.allocs, heap.frees);
	assert_int_equal(pt.root, 0);
	return 0;
}

#define RW (PTE_P | PTE_RW)

static void expect_map(u64 va, u64 pa, u64 flags, u64 size)
{
	u64 rpa = 0, rflags = 0, rsize = 0;

	assert_int_equal(pt_lookup(&pt, va, &rpa, &rflags, &rsize), 0);
	assert_int_equal(rpa, pa);
	assert_int_equal(rflags, flags);
	assert_int_equal(rsize, size);
}

static void expect_unmapped(u64 va)
{
	u64 rpa = 0;

	assert_int_equal(pt_lookup(&pt, va, &rpa, NULL, NULL), -ENOENT);
}

static u64 *table_at(u64 phys)
{
	return phys_to_virt(&heap, phys & PT_ADDR_MASK);
}

static void test_formats(void **state)
{
	(void)state;
	assert_int_equal(pt_format_x86.table_flags, PTE_P | PTE_RW | PTE_US);
	assert_int_equal(pt_format_x86.large_bit, PTE_PS);
	assert_int_equal(pt_format_x86.valid_mask, PTE_P);
	assert_true(pt_format_x86.allow_1g);
	assert_int_equal(pt_format_ept.table_flags, EPT_R | EPT_W | EPT_X);
	assert_int_equal(pt_format_ept.large_bit, EPT_PS);
	assert_int_equal(pt_format_ept.valid_mask, EPT_R | EPT_W | EPT_X);
	/* Root exists and is empty. */
	assert_int_equal(heap.allocs, 1);
	assert_true(pt.root && IS_ALIGNED(pt.root, PAGE_SIZE));
	expect_unmapped(0);
	expect_unmapped(0x7ffffffff000ULL);
}

static void test_map_4k(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, 0x1000, 0x5000, 0x2000, RW), 0);
	/* PML4 + PDPT + PD + PT */
	assert_int_equal(heap.allocs, 4);
	expect_map(0x1000, 0x5000, RW, 0x1000);
	expect_map(0x1abc, 0x5abc, RW, 0x1000);
	expect_map(0x2fff, 0x6fff, RW, 0x1000);
	expect_unmapped(0);
	expect_unmapped(0x3000);
	/* Non-leaf entries carry P|RW|US (NPT walks are user accesses). */
	{
		u64 *pml4 = table_at(pt.root);
		u64 *pdpt = table_at(pml4[0]);
		u64 *pd = table_at(pdpt[0]);

		assert_int_equal(pml4[0] & ~PT_ADDR_MASK, PTE_P | PTE_RW | PTE_US);
		assert_int_equal(pdpt[0] & ~PT_ADDR_MASK, PTE_P | PTE_RW | PTE_US);
		assert_int_equal(pd[0] & ~PT_ADDR_MASK, PTE_P | PTE_RW | PTE_US);
	}
}

static void test_map_mixed_sizes(void **state)
{
	u64 va = 0x40000000ULL - 0x201000ULL;	/* 1 GiB - 2 MiB - 4 KiB */
	u64 size = 0x201000ULL + GiB + 0x201000ULL;

	(void)state;
	/* 4K, then 2M, then 1G, then 2M, then 4K, when pa is aligned as va. */
	assert_int_equal(pt_map(&pt, va, va + 0x100000000ULL, size,
				RW | PTE_NX), 0);
	expect_map(va, va + 0x100000000ULL, RW | PTE_NX, 0x1000);
	expect_map(va + 0x1000, va + 0x100001000ULL, RW | PTE_NX, 0x200000);
	expect_map(0x40000000, 0x140000000ULL, RW | PTE_NX, GiB);
	expect_map(0x7fffffff, 0x17fffffffULL, RW | PTE_NX, GiB);
	expect_map(0x80000000, 0x180000000ULL, RW | PTE_NX, 0x200000);
	expect_map(0x80200000, 0x180200000ULL, RW | PTE_NX, 0x1000);
	expect_unmapped(0x80201000);
	expect_unmapped(va - 0x1000);
	/* PML4, PDPT, 2 PDs, 2 PTs. */
	assert_int_equal(heap.allocs, 6);
}

static void test_map_unaligned_pa_uses_4k(void **state)
{
	(void)state;
	/* va is 2M aligned but pa only 4K: no large leaves possible. */
	assert_int_equal(pt_map(&pt, 0x200000, 0x301000, 0x400000, RW), 0);
	expect_map(0x200000, 0x301000, RW, 0x1000);
	expect_map(0x5ff000, 0x700000, RW, 0x1000);
	/* PML4, PDPT, PD, 2 PTs */
	assert_int_equal(heap.allocs, 5);
}

static void test_lookup_null_outputs_and_high_half(void **state)
{
	u64 va = 0xffffffff80000000ULL;
	u64 pa;

	(void)state;
	assert_int_equal(pt_map(&pt, va, 0x1000000, 0x200000, RW | PTE_G), 0);
	assert_int_equal(pt_lookup(&pt, va + 0x1234, NULL, NULL, NULL), 0);
	assert_int_equal(pt_lookup(&pt, va + 0x1234, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0x1001234);
	/* PML4 index 511. */
	assert_true(table_at(pt.root)[511] & PTE_P);
	/* Non-canonical addresses are rejected. */
	assert_int_equal(pt_lookup(&pt, 0x0001000000000000ULL, NULL, NULL,
				   NULL), -EINVAL);
	assert_int_equal(pt_map(&pt, 0x0000fffffffff000ULL, 0, 0x2000, RW),
			 -EINVAL);
	assert_int_equal(pt_map(&pt, 0xffff7ffffffff000ULL, 0, 0x1000, RW),
			 -EINVAL);
	/* The very last page of the address space. */
	assert_int_equal(pt_map(&pt, 0xfffffffffffff000ULL, 0x3000, 0x1000,
				RW), 0);
	expect_map(0xffffffffffffffffULL, 0x3fff, RW, 0x1000);
}

static void test_split_1g(void **state)
{
	int before;

	(void)state;
	assert_int_equal(pt_map(&pt, GiB, 0x200000000ULL, GiB, RW | PTE_US), 0);
	expect_map(GiB + 0x12345678, 0x212345678ULL, RW | PTE_US, GiB);
	before = heap.allocs;
	/* A 4K mapping inside: 1G -> 512 x 2M -> one 2M -> 512 x 4K. */
	assert_int_equal(pt_map(&pt, GiB + 0x401000, 0x9000, 0x1000, RW), 0);
	assert_int_equal(heap.allocs, before + 2);
	expect_map(GiB + 0x401000, 0x9000, RW, 0x1000);
	/* The rest of the 1G still maps the same memory with the same flags. */
	expect_map(GiB, 0x200000000ULL, RW | PTE_US, 0x200000);
	expect_map(GiB + 0x400000, 0x200400000ULL, RW | PTE_US, 0x1000);
	expect_map(GiB + 0x402000, 0x200402000ULL, RW | PTE_US, 0x1000);
	expect_map(GiB + 0x5ff000, 0x2005ff000ULL, RW | PTE_US, 0x1000);
	expect_map(GiB + 0x600000, 0x200600000ULL, RW | PTE_US, 0x200000);
	expect_map(2 * GiB - 1, 0x23fffffffULL, RW | PTE_US, 0x200000);
}

static void test_split_2m_and_remap_large(void **state)
{
	int before;

	(void)state;
	assert_int_equal(pt_map(&pt, 0x400000, 0x800000, 0x200000, RW), 0);
	before = heap.allocs;
	assert_int_equal(pt_map(&pt, 0x5ff000, 0x1000, 0x1000, PTE_P), 0);
	assert_int_equal(heap.allocs, before + 1);
	expect_map(0x400000, 0x800000, RW, 0x1000);
	expect_map(0x5fe000, 0x9fe000, RW, 0x1000);
	expect_map(0x5ff000, 0x1000, PTE_P, 0x1000);
	/*
	 * Mapping a 2M page over the split range keeps the page table (the
	 * builder cannot free it) and fills it with 4K leaves.
	 */
	assert_int_equal(pt_map(&pt, 0x400000, 0xc00000, 0x200000, RW), 0);
	assert_int_equal(heap.allocs, before + 1);
	expect_map(0x400000, 0xc00000, RW, 0x1000);
	expect_map(0x5ff000, 0xdff000, RW, 0x1000);
	/* Replacing an existing 2M leaf by another 2M leaf. */
	assert_int_equal(pt_map(&pt, 0x800000, 0x800000, 0x200000, RW), 0);
	assert_int_equal(pt_map(&pt, 0x800000, 0xa00000, 0x200000, PTE_P), 0);
	expect_map(0x900000, 0xb00000, PTE_P, 0x200000);
}

static void test_unmap(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, 0, 0, 4 * GiB, RW), 0);
	expect_map(3 * GiB + 5, 3 * GiB + 5, RW, GiB);
	/* Whole 1G leaf. */
	assert_int_equal(pt_unmap(&pt, GiB, GiB), 0);
	expect_unmapped(GiB);
	expect_unmapped(2 * GiB - 1);
	expect_map(2 * GiB, 2 * GiB, RW, GiB);
	/* A 4K hole in a 1G leaf splits twice. */
	assert_int_equal(pt_unmap(&pt, 2 * GiB + 0x3000, 0x1000), 0);
	expect_unmapped(2 * GiB + 0x3000);
	expect_map(2 * GiB + 0x2000, 2 * GiB + 0x2000, RW, 0x1000);
	expect_map(2 * GiB + 0x4000, 2 * GiB + 0x4000, RW, 0x1000);
	expect_map(2 * GiB + 0x200000, 2 * GiB + 0x200000, RW, 0x200000);
	/* A range spanning mapped, unmapped, 2M and 4K pieces. */
	assert_int_equal(pt_unmap(&pt, GiB - 0x1000, GiB + 0x400000), 0);
	expect_unmapped(GiB - 0x1000);
	expect_map(GiB - 0x2000, GiB - 0x2000, RW, 0x1000);
	expect_unmapped(2 * GiB + 0x3fe000);
	expect_map(2 * GiB + 0x3ff000, 2 * GiB + 0x3ff000, RW, 0x1000);
	expect_map(2 * GiB + 0x400000, 2 * GiB + 0x400000, RW, 0x200000);
	/* Unmapping nothing. */
	assert_int_equal(pt_unmap(&pt, 100 * GiB, 10 * GiB), 0);
	assert_int_equal(pt_unmap(&pt, 0, 0), 0);
	/* Everything, including the top of the 48-bit space. */
	assert_int_equal(pt_unmap(&pt, 0, BIT(48)), 0);
	expect_unmapped(0);
	expect_unmapped(3 * GiB);
}

static void test_ept_flags(void **state)
{
	u64 wb = 6ULL << EPT_MT_SHIFT;
	u64 *pml4, *pdpt;

	(void)state;
	assert_int_equal(pt_map(&pt, 0, 0x100000000ULL, 2 * GiB,
				EPT_R | EPT_W | EPT_X | wb | EPT_IPAT), 0);
	assert_int_equal(pt_map(&pt, 2 * GiB, 0xfee00000, 0x1000,
				EPT_R | EPT_W), 0);
	expect_map(0x1234, 0x100001234ULL, EPT_R | EPT_W | EPT_X | wb | EPT_IPAT,
		   GiB);
	expect_map(2 * GiB, 0xfee00000, EPT_R | EPT_W, 0x1000);
	pml4 = table_at(pt.root);
	pdpt = table_at(pml4[0]);
	assert_int_equal(pml4[0] & ~PT_ADDR_MASK, EPT_R | EPT_W | EPT_X);
	assert_int_equal(pdpt[0] & ~PT_ADDR_MASK,
			 EPT_R | EPT_W | EPT_X | wb | EPT_IPAT | EPT_PS);
	assert_int_equal(pdpt[2] & ~PT_ADDR_MASK, EPT_R | EPT_W | EPT_X);
	/* Execute-only is present in EPT. */
	assert_int_equal(pt_map(&pt, 3 * GiB, 0x1000, 0x1000, EPT_X), 0);
	expect_map(3 * GiB, 0x1000, EPT_X, 0x1000);
	/* Split keeps memory type. */
	assert_int_equal(pt_unmap(&pt, 0x200000, 0x1000), 0);
	expect_map(0x201000, 0x100201000ULL,
		   EPT_R | EPT_W | EPT_X | wb | EPT_IPAT, 0x1000);
	expect_map(0x400000, 0x100400000ULL,
		   EPT_R | EPT_W | EPT_X | wb | EPT_IPAT, 0x200000);
	/* No permission at all would be "not present": refused. */
	assert_int_equal(pt_map(&pt, 0, 0, 0x1000, wb), -EINVAL);
}

static void test_bad_args(void **state)
{
	(void)state;
	assert_int_equal(pt_map(&pt, 0x1001, 0, 0x1000, RW), -EINVAL);
	assert_int_equal(pt_map(&pt, 0x1000, 0x10, 0x1000, RW), -EINVAL);
	assert_int_equal(pt_map(&pt, 0x1000, 0, 0x1001, RW), -EINVAL);
	assert_int_equal(pt_unmap(&pt, 0x800, 0x1000), -EINVAL);
	assert_int_equal(pt_unmap(&pt, 0x1000, 0x10), -EINVAL);
	/* Flags with address bits, flags without P. */
	assert_int_equal(pt_map(&pt, 0, 0, 0x1000, RW | 0x1000), -EINVAL);
	assert_int_equal(pt_map(&pt, 0, 0, 0x1000, PTE_RW), -EINVAL);
	/* Physical address beyond 52 bits. */
	assert_int_equal(pt_map(&pt, 0, BIT(52), 0x1000, RW), -EINVAL);
	assert_int_equal(pt_map(&pt, 0, BIT(52) - 0x1000, 0x2000, RW),
			 -EINVAL);
	/* Size zero is a no-op. */
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0, RW), 0);
	assert_int_equal(heap.allocs, 1);
	/* A caller's PS bit is ignored: the builder decides. */
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, 0x1000, RW | PTE_PS), 0);
	expect_map(0x1000, 0x1000, RW, 0x1000);
	/* No context. */
	{
		struct pt_ctx bad = { 0 };

		assert_int_equal(pt_init(&bad), -EINVAL);
		assert_int_equal(pt_map(&bad, 0, 0, 0x1000, RW), -EINVAL);
		pt_destroy(&bad, free_table);
	}
}

static void test_alloc_failure(void **state)
{
	(void)state;
	heap.fail_after = 1;	/* PDPT only */
	assert_int_equal(pt_map(&pt, 0, 0, 0x1000, RW), -ENOMEM);
	heap.fail_after = -1;
	assert_int_equal(pt_map(&pt, 0, 0, GiB, RW), 0);
	heap.fail_after = 0;
	/* Split needs a table: fails cleanly, the 1G leaf is intact. */
	assert_int_equal(pt_unmap(&pt, 0x1000, 0x1000), -ENOMEM);
	expect_map(0x1000, 0x1000, RW, GiB);
	heap.fail_after = -1;
	{
		struct pt_ctx bad = pt;

		heap.fail_after = 0;
		assert_int_equal(pt_init(&bad), -ENOMEM);
		heap.fail_after = -1;
	}
}

static void test_destroy_counts(void **state)
{
	(void)state;
	/* Scatter mappings over many tables, then destroy (in teardown). */
	for (int i = 0; i < 16; i++)
		assert_int_equal(pt_map(&pt, (u64)i * 513 * GiB + 0x3000,
					0x3000, 0x1000, RW), 0);
	assert_int_equal(pt_map(&pt, 0x7f0000000000ULL, 0, 3 * GiB, RW), 0);
	assert_int_equal(pt_unmap(&pt, 0x7f0000001000ULL, 0x1000), 0);
	assert_true(heap.allocs > 16 * 3);
	/* destroy without a callback just forgets the root. */
	{
		struct pt_ctx copy = pt;

		pt_destroy(&copy, NULL);
		assert_int_equal(copy.root, 0);
		assert_int_equal(heap.frees, 0);
	}
}

/* Random maps/unmaps against a page-granular model. */
static void test_random_model(void **state)
{
	enum { PAGES = 2048 };	/* 8 MiB window at 1 GiB - 4 MiB */
	static u64 model[PAGES];	/* pa + 1, or 0 */
	u64 base = GiB - 4 * MiB;
	unsigned int seed = 7;

	(void)state;
	memset(model, 0, sizeof(model));
	for (int iter = 0; iter < 300; iter++) {
		unsigned int p, n, op;
		u64 pa;

		seed = seed * 1103515245 + 12345;
		op = (seed >> 16) % 3;
		seed = seed * 1103515245 + 12345;
		p = (seed >> 16) % PAGES;
		seed = seed * 1103515245 + 12345;
		n = (seed >> 16) % 3 == 0 ? 512 + (seed >> 20) % 1024 :
		    1 + (seed >> 20) % 16;
		if ((seed >> 8) & 1)
			p &= ~511u;	/* favour 2M alignment */
		if (p + n > PAGES)
			n = PAGES - p;
		pa = ((seed >> 4) & 1) ? (u64)p * PAGE_SIZE + 0x40000000ULL :
					 0x12345000ULL;
		if (op) {
			assert_int_equal(pt_map(&pt, base + p * PAGE_SIZE, pa,
						n * PAGE_SIZE, RW), 0);
			for (unsigned int i = 0; i < n; i++)
				model[p + i] = pa + i * PAGE_SIZE + 1;
		} else {
			assert_int_equal(pt_unmap(&pt, base + p * PAGE_SIZE,
						  n * PAGE_SIZE), 0);
			for (unsigned int i = 0; i < n; i++)
				model[p + i] = 0;
		}
		for (unsigned int i = 0; i < PAGES; i++) {
			u64 rpa;
			int ret = pt_lookup(&pt, base + i * PAGE_SIZE + 8,
					    &rpa, NULL, NULL);

			if (model[i]) {
				assert_int_equal(ret, 0);
				assert_int_equal(rpa, model[i] - 1 + 8);
			} else {
				assert_int_equal(ret, -ENOENT);
			}
		}
	}
}

#define T(fn, fmt) cmocka_unit_test_setup_teardown(fn, setup_##fmt, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_formats, x86),
		T(test_map_4k, x86),
		T(test_map_mixed_sizes, x86),
		T(test_map_unaligned_pa_uses_4k, x86),
		T(test_lookup_null_outputs_and_high_half, x86),
		T(test_split_1g, x86),
		T(test_split_2m_and_remap_large, x86),
		T(test_unmap, x86),
		T(test_ept_flags, ept),
		T(test_bad_args, x86),
		T(test_alloc_failure, x86),
		T(test_destroy_counts, x86),
		T(test_random_model, x86),
		T(test_random_model, ept),
	};

	return cmocka_run_group_tests_name("paging", tests, NULL, NULL);
}
