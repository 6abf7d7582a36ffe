// SPDX-License-Identifier: GPL-2.0
/*
 * Physical range allocator. Free memory is kept as a sorted array of
 * disjoint, non-adjacent, page-aligned [start, end) ranges; neighbours are
 * merged on every insertion so the array stays as short as the memory map
 * allows. Page 0 is never part of the free set, so 0 can mean failure.
 */
#include <hv/errno.h>
#include <hv/mm/palloc.h>
#include <hv/string.h>

#define ADDR_LIMIT (~0ULL & ~(PAGE_SIZE - 1)) /* highest page-aligned end */

void palloc_init(struct palloc *pa)
{
	memset(pa, 0, sizeof(*pa));
}

/* start + size, clamped to 2^64 - 1 on overflow. */
static u64 range_end(u64 start, u64 size)
{
	if (size > ~0ULL - start)
		return ~0ULL;
	return start + size;
}

static int insert_at(struct palloc *pa, u32 i, u64 start, u64 end)
{
	if (pa->nr >= PALLOC_MAX_RANGES)
		return -ENOSPC;
	memmove(&pa->r[i + 1], &pa->r[i], (pa->nr - i) * sizeof(pa->r[0]));
	pa->r[i].start = start;
	pa->r[i].end = end;
	pa->nr++;
	return 0;
}

static void remove_at(struct palloc *pa, u32 i, u32 count)
{
	memmove(&pa->r[i], &pa->r[i + count],
		(pa->nr - i - count) * sizeof(pa->r[0]));
	pa->nr -= count;
}

/* Adds [s, e) to the free set as a union with what is already there. */
static int add_union(struct palloc *pa, u64 s, u64 e)
{
	u32 i = 0, j;

	/* First range that overlaps or touches [s, e). */
	while (i < pa->nr && pa->r[i].end < s)
		i++;
	j = i;
	while (j < pa->nr && pa->r[j].start <= e) {
		s = MIN(s, pa->r[j].start);
		e = MAX(e, pa->r[j].end);
		j++;
	}
	if (j == i) {
		int ret = insert_at(pa, i, s, e);

		if (!ret)
			pa->free_bytes += e - s;
		return ret;
	}
	for (u32 k = i; k < j; k++)
		pa->free_bytes -= pa->r[k].end - pa->r[k].start;
	pa->r[i].start = s;
	pa->r[i].end = e;
	pa->free_bytes += e - s;
	remove_at(pa, i + 1, j - i - 1);
	return 0;
}

int palloc_add(struct palloc *pa, u64 start, u64 size)
{
	u64 end = range_end(start, size);
	u64 s, e;

	if (start > ADDR_LIMIT)
		return 0;
	s = ALIGN_UP(start, PAGE_SIZE);
	e = ALIGN_DOWN(end, PAGE_SIZE);
	if (s < PAGE_SIZE)
		s = PAGE_SIZE;		/* page 0 is never handed out */
	if (e <= s)
		return 0;
	return add_union(pa, s, e);
}

/* Removes [s, e) (page aligned) from the free set. */
static int remove_range(struct palloc *pa, u64 s, u64 e)
{
	for (u32 i = 0; i < pa->nr;) {
		struct prange *r = &pa->r[i];

		if (r->end <= s) {
			i++;
			continue;
		}
		if (r->start >= e)
			break;
		if (r->start < s && r->end > e) {
			/* Splits r in two: needs one more slot. */
			int ret = insert_at(pa, i + 1, e, r->end);

			if (ret)
				return ret;
			r->end = s;
			pa->free_bytes -= e - s;
			return 0;
		}
		if (r->start < s) {
			pa->free_bytes -= r->end - s;
			r->end = s;
			i++;
		} else if (r->end > e) {
			pa->free_bytes -= e - r->start;
			r->start = e;
			i++;
		} else {
			pa->free_bytes -= r->end - r->start;
			remove_at(pa, i, 1);
		}
	}
	return 0;
}

int palloc_reserve(struct palloc *pa, u64 start, u64 size)
{
	u64 end = range_end(start, size);
	u64 s = ALIGN_DOWN(start, PAGE_SIZE);
	u64 e = end > ADDR_LIMIT ? ADDR_LIMIT : ALIGN_UP(end, PAGE_SIZE);

	if (!size)
		return 0;
	if (end > ADDR_LIMIT && start >= ADDR_LIMIT)
		return 0;
	return remove_range(pa, s, e);
}

u64 palloc_alloc(struct palloc *pa, u64 size, u64 align, u64 max_end)
{
	if (!size || size > ADDR_LIMIT)
		return 0;
	size = ALIGN_UP(size, PAGE_SIZE);
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (align & (align - 1))
		return 0;
	if (!max_end || max_end > ADDR_LIMIT)
		max_end = ADDR_LIMIT;

	/* Highest fit first: low memory stays for those who need it. */
	for (u32 i = pa->nr; i-- > 0;) {
		struct prange *r = &pa->r[i];
		u64 limit = MIN(r->end, max_end);
		u64 a;

		if (limit < size || limit - size < r->start)
			continue;
		a = ALIGN_DOWN(limit - size, align);
		if (a < r->start || a == 0)
			continue;
		if (remove_range(pa, a, a + size))
			continue;	/* no slot to split this range */
		return a;
	}
	return 0;
}

int palloc_free(struct palloc *pa, u64 start, u64 size)
{
	u64 e;

	if (!size || !IS_ALIGNED(start, PAGE_SIZE) || start == 0)
		return -EINVAL;
	size = ALIGN_UP(size, PAGE_SIZE);
	if (!size || size > ADDR_LIMIT - start)
		return -EINVAL;
	e = start + size;
	/* Any overlap with the free set is a double free. */
	for (u32 i = 0; i < pa->nr; i++) {
		if (pa->r[i].start >= e)
			break;
		if (pa->r[i].end > start)
			return -EINVAL;
	}
	return add_union(pa, start, e);
}
