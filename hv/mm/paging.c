// SPDX-License-Identifier: GPL-2.0
/*
 * 4-level page-table builder shared by host paging, AMD NPT and Intel EPT.
 *
 * Levels are numbered as the SDM does: 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT.
 * A leaf at level 3 maps 1 GiB, at level 2 2 MiB (both with the format's
 * large-page bit), at level 1 4 KiB. Addresses above the 48-bit space are
 * accepted only in their canonical upper-half form (host paging); the
 * table index uses bits 47:0 as the hardware does.
 */
#include <hv/errno.h>
#include <hv/mm/paging.h>

/*
 * Non-leaf entries grant everything; the leaf decides. NPT walks are user
 * accesses (AMD APM vol. 2 15.25.5), so US must be set at every level.
 */
const struct pt_format pt_format_x86 = {
	.valid_mask = PTE_P,
	.table_flags = PTE_P | PTE_RW | PTE_US,
	.large_bit = PTE_PS,
	.allow_1g = true,
};

/* An EPT entry is present if any of R/W/X is set (SDM vol. 3 29.3.2). */
const struct pt_format pt_format_ept = {
	.valid_mask = EPT_R | EPT_W | EPT_X,
	.table_flags = EPT_R | EPT_W | EPT_X,
	.large_bit = EPT_PS,
	.allow_1g = true,
};

#define PT_ENTRIES    512
#define VA_LOW_LIMIT  BIT(48)
#define VA_HIGH_START 0xffff800000000000ULL
#define PA_LIMIT      BIT(52)

static inline unsigned int level_shift(int level)
{
	return PAGE_SHIFT + 9 * (level - 1);
}

static inline u64 level_size(int level)
{
	return 1ULL << level_shift(level);
}

static inline unsigned int pt_index(u64 va, int level)
{
	return (va >> level_shift(level)) & (PT_ENTRIES - 1);
}

static inline bool present(const struct pt_ctx *pt, u64 e)
{
	return e & pt->fmt->valid_mask;
}

static inline bool is_leaf(const struct pt_ctx *pt, u64 e, int level)
{
	return level == 1 || (e & pt->fmt->large_bit);
}

static inline u64 *table_of(const struct pt_ctx *pt, u64 e)
{
	return pt->phys_to_virt(pt->opaque, e & PT_ADDR_MASK);
}

static bool valid_ctx(const struct pt_ctx *pt)
{
	return pt && pt->fmt && pt->alloc_table && pt->phys_to_virt;
}

/* [va, va+size) must lie in the low 48-bit space or the canonical top. */
static bool valid_va_range(u64 va, u64 size)
{
	if (va < VA_LOW_LIMIT)
		return size <= VA_LOW_LIMIT - va;
	if (va >= VA_HIGH_START)
		return size - 1 <= ~0ULL - va;
	return false;
}

int pt_init(struct pt_ctx *pt)
{
	u64 phys = 0;

	if (!valid_ctx(pt))
		return -EINVAL;
	if (!pt->alloc_table(pt->opaque, &phys) || !phys ||
	    !IS_ALIGNED(phys, PAGE_SIZE))
		return -ENOMEM;
	pt->root = phys;
	return 0;
}

/* Allocates a zeroed table; returns its address and stores its entry. */
static u64 *new_table(struct pt_ctx *pt, u64 *entry_val)
{
	u64 phys = 0;
	u64 *t = pt->alloc_table(pt->opaque, &phys);

	if (!t || !phys || !IS_ALIGNED(phys, PAGE_SIZE))
		return NULL;
	*entry_val = phys | pt->fmt->table_flags;
	return t;
}

/*
 * Replaces the large leaf *e at @level with a table of 512 leaves of the
 * next level that map the same memory with the same flags.
 */
static int split_leaf(struct pt_ctx *pt, u64 *e, int level)
{
	u64 large = pt->fmt->large_bit;
	u64 base = *e & PT_ADDR_MASK & ~(level_size(level) - 1);
	u64 flags = *e & ~PT_ADDR_MASK & ~large;
	u64 child_size = level_size(level - 1);
	u64 entry;
	u64 *t = new_table(pt, &entry);

	if (!t)
		return -ENOMEM;
	if (level - 1 > 1)
		flags |= large;
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		t[i] = (base + i * child_size) | flags;
	*e = entry;
	return 0;
}

/*
 * Maps the largest page that fits at @va; stores its size in *done. A table
 * already present where a large leaf could go is kept and filled with
 * smaller leaves instead (pt_map has no way to free it).
 */
static int map_one(struct pt_ctx *pt, u64 va, u64 pa, u64 size,
		   u64 leaf_flags, u64 *done)
{
	u64 *table = pt->phys_to_virt(pt->opaque, pt->root);

	for (int level = 4;; level--) {
		u64 *e = &table[pt_index(va, level)];
		u64 psz = level_size(level);
		bool fits = IS_ALIGNED(va, psz) && IS_ALIGNED(pa, psz) &&
			    size >= psz;
		bool can_leaf = level == 1 || level == 2 ||
				(level == 3 && pt->fmt->allow_1g);

		if (can_leaf && fits &&
		    (!present(pt, *e) || is_leaf(pt, *e, level))) {
			*e = pa | leaf_flags |
			     (level > 1 ? pt->fmt->large_bit : 0);
			*done = psz;
			return 0;
		}
		if (!present(pt, *e)) {
			u64 entry;
			u64 *t = new_table(pt, &entry);

			if (!t)
				return -ENOMEM;
			*e = entry;
		} else if (is_leaf(pt, *e, level)) {
			int ret = split_leaf(pt, e, level);

			if (ret)
				return ret;
		}
		table = table_of(pt, *e);
	}
}

int pt_map(struct pt_ctx *pt, u64 va, u64 pa, u64 size, u64 leaf_flags)
{
	if (!valid_ctx(pt) || !pt->root)
		return -EINVAL;
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE))
		return -EINVAL;
	if (!size)
		return 0;
	if (!valid_va_range(va, size) || pa >= PA_LIMIT ||
	    size > PA_LIMIT - pa)
		return -EINVAL;
	/* Flags must not reach into the address, and must make it present. */
	if ((leaf_flags & PT_ADDR_MASK) || !(leaf_flags & pt->fmt->valid_mask))
		return -EINVAL;
	leaf_flags &= ~pt->fmt->large_bit;

	while (size) {
		u64 done = 0;
		int ret = map_one(pt, va, pa, size, leaf_flags, &done);

		if (ret)
			return ret;
		va += done;
		pa += done;
		size -= done;
	}
	return 0;
}

int pt_unmap(struct pt_ctx *pt, u64 va, u64 size)
{
	if (!valid_ctx(pt) || !pt->root)
		return -EINVAL;
	if (!IS_ALIGNED(va | size, PAGE_SIZE))
		return -EINVAL;
	if (!size)
		return 0;
	if (!valid_va_range(va, size))
		return -EINVAL;

	while (size) {
		u64 *table = pt->phys_to_virt(pt->opaque, pt->root);
		u64 step = 0;

		for (int level = 4;; level--) {
			u64 *e = &table[pt_index(va, level)];
			u64 psz = level_size(level);
			u64 off = va & (psz - 1);

			step = MIN(psz - off, size);
			if (!present(pt, *e))
				break;		/* nothing mapped here */
			if (is_leaf(pt, *e, level)) {
				int ret;

				if (!off && size >= psz) {
					*e = 0;
					break;
				}
				ret = split_leaf(pt, e, level);
				if (ret)
					return ret;
			}
			table = table_of(pt, *e);
		}
		va += step;
		size -= step;
	}
	return 0;
}

int pt_lookup(const struct pt_ctx *pt, u64 va, u64 *pa, u64 *flags,
	      u64 *page_size)
{
	const u64 *table;

	if (!valid_ctx(pt) || !pt->root || !valid_va_range(va, 1))
		return -EINVAL;
	table = pt->phys_to_virt(pt->opaque, pt->root);
	for (int level = 4;; level--) {
		u64 e = table[pt_index(va, level)];
		u64 psz = level_size(level);

		if (!present(pt, e))
			return -ENOENT;
		if (is_leaf(pt, e, level)) {
			if (pa)
				*pa = (e & PT_ADDR_MASK & ~(psz - 1)) |
				      (va & (psz - 1));
			if (flags)
				*flags = e & ~PT_ADDR_MASK &
					 ~(level > 1 ? pt->fmt->large_bit : 0);
			if (page_size)
				*page_size = psz;
			return 0;
		}
		table = table_of(pt, e);
	}
}

static void destroy_level(struct pt_ctx *pt, u64 phys, int level,
			  void (*free_table)(void *opaque, u64 phys))
{
	u64 *t = pt->phys_to_virt(pt->opaque, phys);

	if (level > 1) {
		for (unsigned int i = 0; i < PT_ENTRIES; i++) {
			if (present(pt, t[i]) && !is_leaf(pt, t[i], level))
				destroy_level(pt, t[i] & PT_ADDR_MASK,
					      level - 1, free_table);
		}
	}
	free_table(pt->opaque, phys);
}

void pt_destroy(struct pt_ctx *pt, void (*free_table)(void *opaque, u64 phys))
{
	if (!valid_ctx(pt) || !pt->root)
		return;
	if (free_table)
		destroy_level(pt, pt->root, 4, free_table);
	pt->root = 0;
}
