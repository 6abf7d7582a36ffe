// SPDX-License-Identifier: GPL-2.0
/* sources: hv/linux_boot.c hv/linux_layout.c hv/linux_entry.c */
/*
 * Unit tests of the Linux boot protocol builder: the guest memory layout
 * and its e820 table (hv/linux_layout.c), on the synthetic bzImage of
 * linux_image.h.
 * Standalone build:
 *   gcc -std=c11 -Wall -Wextra -Werror -fsanitize=address,undefined -I. \
 *       tests/unit/test_linux_layout.c hv/linux_boot.c hv/linux_layout.c \
 *       hv/linux_entry.c -lcmocka
 */
#include "linux_image.h"

/* --- layout ------------------------------------------------------------ */

static void test_layout_512m(void **state)
{
	struct linux_image_info i;
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	uint64_t acpi = 512 * MiB - 64 * 1024;

	(void)state;
	i = parse_ok();
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.kernel_gpa, 16 * MiB);
	assert_int_equal(l.kernel_mem, IMG_INIT_SIZE);
	assert_int_equal(l.entry64, 16 * MiB + 0x200);
	assert_int_equal(l.zero_page_gpa, LINUX_ZERO_PAGE_GPA);
	assert_int_equal(l.cmdline_gpa, LINUX_CMDLINE_GPA);
	assert_int_equal(l.cmdline_len, 40);
	assert_int_equal(l.rsdp_gpa, 0xE0000);
	assert_int_equal(l.acpi_gpa, acpi);
	assert_int_equal(l.acpi_size, 64 * 1024);
	/* initrd: highest page-aligned spot below the ACPI tables. */
	assert_int_equal(l.initrd_size, 12 * MiB + 123);
	assert_int_equal(l.initrd_gpa & 0xfff, 0);
	assert_true(l.initrd_gpa + l.initrd_size <= acpi);
	assert_true(l.initrd_gpa + l.initrd_size + 4096 > acpi);
	assert_int_equal(l.low_ram_end, 512 * MiB);
	assert_int_equal(l.high_ram_end, 0);

	check_e820_sane(&l);
	assert_int_equal(l.e820_count, 4);
	expect_e820(&l, 0, 0, 0x9FC00, E820_TYPE_RAM);
	expect_e820(&l, 1, 0x9FC00, 0x100000 - 0x9FC00, E820_TYPE_RESERVED);
	expect_e820(&l, 2, 0x100000, acpi - 0x100000, E820_TYPE_RAM);
	expect_e820(&l, 3, acpi, 64 * 1024, E820_TYPE_ACPI);
	/* The RSDP copy and the BIOS area are not RAM. */
	assert_int_equal(e820_type_at(&l, 0xE0000), E820_TYPE_RESERVED);
	assert_int_equal(e820_type_at(&l, 0xFFFFF), E820_TYPE_RESERVED);
	/* Everything we place is in RAM. */
	assert_int_equal(e820_type_at(&l, l.zero_page_gpa), E820_TYPE_RAM);
	assert_int_equal(e820_type_at(&l, l.scratch_gpa), E820_TYPE_RAM);
	assert_int_equal(e820_type_at(&l, l.cmdline_gpa + 4095),
			 E820_TYPE_RAM);
	assert_int_equal(e820_type_at(&l, l.kernel_gpa + l.kernel_mem - 1),
			 E820_TYPE_RAM);
	assert_int_equal(e820_type_at(&l, l.initrd_gpa), E820_TYPE_RAM);
}

static void test_layout_no_acpi_no_initrd(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;

	(void)state;
	c.acpi_size = 0;
	c.initrd_size = 0;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.initrd_gpa, 0);
	assert_int_equal(l.acpi_gpa, 0);
	assert_int_equal(l.e820_count, 3);
	expect_e820(&l, 2, 0x100000, 511 * MiB, E820_TYPE_RAM);
}

static void test_layout_initrd_addr_max(void **state)
{
	struct linux_image_info i;
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;

	(void)state;
	wr32(img, LBP_INITRD_ADDR_MAX, 0x37ffffff);
	i = parse_ok();
	c.ram_size = 2 * GiB;
	c.initrd_size = 8 * MiB;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	/* The last byte may be at initrd_addr_max itself. */
	assert_int_equal(l.initrd_gpa + l.initrd_size - 1, 0x37ffffff);

	c.initrd_size = 8 * MiB + 1;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.initrd_gpa, 0x38000000 - 8 * MiB - 4096);
	assert_true(l.initrd_gpa + l.initrd_size - 1 <= 0x37ffffff);
}

static void test_layout_initrd_below_ram_end(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;

	(void)state;
	c.ram_size = 64 * MiB;
	c.acpi_size = 0;
	c.initrd_size = 4096;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.initrd_gpa, 64 * MiB - 4096);
}

static void test_layout_initrd_avoids_kernel(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;

	(void)state;
	/* 24 MiB: the kernel takes 16-20 MiB; 8 MiB only fits below it. */
	c.ram_size = 24 * MiB;
	c.acpi_size = 0;
	c.initrd_size = 8 * MiB;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.kernel_gpa, 16 * MiB);
	assert_int_equal(l.initrd_gpa, 8 * MiB);
}

static void test_layout_initrd_too_big(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;

	(void)state;
	c.initrd_size = 512 * MiB;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -ENOMEM);
	c.ram_size = 24 * MiB;
	c.acpi_size = 0;
	c.initrd_size = 16 * MiB;	/* 4 above, 15 below the kernel */
	assert_int_equal(linux_plan_layout(&i, &c, &l), -ENOMEM);
}

static void test_layout_kernel_relocated(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;

	(void)state;
	/* 16 MiB of RAM: pref_address doesn't fit, 2 MiB is aligned. */
	c.ram_size = 16 * MiB;
	c.initrd_size = 1 * MiB;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.kernel_gpa, 2 * MiB);
	assert_int_equal(l.entry64, 2 * MiB + 0x200);
	assert_true(l.initrd_gpa >= 6 * MiB);

	img[LBP_RELOCATABLE] = 0;
	i = parse_ok();
	assert_int_equal(linux_plan_layout(&i, &c, &l), -ENOMEM);
}

/*
 * A relocatable kernel whose pref_address is no kernel_alignment multiple
 * goes to an aligned address, which the zero page builder then accepts
 * (found by tests/fuzz/fuzz_bzimage.c: the plan kept pref_address and the
 * load failed with -EINVAL).
 */
static void test_layout_unaligned_pref_address(void **state)
{
	struct linux_image_info i;
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	static uint8_t zp[LINUX_ZERO_PAGE_SIZE];

	(void)state;
	wr64(img, LBP_PREF_ADDRESS, 16 * MiB + 0x30000);
	i = parse_ok();
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.kernel_gpa, 2 * MiB);
	assert_int_equal(linux_build_boot_params(zp, img, IMG_LEN, &l), 0);

	/* Not relocatable: pref_address as it is. */
	img[LBP_RELOCATABLE] = 0;
	i = parse_ok();
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.kernel_gpa, 16 * MiB + 0x30000);
	assert_int_equal(linux_build_boot_params(zp, img, IMG_LEN, &l), 0);
}

static void test_layout_reserved_regions(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	static const struct e820_entry res[] = {
		{ 17 * MiB, 4096, E820_TYPE_RESERVED },	/* hits pref_address */
		{ 300 * MiB, 2 * MiB, E820_TYPE_NVS },
		{ 3 * MiB, 4096, E820_TYPE_RESERVED },	/* hits 2 MiB too */
	};

	(void)state;
	c.reserved = res;
	c.nr_reserved = 3;
	c.initrd_size = 250 * MiB;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	/* pref_address is blocked: lowest 2 MiB-aligned fit instead. */
	assert_int_equal(l.kernel_gpa, 4 * MiB);
	/* The initrd doesn't fit above 302 MiB, so it goes below 300. */
	assert_int_equal(l.initrd_gpa, 50 * MiB);
	check_e820_sane(&l);
	assert_int_equal(l.e820_count, 10);
	expect_e820(&l, 2, 0x100000, 2 * MiB, E820_TYPE_RAM);
	expect_e820(&l, 3, 3 * MiB, 4096, E820_TYPE_RESERVED);
	expect_e820(&l, 4, 3 * MiB + 4096, 14 * MiB - 4096, E820_TYPE_RAM);
	expect_e820(&l, 5, 17 * MiB, 4096, E820_TYPE_RESERVED);
	expect_e820(&l, 6, 17 * MiB + 4096, 283 * MiB - 4096, E820_TYPE_RAM);
	expect_e820(&l, 7, 300 * MiB, 2 * MiB, E820_TYPE_NVS);
	expect_e820(&l, 8, 302 * MiB, l.acpi_gpa - 302 * MiB, E820_TYPE_RAM);
	expect_e820(&l, 9, l.acpi_gpa, 64 * 1024, E820_TYPE_ACPI);
}

static void test_layout_reserved_in_low_area(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	static const struct e820_entry res = { 0x7000, 4096, 2 };

	(void)state;
	c.reserved = &res;
	c.nr_reserved = 1;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -EINVAL);
}

static void test_layout_e820_full(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	static struct e820_entry res[LINUX_E820_MAX];
	uint32_t k;

	(void)state;
	/* Each isolated hole adds two entries: 4 + 2 * 62 = 128 fits... */
	for (k = 0; k < LINUX_E820_MAX; k++) {
		res[k].addr = 100 * MiB + k * 2 * 4096;
		res[k].size = 4096;
		res[k].type = E820_TYPE_RESERVED;
	}
	c.reserved = res;
	c.nr_reserved = 62;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.e820_count, 128);
	check_e820_sane(&l);
	/* ...one more doesn't. */
	c.nr_reserved = 63;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -ENOSPC);
}

static void test_layout_high_ram(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;

	(void)state;
	c.ram_size = 4 * GiB;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.low_ram_end, 3 * GiB);
	assert_int_equal(l.high_ram_end, 5 * GiB);
	/* ACPI at the top of low RAM, initrd below it and below 2 GiB. */
	assert_int_equal(l.acpi_gpa, 3 * GiB - 64 * 1024);
	assert_true(l.initrd_gpa + l.initrd_size - 1 <= 0x7fffffff);
	check_e820_sane(&l);
	assert_int_equal(l.e820_count, 5);
	expect_e820(&l, 4, 4 * GiB, 1 * GiB, E820_TYPE_RAM);
	assert_int_equal(e820_type_at(&l, 3 * GiB), 0);	/* the hole */

	c.low_ram_max = 2 * GiB;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.high_ram_end, 6 * GiB);
}

static void test_layout_no_overflow(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	static const struct e820_entry wrap = { ~0ull - 4095, 8192, 2 };

	(void)state;
	c.initrd_size = ~0ull - 4096;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -ENOMEM);
	c = cfg_default();
	c.acpi_size = ~0ull;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -ENOMEM);
	c = cfg_default();
	c.reserved = &wrap;
	c.nr_reserved = 1;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -EINVAL);
	/* A pref_address near 2^64 must not wrap into "fits". */
	c = cfg_default();
	i.pref_address = ~0ull - 4095;
	i.relocatable = false;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -ENOMEM);
}

static void test_layout_cmdline_too_long(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;

	(void)state;
	c.cmdline_len = 2047;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	c.cmdline_len = 2048;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -E2BIG);
	wr32(img, LBP_CMDLINE_SIZE, 0x100000);
	i = parse_ok();
	c.cmdline_len = LINUX_CMDLINE_MAX;	/* our buffer is the limit */
	assert_int_equal(linux_plan_layout(&i, &c, &l), -E2BIG);
}

static void test_layout_bad_config(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;

	(void)state;
	c.ram_size = 512 * MiB + 1;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -EINVAL);
	c.ram_size = 1 * MiB;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -EINVAL);
	c.ram_size = 512 * MiB;
	c.low_ram_max = 5 * GiB;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -EINVAL);
	c.low_ram_max = 0;
	c.nr_reserved = 1;
	assert_int_equal(linux_plan_layout(&i, &c, &l), -EINVAL);
	assert_int_equal(linux_plan_layout(NULL, &c, &l), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_layout_512m),
		T(test_layout_no_acpi_no_initrd),
		T(test_layout_initrd_addr_max),
		T(test_layout_initrd_below_ram_end),
		T(test_layout_initrd_avoids_kernel),
		T(test_layout_initrd_too_big),
		T(test_layout_kernel_relocated),
		T(test_layout_unaligned_pref_address),
		T(test_layout_reserved_regions),
		T(test_layout_reserved_in_low_area),
		T(test_layout_e820_full),
		T(test_layout_high_ram),
		T(test_layout_no_overflow),
		T(test_layout_cmdline_too_long),
		T(test_layout_bad_config),
	};

	return cmocka_run_group_tests_name("linux_layout", tests, NULL, NULL);
}
