/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A builder for 4-level x86-64 style page tables. One format description
 * covers host paging and AMD nested paging (the same format, AMD APM vol. 2
 * 15.25.5) as well as Intel EPT (SDM vol. 3 29.3.2), whose permission bits
 * differ. Pure logic: tables are obtained and reached through callbacks so
 * that host unit tests can run it on ordinary heap memory.
 */
#ifndef HV_MM_PAGING_H
#define HV_MM_PAGING_H

#include <hv/types.h>

/* x86-64 paging entry bits (SDM vol. 3 4.5). */
#define PTE_P     BIT(0)
#define PTE_RW    BIT(1)
#define PTE_US    BIT(2)
#define PTE_PWT   BIT(3)
#define PTE_PCD   BIT(4)
#define PTE_A     BIT(5)
#define PTE_D     BIT(6)
#define PTE_PS    BIT(7)
#define PTE_G     BIT(8)
#define PTE_NX    BIT(63)

/* EPT entry bits (SDM vol. 3 29.3.2). */
#define EPT_R          BIT(0)
#define EPT_W          BIT(1)
#define EPT_X          BIT(2)
#define EPT_MT_SHIFT   3		/* leaf memory type, bits 5:3 */
#define EPT_IPAT       BIT(6)
#define EPT_PS         BIT(7)

#define PT_ADDR_MASK 0x000ffffffffff000ULL

struct pt_format {
	u64 valid_mask;		/* an entry is present if any of these is set */
	u64 table_flags;	/* flags written into non-leaf entries */
	u64 large_bit;		/* the PS bit in PDPTE/PDE */
	bool allow_1g;		/* 1 GiB leaves allowed */
};

extern const struct pt_format pt_format_x86;	/* host paging and NPT */
extern const struct pt_format pt_format_ept;

struct pt_ctx {
	const struct pt_format *fmt;
	u64 root;		/* physical address of the PML4 */
	/* Returns a zeroed 4 KiB table and stores its physical address. */
	void *(*alloc_table)(void *opaque, u64 *phys);
	void *(*phys_to_virt)(void *opaque, u64 phys);
	void *opaque;
};

/* Allocates an empty root table. */
int pt_init(struct pt_ctx *pt);
/*
 * Maps [va, va+size) to [pa, pa+size) with @leaf_flags (the builder adds the
 * large-page bit itself and uses 1 GiB / 2 MiB leaves whenever va, pa and
 * size allow). All three must be 4 KiB aligned. Existing mappings in the
 * range are replaced; a large leaf is split when a smaller mapping lands in it.
 */
int pt_map(struct pt_ctx *pt, u64 va, u64 pa, u64 size, u64 leaf_flags);
/* Removes mappings in [va, va+size), splitting large leaves as needed. */
int pt_unmap(struct pt_ctx *pt, u64 va, u64 size);
/*
 * Translates @va. Returns 0 and fills *pa, *flags (leaf entry flags) and
 * *page_size, or -ENOENT if unmapped.
 */
int pt_lookup(const struct pt_ctx *pt, u64 va, u64 *pa, u64 *flags,
	      u64 *page_size);
/* Frees every table reachable from the root through @free_table (may be NULL). */
void pt_destroy(struct pt_ctx *pt, void (*free_table)(void *opaque, u64 phys));

#endif /* HV_MM_PAGING_H */
