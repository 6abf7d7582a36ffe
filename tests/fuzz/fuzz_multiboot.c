/* sources: hv/multiboot.c hv/linux_boot.c hv/linux_layout.c hv/linux_entry.c */
/* flags: -max_len=16384 */
// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot v1 kernels (hv/multiboot.c) on any bytes, the way
 * hv/multiboot_vm.c uses it: find the header, plan a few guests, load
 * kernel, module and boot information into guest memory. A plan that
 * succeeds keeps every piece in usable RAM below 4 GiB, the boot area and
 * the module clear of the kernel, and the entry inside the kernel.
 */
#include "fuzz.h"
#include <hv/multiboot.h>

#define ACPI_SIZE 0x2000	/* hv/acpi_build.h ACPI_TABLES_SIZE */

static const struct mb_guest_config guests[] = {
	{ .ram_size = 64 * MiB, .acpi_size = ACPI_SIZE,
	  .cmdline = "console=ttyS0" },
	{ .ram_size = 32 * MiB, .acpi_size = ACPI_SIZE, .cmdline = NULL,
	  .module_name = "guest/initrd.img", .module_size = 12345 },
	{ .ram_size = 6 * GiB, .acpi_size = ACPI_SIZE, .cmdline = "x",
	  .module_name = "m", .module_size = 0 },
};

static u64 ram_size;

FUZZ_NOCOV
static void *map(void *ctx, u64 gpa, u64 len, u64 fill)
{
	(void)ctx;
	if (fill > len)
		__builtin_trap();
	/* hv/gmem.c gpa_to_hva(): RAM is [0, ram_size). */
	if (gpa >= ram_size || len > ram_size - gpa)
		return NULL;
	return fuzz_map(len);
}

FUZZ_NOCOV
static bool in_usable_ram(const struct linux_boot_layout *m, u64 a, u64 size)
{
	for (u32 i = 0; i < m->e820_count; i++) {
		const struct e820_entry *e = &m->e820[i];

		if (e->type == E820_TYPE_RAM && a >= e->addr &&
		    a - e->addr <= e->size && size <= e->size - (a - e->addr))
			return true;
	}
	return false;
}

FUZZ_NOCOV
static void check_layout(const struct mb_guest_config *gc,
			 const struct mb_layout *l, size_t len)
{
	CHECK(l->format);
	CHECK(l->nr_segments >= 1 && l->nr_segments <= MB_MAX_SEGMENTS);
	for (u32 i = 0; i < l->nr_segments; i++) {
		const struct mb_segment *s = &l->seg[i];

		CHECK(s->file_size <= s->mem_size);
		CHECK(s->file_off <= len && s->file_size <= len - s->file_off);
		CHECK(s->gpa + s->mem_size <= 1ull << 32);
		CHECK(in_usable_ram(&l->mem, s->gpa, s->mem_size));
		CHECK(s->gpa >= l->kernel_start &&
		      s->gpa + s->mem_size <= l->kernel_end);
		CHECK(!fuzz_overlaps(s->gpa, s->mem_size, l->area_gpa,
				     l->area_size));
		CHECK(!fuzz_overlaps(s->gpa, s->mem_size, l->module_gpa,
				     l->module_size));
	}
	CHECK(l->entry >= l->kernel_start && l->entry < l->kernel_end);
	CHECK(l->area_size >= MB_GDT_SIZE + MBI_SIZE);
	CHECK(in_usable_ram(&l->mem, l->area_gpa, l->area_size));
	CHECK(l->area_gpa + l->area_size <= 1ull << 32);
	CHECK(l->info_gpa == l->area_gpa + MB_GDT_SIZE);
	CHECK(!gc->module_name == !l->module_gpa);
	if (gc->module_name) {
		u64 size = l->module_size ? l->module_size : 1;

		CHECK(l->module_size == gc->module_size);
		CHECK(!(l->module_gpa & (PAGE_SIZE - 1)));
		CHECK(in_usable_ram(&l->mem, l->module_gpa, size));
		CHECK(!fuzz_overlaps(l->module_gpa, size, l->area_gpa,
				     l->area_size));
		CHECK(!fuzz_overlaps(l->module_gpa, size, l->kernel_start,
				     l->kernel_end - l->kernel_start));
	}
	CHECK(!fuzz_overlaps(l->area_gpa, l->area_size, l->mem.acpi_gpa,
			     l->mem.acpi_size));
}

FUZZ_NOCOV
static bool too_large(const struct mb_layout *l)
{
	bool big = l->module_size > FUZZ_MAP_MAX ||
		   l->area_size > FUZZ_MAP_MAX;

	for (u32 i = 0; i < l->nr_segments; i++)
		big |= l->seg[i].mem_size > FUZZ_MAP_MAX;
	return big;
}

FUZZ_NOCOV
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mb_layout l;
	struct mb_header h;
	const char *why = NULL;
	int err;

	err = mb_find_header(data, size, &h, &why);
	CHECK(!err || ((err == -ENOENT || err == -ENOEXEC) && why));
	if (err)
		return 0;
	CHECK(h.offset % 4 == 0 && h.offset + 12 <= size &&
	      h.offset + 12 <= MB_SEARCH_LEN);

	for (u32 i = 0; i < ARRAY_SIZE(guests); i++) {
		const struct mb_guest_config *gc = &guests[i];
		static u8 *module[ARRAY_SIZE(guests)];

		err = mb_plan(data, size, gc, &l, &why);
		CHECK(!err || ((err == -ENOEXEC || err == -ENOMEM) && why));
		if (err)
			continue;
		check_layout(gc, &l, size);
		/* The module: a buffer of its exact size. */
		if (gc->module_size && !module[i]) {
			module[i] = malloc(gc->module_size);
			memset(module[i], 0x6d, gc->module_size);
		}
		ram_size = gc->ram_size;
		err = mb_load(map, NULL, data, size, module[i], gc, &l);
		/* -EFAULT only for a piece too large for fuzz_map(). */
		CHECK(!err || (err == -EFAULT && too_large(&l)));
		fuzz_unmap_all();
	}
	return 0;
}
