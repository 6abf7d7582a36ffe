/* sources: hv/ram_lazy.c hv/mm/paging.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for guest RAM zeroed on first touch (hv/ram_lazy.c): on a
 * heap "RAM" full of garbage, with the real page-table builder behind a
 * fake vm_map. No chunk is mapped before it is zero or declared written;
 * a fault zeroes and maps exactly its chunk; a loader's written chunks
 * keep their bytes; a reset unmaps everything and the next touch zeroes
 * again; CPUs racing on one chunk zero it once and all find it mapped;
 * the nested tables are never allocated after creation.
 */
#include "unit.h"
#include <pthread.h>
#include <stdlib.h>
#include <hv/errno.h>
#include <hv/mm/page_alloc.h>
#include <hv/mm/paging.h>
#include <hv/ram_lazy.h>
#include <hv/virt.h>
#include <hv/vm.h>

#define RAM_SIZE (7 * RAM_CHUNK + 3 * PAGE_SIZE)	/* a partial last chunk */
#define NR_CHUNKS 8

static u8 *ram;
static struct vm vm;
static int tables_after_init, tables;
static u32 zeroed[NR_CHUNKS];
static bool counting_tables;

void *page_alloc(u64 size)
{
	void *p = aligned_alloc(PAGE_SIZE, ALIGN_UP(size, PAGE_SIZE));

	assert_non_null(p);
	memset(p, 0, size);
	return p;
}

void zero_pages(void *p, u64 size)
{
	u64 c = ((u8 *)p - ram) >> RAM_CHUNK_SHIFT;

	assert_true(c < NR_CHUNKS);
	__atomic_fetch_add(&zeroed[c], 1, __ATOMIC_RELAXED);
	memset(p, 0, size);
}

static void *alloc_table(void *opaque, u64 *phys)
{
	void *p = page_alloc(PAGE_SIZE);

	(void)opaque;
	if (counting_tables)
		tables++;
	*phys = (u64)(uintptr_t)p;
	return p;
}

static void *to_virt(void *opaque, u64 phys)
{
	(void)opaque;
	return (void *)(uintptr_t)phys;
}

static int fake_map(struct vm *v, gpa_t gpa, hpa_t hpa, u64 size)
{
	return pt_map(&v->gpa_map, gpa, hpa, size, PTE_P | PTE_RW | PTE_US);
}

static const struct virt_ops fake_ops = { .vm_map = fake_map };
const struct virt_ops *virt = &fake_ops;

static bool mapped(u32 c)
{
	u64 pa = 0;

	if (pt_lookup(&vm.gpa_map, (u64)c * RAM_CHUNK, &pa, NULL, NULL))
		return false;
	assert_int_equal(pa, (u64)(uintptr_t)ram + (u64)c * RAM_CHUNK);
	return true;
}

static bool all(u32 c, u8 v)
{
	u64 len = MIN(RAM_CHUNK, RAM_SIZE - (u64)c * RAM_CHUNK);

	for (u64 i = 0; i < len; i++)
		if (ram[(u64)c * RAM_CHUNK + i] != v)
			return false;
	return true;
}

static int setup(void **state)
{
	(void)state;
	ram = aligned_alloc(RAM_CHUNK, NR_CHUNKS * RAM_CHUNK);
	assert_non_null(ram);
	memset(ram, 0xaa, NR_CHUNKS * RAM_CHUNK);	/* someone's data */
	memset(&vm, 0, sizeof(vm));
	memset(zeroed, 0, sizeof(zeroed));
	vm.ram_size = RAM_SIZE;
	vm.ram_hpa = (u64)(uintptr_t)ram;
	vm.gpa_map = (struct pt_ctx){ .fmt = &pt_format_x86,
				      .alloc_table = alloc_table,
				      .phys_to_virt = to_virt };
	assert_int_equal(pt_init(&vm.gpa_map), 0);
	tables = 0;
	counting_tables = true;
	assert_int_equal(ram_lazy_init(&vm), 0);
	tables_after_init = tables;
	return 0;
}

static void free_table(void *opaque, u64 phys)
{
	(void)opaque;
	free((void *)(uintptr_t)phys);
}

static int teardown(void **state)
{
	(void)state;
	counting_tables = false;
	/* No table was allocated after creation: readying never allocates. */
	assert_int_equal(tables, tables_after_init);
	pt_destroy(&vm.gpa_map, free_table);
	free(vm.ram_state);
	free(ram);
	return 0;
}

static void test_nothing_mapped(void **state)
{
	(void)state;
	assert_int_equal(vm.ram_chunks, NR_CHUNKS);
	for (u32 c = 0; c < NR_CHUNKS; c++) {
		assert_false(mapped(c));
		assert_int_equal(zeroed[c], 0);
	}
	assert_int_equal(ram_ready_chunks(&vm), 0);
}

static void test_fault_zeroes_its_chunk(void **state)
{
	(void)state;
	assert_int_equal(ram_lazy_fault(&vm, 3 * RAM_CHUNK + 0x1234), 0);
	assert_true(mapped(3));
	assert_true(all(3, 0));
	assert_int_equal(zeroed[3], 1);
	assert_false(mapped(2));
	assert_false(mapped(4));
	assert_true(all(2, 0xaa));
	/* Again (another vCPU's stale fault): nothing more happens. */
	assert_int_equal(ram_lazy_fault(&vm, 3 * RAM_CHUNK), 0);
	assert_int_equal(zeroed[3], 1);
	/* The partial last chunk: 4 KiB leaves, still no new table. */
	assert_int_equal(ram_lazy_fault(&vm, RAM_SIZE - 1), 0);
	assert_true(mapped(7));
	assert_true(all(7, 0));
	assert_int_equal(ram_ready_chunks(&vm), 2);
	assert_int_equal(ram_lazy_fault(&vm, RAM_SIZE), -EFAULT);
}

static void test_loader_fill(void **state)
{
	(void)state;
	/* Chunks 1 and 2 written in full, 5 bytes of chunk 3: only 3 zeroed. */
	assert_int_equal(ram_ready(&vm, RAM_CHUNK, 2 * RAM_CHUNK + 5,
				   2 * RAM_CHUNK + 5), 0);
	assert_true(mapped(1) && mapped(2) && mapped(3));
	assert_int_equal(zeroed[1], 0);
	assert_int_equal(zeroed[2], 0);
	assert_int_equal(zeroed[3], 1);
	assert_true(all(3, 0));
	/* Written from the middle of chunk 4 on: chunk 4 is zeroed. */
	assert_int_equal(ram_ready(&vm, 4 * RAM_CHUNK + PAGE_SIZE, RAM_CHUNK,
				   RAM_CHUNK), 0);
	assert_int_equal(zeroed[4], 1);
	assert_int_equal(zeroed[5], 1);
	/* A range the caller only reads: zeroed. */
	assert_int_equal(ram_ready(&vm, 6 * RAM_CHUNK, 8, 0), 0);
	assert_int_equal(zeroed[6], 1);
	assert_int_equal(ram_ready(&vm, RAM_SIZE - 8, 9, 0), -EFAULT);
	assert_int_equal(ram_ready(&vm, RAM_SIZE, 0, 0), -EFAULT);
	assert_false(mapped(0));
	assert_false(mapped(7));
}

static void test_reset(void **state)
{
	(void)state;
	for (u32 c = 0; c < NR_CHUNKS; c++)
		assert_int_equal(ram_lazy_fault(&vm, (u64)c * RAM_CHUNK), 0);
	memset(ram, 0x55, RAM_SIZE);		/* the guest's run */
	ram_lazy_reset(&vm);
	assert_int_equal(ram_ready_chunks(&vm), 0);
	for (u32 c = 0; c < NR_CHUNKS; c++)
		assert_false(mapped(c));
	assert_int_equal(ram_lazy_fault(&vm, 5 * RAM_CHUNK + 8), 0);
	assert_true(all(5, 0));
	assert_int_equal(zeroed[5], 2);
	assert_true(all(4, 0x55));		/* untouched, unmapped */
	assert_false(mapped(4));
}

#define RACERS 4

static void *racer(void *arg)
{
	(void)arg;
	for (u32 c = 0; c < NR_CHUNKS; c++)
		assert_int_equal(ram_lazy_fault(&vm, (u64)c * RAM_CHUNK + 64),
				 0);
	for (u32 c = 0; c < NR_CHUNKS; c++)
		assert_true(__atomic_load_n(&vm.ram_state[c],
					    __ATOMIC_ACQUIRE) == RAM_READY);
	return NULL;
}

static void test_race(void **state)
{
	pthread_t t[RACERS];

	(void)state;
	for (int i = 0; i < RACERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, racer, NULL), 0);
	for (int i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	for (u32 c = 0; c < NR_CHUNKS; c++) {
		assert_int_equal(zeroed[c], 1);
		assert_true(mapped(c));
		assert_true(all(c, 0));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nothing_mapped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fault_zeroes_its_chunk,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_loader_fill, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_race, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
