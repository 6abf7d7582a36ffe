/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical range allocator: free memory is a sorted array of disjoint,
 * page-aligned [start, end) ranges built from the firmware memory map.
 * Pure logic (no locking, no access to the memory itself): the caller
 * serialises and zeroes. Address 0 is never handed out, so 0 means failure.
 */
#ifndef HV_MM_PALLOC_H
#define HV_MM_PALLOC_H

#include <hv/types.h>

#define PALLOC_MAX_RANGES 256

struct prange {
	u64 start;
	u64 end;
};

struct palloc {
	struct prange r[PALLOC_MAX_RANGES];
	u32 nr;
	u64 free_bytes;
};

void palloc_init(struct palloc *pa);
/* Adds free memory; trimmed inward to page boundaries, merged with neighbours. */
int palloc_add(struct palloc *pa, u64 start, u64 size);
/* Removes [start, start+size) (widened to pages) from the free set. */
int palloc_reserve(struct palloc *pa, u64 start, u64 size);
/*
 * Allocates @size bytes (rounded up to pages) aligned to @align (a power of
 * two >= 4096) ending at or below @max_end (0: no limit). Takes the highest
 * fitting address, keeping low memory for things that need it.
 */
u64 palloc_alloc(struct palloc *pa, u64 size, u64 align, u64 max_end);
/* Returns a range to the free set; -EINVAL if any of it is already free. */
int palloc_free(struct palloc *pa, u64 start, u64 size);

#endif /* HV_MM_PALLOC_H */
