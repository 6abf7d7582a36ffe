// SPDX-License-Identifier: GPL-2.0
/* Locking and zeroing around the pure range allocator (palloc.c). */
#include <hv/bootinfo.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/mm/palloc.h>
#include <hv/spinlock.h>
#include <hv/string.h>

/* Never hand out the first MiB: real-mode structures and the trampoline. */
#define LOW_RESERVE MiB

static struct palloc pool;
static spinlock_t pool_lock = SPINLOCK_INIT;
static u64 total;

static void add_type(const struct boot_info *bi, enum boot_mem_type type)
{
	for (u32 i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem *m = &bi->mem[i];
		u64 start = m->start, end = m->start + m->size;

		if (m->type != type)
			continue;
		if (end <= LOW_RESERVE)
			continue;
		if (start < LOW_RESERVE)
			start = LOW_RESERVE;
		if (palloc_add(&pool, start, end - start) == 0)
			total += end - start;
	}
}

void mm_init_early(const struct boot_info *bi)
{
	palloc_init(&pool);
	add_type(bi, BOOT_MEM_FREE);
}

void mm_init_late(const struct boot_info *bi)
{
	spin_lock(&pool_lock);
	add_type(bi, BOOT_MEM_FIRMWARE_FREE);
	spin_unlock(&pool_lock);
}

static u64 alloc(u64 size, u64 align, u64 max_end)
{
	u64 pa;

	spin_lock(&pool_lock);
	pa = palloc_alloc(&pool, size, align < PAGE_SIZE ? PAGE_SIZE : align,
			  max_end);
	spin_unlock(&pool_lock);
	return pa;
}

void *page_alloc_aligned(u64 size, u64 align, u64 max_end)
{
	u64 pa;

	size = ALIGN_UP(size, PAGE_SIZE);
	pa = alloc(size, align, max_end);
	if (!pa)
		return NULL;
	mm_zero(phys_to_virt(pa), size);
	return phys_to_virt(pa);
}

void *page_alloc_raw(u64 size, u64 align)
{
	u64 pa = alloc(ALIGN_UP(size, PAGE_SIZE), align, 0);

	return pa ? phys_to_virt(pa) : NULL;
}

void *page_alloc(u64 size)
{
	return page_alloc_aligned(size, PAGE_SIZE, 0);
}

void page_free(void *p, u64 size)
{
	int err;

	if (!p)
		return;
	spin_lock(&pool_lock);
	err = palloc_free(&pool, virt_to_phys(p), ALIGN_UP(size, PAGE_SIZE));
	spin_unlock(&pool_lock);
	if (err)
		pr_err("page_free(%p, %llu): %d\n", p, (unsigned long long)size,
		       err);
}

u64 mm_free_bytes(void)
{
	return pool.free_bytes;
}

u64 mm_total_bytes(void)
{
	return total;
}
