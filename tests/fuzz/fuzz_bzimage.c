/* sources: hv/linux_boot.c hv/linux_layout.c hv/linux_entry.c */
/* flags: -max_len=16384 */
// SPDX-License-Identifier: GPL-2.0
/*
 * The Linux boot protocol (hv/linux_boot.c) on any bytes as a bzImage, the
 * way hv/linux_vm.c uses it: parse the setup header, plan the layout for a
 * few guests, load (zero page, kernel, command line, initrd) into guest
 * memory and build the entry state. A plan that succeeds must be one the
 * loader accepts and must keep every piece inside usable RAM, clear of the
 * others.
 */
#include "fuzz.h"
#include <hv/linux_boot.h>

#define ACPI_SIZE 0x2000	/* hv/acpi_build.h ACPI_TABLES_SIZE */

static const struct e820_entry reserved[] = {
	{ 0x200000, 0x100000, E820_TYPE_RESERVED },
	{ 0x3000000, 0x1000, E820_TYPE_NVS },
};

static const struct linux_guest_config guests[] = {
	{ .ram_size = 64 * MiB, .acpi_size = ACPI_SIZE, .cmdline_len = 48 },
	{ .ram_size = 256 * MiB, .acpi_size = ACPI_SIZE,
	  .initrd_size = 300 * KiB + 123, .cmdline_len = 255 },
	{ .ram_size = 6 * GiB, .acpi_size = ACPI_SIZE, .initrd_size = 64 * KiB,
	  .cmdline_len = 2047, .reserved = reserved,
	  .nr_reserved = ARRAY_SIZE(reserved) },
};

struct ram {
	u64 low_end, high_end;
};

/* Guest RAM as the layout describes it; each piece its own buffer. */
FUZZ_NOCOV
static void *map(void *ctx, u64 gpa, u64 len, u64 fill)
{
	const struct ram *r = ctx;
	bool low = gpa < r->low_end && len <= r->low_end - gpa;
	bool high = gpa >= LINUX_4G && gpa < r->high_end &&
		    len <= r->high_end - gpa;

	if (fill > len)
		__builtin_trap();	/* the loader's contract */
	return low || high ? fuzz_map(len) : NULL;
}

/* [a, a + size) inside one RAM entry of the e820 map. */
FUZZ_NOCOV
static bool in_ram(const struct linux_boot_layout *l, u64 a, u64 size)
{
	for (u32 i = 0; i < l->e820_count; i++) {
		const struct e820_entry *e = &l->e820[i];

		if (e->type == E820_TYPE_RAM && a >= e->addr &&
		    a - e->addr <= e->size && size <= e->size - (a - e->addr))
			return true;
	}
	return false;
}

FUZZ_NOCOV
static void check_layout(const struct linux_image_info *info,
			 const struct linux_guest_config *gc,
			 const struct linux_boot_layout *l)
{
	CHECK(l->e820_count >= 3 && l->e820_count <= LINUX_E820_MAX);
	for (u32 i = 0; i < l->e820_count; i++) {
		CHECK(l->e820[i].size);
		if (i)
			CHECK(l->e820[i - 1].addr + l->e820[i - 1].size <=
			      l->e820[i].addr);
	}
	CHECK(l->kernel_mem == info->init_size);
	CHECK(l->kernel_gpa >= LINUX_HIGH_START);
	CHECK(in_ram(l, l->kernel_gpa, l->kernel_mem));
	if (info->relocatable)
		CHECK(!(l->kernel_gpa & (info->kernel_alignment - 1)));
	else
		CHECK(l->kernel_gpa == info->pref_address);
	CHECK(l->entry64 == l->kernel_gpa + LINUX_ENTRY64_OFFSET);
	CHECK(l->cmdline_len == gc->cmdline_len &&
	      l->cmdline_len <= info->cmdline_size);
	CHECK(!fuzz_overlaps(l->kernel_gpa, l->kernel_mem, 0,
			     LINUX_CMDLINE_GPA + LINUX_CMDLINE_MAX));
	CHECK(!fuzz_overlaps(l->kernel_gpa, l->kernel_mem, l->acpi_gpa,
			     l->acpi_size));
	CHECK(l->initrd_size == gc->initrd_size);
	if (l->initrd_size) {
		CHECK(!(l->initrd_gpa & (PAGE_SIZE - 1)));
		CHECK(in_ram(l, l->initrd_gpa, l->initrd_size));
		CHECK(l->initrd_gpa + l->initrd_size - 1 <=
		      info->initrd_addr_max);
		CHECK(!fuzz_overlaps(l->initrd_gpa, l->initrd_size,
				     l->kernel_gpa, l->kernel_mem));
		CHECK(!fuzz_overlaps(l->initrd_gpa, l->initrd_size,
				     l->acpi_gpa, l->acpi_size));
	}
	for (u32 i = 0; i < gc->nr_reserved; i++) {
		const struct e820_entry *r = &gc->reserved[i];

		CHECK(!fuzz_overlaps(l->kernel_gpa, l->kernel_mem, r->addr,
				     r->size));
		CHECK(!fuzz_overlaps(l->initrd_gpa, l->initrd_size, r->addr,
				     r->size));
	}
}

FUZZ_NOCOV
static void load(const u8 *img, size_t len,
		 const struct linux_image_info *info,
		 const struct linux_guest_config *gc)
{
	static struct linux_boot_layout l;
	static char *cmdline[ARRAY_SIZE(guests)];
	static u8 *initrd[ARRAY_SIZE(guests)];
	u32 g = (u32)(gc - guests);
	struct linux_entry_state st;
	struct ram ram;
	void *scratch;
	int err;

	err = linux_plan_layout(info, gc, &l);
	CHECK(!err || err == -E2BIG || err == -ENOMEM || err == -ENOSPC);
	if (err)
		return;
	check_layout(info, gc, &l);

	/* The command line and initrd: buffers of their exact sizes. */
	if (!cmdline[g]) {
		cmdline[g] = malloc(gc->cmdline_len + 1);
		memset(cmdline[g], 'c', gc->cmdline_len);
		cmdline[g][gc->cmdline_len] = '\0';
		initrd[g] = malloc(gc->initrd_size + 1);
		memset(initrd[g], 0x5a, gc->initrd_size);
	}
	ram.low_end = l.low_ram_end;
	ram.high_end = l.high_ram_end;
	err = linux_load(map, &ram, img, len,
			 gc->initrd_size ? initrd[g] : NULL, cmdline[g], &l);
	/* -EFAULT only for a piece too large for fuzz_map(). */
	CHECK(!err || (err == -EFAULT && (l.kernel_mem > FUZZ_MAP_MAX ||
					  l.initrd_size > FUZZ_MAP_MAX)));

	scratch = fuzz_map(l.scratch_size);
	CHECK(linux_build_entry_state(scratch, &l, &st) == 0);
	CHECK(st.rip == l.entry64 && st.rsi == l.zero_page_gpa);
}

FUZZ_NOCOV
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linux_image_info info;
	const char *why = NULL;
	int err;

	err = linux_parse_bzimage(data, size, &info, &why);
	if (err) {
		CHECK(err == -ENOEXEC && why);
		return 0;
	}
	CHECK(!why);
	CHECK(info.kernel_offset + info.kernel_size == size);
	CHECK(info.payload_offset + info.payload_len <= size);
	CHECK(info.hdr_end <= LBP_HDR_MAX_END && info.hdr_end <= size);
	for (u32 i = 0; i < ARRAY_SIZE(guests); i++) {
		load(data, size, &info, &guests[i]);
		fuzz_unmap_all();
	}
	return 0;
}
