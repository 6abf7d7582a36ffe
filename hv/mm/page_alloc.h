/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor's memory: physical pages from the firmware memory map,
 * reached through the identity map (virtual == physical).
 */
#ifndef HV_MM_PAGE_ALLOC_H
#define HV_MM_PAGE_ALLOC_H

#include <hv/types.h>

struct boot_info;

/* Adds the memory the firmware marked free (not boot services memory). */
void mm_init_early(const struct boot_info *bi);
/* Adds boot services memory, once we no longer run on its tables. */
void mm_init_late(const struct boot_info *bi);

/* Zeroed, page-aligned memory; NULL when exhausted. */
void *page_alloc(u64 size);
void *page_alloc_aligned(u64 size, u64 align, u64 max_end);
/* Not zeroed: for guest RAM, zeroed chunk by chunk later (hv/ram_lazy.h). */
void *page_alloc_raw(u64 size, u64 align);

void page_free(void *p, u64 size);
/*
 * Zeroes the whole pages of [p, p + size); before the scheduler starts,
 * the boot CPU has the idle CPUs help with large ranges (hv/mm/zero.c).
 */
void mm_zero(void *p, u64 size);
/* An idle CPU's part in a zeroing job the boot CPU published, if any. */
void mm_zero_help(void);
u64 mm_free_bytes(void);
u64 mm_total_bytes(void);

static inline u64 virt_to_phys(const void *p)
{
	return (u64)(uintptr_t)p;
}

static inline void *phys_to_virt(u64 pa)
{
	return (void *)(uintptr_t)pa;
}

#endif /* HV_MM_PAGE_ALLOC_H */
