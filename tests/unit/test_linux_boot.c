// SPDX-License-Identifier: GPL-2.0
/* sources: hv/linux_boot.c hv/linux_layout.c hv/linux_entry.c */
/*
 * Unit tests of the Linux boot protocol builder (hv/linux_boot.c), on a
 * synthetic bzImage built here. Standalone build:
 *   gcc -std=c11 -Wall -Wextra -Werror -fsanitize=address,undefined -I. \
 *       tests/unit/test_linux_boot.c hv/linux_boot.c hv/linux_layout.c \
 *       hv/linux_entry.c -lcmocka
 */
#include "unit.h"
#include <hv/linux_boot.h>

#define IMG_SETUP_SECTS	4
#define IMG_KOFF	((IMG_SETUP_SECTS + 1) * 512)
#define IMG_KSIZE	0x1000
#define IMG_LEN		(IMG_KOFF + IMG_KSIZE)
#define IMG_INIT_SIZE	(4 * MiB)

static uint8_t img[IMG_LEN];

static void put16(uint8_t *p, size_t off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	put16(p, off, (uint16_t)v);
	put16(p, off + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, size_t off, uint64_t v)
{
	put32(p, off, (uint32_t)v);
	put32(p, off + 4, (uint32_t)(v >> 32));
}

static uint16_t get16(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] | p[off + 1] << 8);
}

static uint32_t get32(const uint8_t *p, size_t off)
{
	return get16(p, off) | (uint32_t)get16(p, off + 2) << 16;
}

static uint64_t get64(const uint8_t *p, size_t off)
{
	return get32(p, off) | (uint64_t)get32(p, off + 4) << 32;
}

/* A minimal protocol-2.15 bzImage like Debian's, with a 4 KiB "kernel". */
static int setup_image(void **state)
{
	size_t i;

	(void)state;
	memset(img, 0, sizeof(img));
	for (i = IMG_KOFF; i < IMG_LEN; i++)
		img[i] = (uint8_t)(i * 7 + 1);
	img[LBP_SENTINEL] = 0xff;
	img[LBP_SETUP_SECTS] = IMG_SETUP_SECTS;
	put16(img, LBP_BOOT_FLAG, 0xAA55);
	img[LBP_JUMP] = 0xeb;
	img[LBP_JUMP + 1] = 0x6a;		/* header ends at 0x26c */
	memcpy(img + LBP_HEADER, "HdrS", 4);
	put16(img, LBP_VERSION, 0x020f);
	img[LBP_LOADFLAGS] = LINUX_LOADED_HIGH;
	put32(img, LBP_CODE32_START, 0x100000);
	put32(img, LBP_INITRD_ADDR_MAX, 0x7fffffff);
	put32(img, LBP_KERNEL_ALIGNMENT, 0x200000);
	img[LBP_RELOCATABLE] = 1;
	img[LBP_RELOCATABLE + 1] = 21;		/* min_alignment */
	put16(img, LBP_XLOADFLAGS, 0x7f);
	put32(img, LBP_CMDLINE_SIZE, 2047);
	put32(img, LBP_PAYLOAD_OFFSET, 0x100);
	put32(img, LBP_PAYLOAD_LENGTH, 0x800);
	put64(img, LBP_PREF_ADDRESS, 16 * MiB);
	put32(img, LBP_INIT_SIZE, IMG_INIT_SIZE);
	put32(img, 0x268, 0x12345);		/* kernel_info_offset */
	return 0;
}

static struct linux_image_info parse_ok(void)
{
	struct linux_image_info info;
	const char *why = "x";

	assert_int_equal(linux_parse_bzimage(img, IMG_LEN, &info, &why), 0);
	assert_null(why);
	return info;
}

static bool contains(const char *s, const char *part)
{
	size_t n = strlen(part);

	for (; *s; s++)
		if (!strncmp(s, part, n))
			return true;
	return false;
}

static void expect_enoexec(size_t len, const char *reason_part)
{
	struct linux_image_info info;
	const char *why = NULL;

	assert_int_equal(linux_parse_bzimage(img, len, &info, &why), -ENOEXEC);
	assert_non_null(why);
	if (!contains(why, reason_part))
		fail_msg("reason \"%s\" lacks \"%s\"", why, reason_part);
}

/* Check the e820 table is sorted, non-empty entries, no overlaps. */
static void check_e820_sane(const struct linux_boot_layout *l)
{
	uint32_t i;

	assert_true(l->e820_count > 0 && l->e820_count <= LINUX_E820_MAX);
	for (i = 0; i < l->e820_count; i++) {
		assert_true(l->e820[i].size > 0);
		if (i)
			assert_true(l->e820[i - 1].addr + l->e820[i - 1].size
				    <= l->e820[i].addr);
	}
}

static uint32_t e820_type_at(const struct linux_boot_layout *l, uint64_t a)
{
	uint32_t i;

	for (i = 0; i < l->e820_count; i++)
		if (a >= l->e820[i].addr &&
		    a - l->e820[i].addr < l->e820[i].size)
			return l->e820[i].type;
	return 0;
}

static void expect_e820(const struct linux_boot_layout *l, uint32_t i,
			uint64_t addr, uint64_t size, uint32_t type)
{
	assert_true(i < l->e820_count);
	assert_int_equal(l->e820[i].addr, addr);
	assert_int_equal(l->e820[i].size, size);
	assert_int_equal(l->e820[i].type, type);
}

static struct linux_guest_config cfg_default(void)
{
	struct linux_guest_config c = {
		.ram_size = 512 * MiB,
		.acpi_size = 64 * 1024,
		.initrd_size = 12 * MiB + 123,
		.cmdline_len = 40,
	};
	return c;
}

/* --- parsing ----------------------------------------------------------- */

static void test_parse_good(void **state)
{
	struct linux_image_info i;

	(void)state;
	i = parse_ok();
	assert_int_equal(i.protocol, 0x020f);
	assert_int_equal(i.setup_sects, IMG_SETUP_SECTS);
	assert_int_equal(i.kernel_offset, IMG_KOFF);
	assert_int_equal(i.kernel_size, IMG_KSIZE);
	assert_int_equal(i.hdr_end, 0x26c);
	assert_int_equal(i.pref_address, 16 * MiB);
	assert_int_equal(i.init_size, IMG_INIT_SIZE);
	assert_int_equal(i.kernel_alignment, 0x200000);
	assert_true(i.relocatable);
	assert_true(i.xlf_kernel_64);
	assert_true(i.xlf_above_4g);
	assert_int_equal(i.cmdline_size, 2047);
	assert_int_equal(i.initrd_addr_max, 0x7fffffff);
	assert_int_equal(i.payload_offset, IMG_KOFF + 0x100);
	assert_int_equal(i.payload_len, 0x800);
}

static void test_parse_setup_sects_zero_means_4(void **state)
{
	(void)state;
	img[LBP_SETUP_SECTS] = 0;
	assert_int_equal(parse_ok().kernel_offset, 5 * 512);
}

static void test_parse_bad_magic(void **state)
{
	(void)state;
	img[LBP_HEADER] = 'X';
	expect_enoexec(IMG_LEN, "HdrS");
}

static void test_parse_bad_boot_flag(void **state)
{
	(void)state;
	put16(img, LBP_BOOT_FLAG, 0x1234);
	expect_enoexec(IMG_LEN, "0xAA55");
}

static void test_parse_old_protocol(void **state)
{
	(void)state;
	put16(img, LBP_VERSION, 0x020b);
	expect_enoexec(IMG_LEN, "2.12");
	put16(img, LBP_VERSION, 0x020c);
	parse_ok();
}

static void test_parse_not_64bit(void **state)
{
	(void)state;
	put16(img, LBP_XLOADFLAGS, 0x7e);
	expect_enoexec(IMG_LEN, "XLF_KERNEL_64");
}

static void test_parse_not_loaded_high(void **state)
{
	(void)state;
	img[LBP_LOADFLAGS] = 0;
	expect_enoexec(IMG_LEN, "LOADED_HIGH");
}

static void test_parse_truncated(void **state)
{
	(void)state;
	expect_enoexec(0x200, "truncated");
	/* hdr_end is 0x26c; then no protected-mode code. */
	expect_enoexec(LBP_HDR_MIN_END + 1, "truncated");
	expect_enoexec(IMG_KOFF, "truncated");
	expect_enoexec(IMG_KOFF + 0x200, "payload");
	img[LBP_JUMP + 1] = 0x50;	/* header ends at 0x252 < 2.12 */
	expect_enoexec(IMG_LEN, "header");
}

static void test_parse_bad_sizes(void **state)
{
	(void)state;
	put32(img, LBP_INIT_SIZE, IMG_KSIZE - 1);
	expect_enoexec(IMG_LEN, "init_size");
	setup_image(NULL);
	put32(img, LBP_KERNEL_ALIGNMENT, 0x300000);
	expect_enoexec(IMG_LEN, "power of two");
	setup_image(NULL);
	put32(img, LBP_CMDLINE_SIZE, 0);
	expect_enoexec(IMG_LEN, "cmdline_size");
	setup_image(NULL);
	put64(img, LBP_PREF_ADDRESS, 0x1000);
	expect_enoexec(IMG_LEN, "pref_address");
}

static void test_parse_null_why(void **state)
{
	struct linux_image_info i;

	(void)state;
	img[LBP_HEADER] = 0;
	assert_int_equal(linux_parse_bzimage(img, IMG_LEN, &i, NULL),
			 -ENOEXEC);
}

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
	put32(img, LBP_INITRD_ADDR_MAX, 0x37ffffff);
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
	put64(img, LBP_PREF_ADDRESS, 16 * MiB + 0x30000);
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
	put32(img, LBP_CMDLINE_SIZE, 0x100000);
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

/* --- zero page --------------------------------------------------------- */

static void test_boot_params(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	static uint8_t zp[LINUX_ZERO_PAGE_SIZE];
	size_t off;
	uint32_t k;

	(void)state;
	memset(zp, 0xcc, sizeof(zp));
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(linux_build_boot_params(zp, img, IMG_LEN, &l), 0);

	/* Setup header copied from 0x1f1 up to its end (0x26c). */
	assert_int_equal(zp[LBP_SETUP_SECTS], IMG_SETUP_SECTS);
	assert_memory_equal(zp + LBP_HEADER, "HdrS", 4);
	assert_int_equal(get16(zp, LBP_VERSION), 0x020f);
	assert_int_equal(get16(zp, LBP_BOOT_FLAG), 0xAA55);
	assert_int_equal(get32(zp, LBP_INIT_SIZE), IMG_INIT_SIZE);
	assert_int_equal(get32(zp, 0x268), 0x12345);
	assert_int_equal(get16(zp, LBP_XLOADFLAGS), 0x7f);
	/* Loader fields. */
	assert_int_equal(zp[LBP_SENTINEL], 0);
	assert_int_equal(zp[LBP_TYPE_OF_LOADER], 0xff);
	assert_int_equal(zp[LBP_LOADFLAGS], LINUX_LOADED_HIGH);
	assert_int_equal(get16(zp, LBP_HEAP_END_PTR), 0);
	assert_int_equal(get32(zp, LBP_CODE32_START), 16 * MiB);
	assert_int_equal(get32(zp, LBP_CMD_LINE_PTR), LINUX_CMDLINE_GPA);
	assert_int_equal(get32(zp, LBP_EXT_CMD_LINE_PTR), 0);
	assert_int_equal(get32(zp, LBP_RAMDISK_IMAGE), l.initrd_gpa);
	assert_int_equal(get32(zp, LBP_RAMDISK_SIZE), 12 * MiB + 123);
	assert_int_equal(get32(zp, LBP_EXT_RAMDISK_IMAGE), 0);
	assert_int_equal(get32(zp, LBP_EXT_RAMDISK_SIZE), 0);
	assert_int_equal(get64(zp, LBP_ACPI_RSDP_ADDR), 0xE0000);
	/* e820 */
	assert_int_equal(zp[LBP_E820_ENTRIES], 4);
	for (k = 0; k < 4; k++) {
		off = LBP_E820_TABLE + k * 20;
		assert_int_equal(get64(zp, off), l.e820[k].addr);
		assert_int_equal(get64(zp, off + 8), l.e820[k].size);
		assert_int_equal(get32(zp, off + 16), l.e820[k].type);
	}
	assert_int_equal(get32(zp, LBP_E820_TABLE + 4 * 20), 0);
	/* Everything else is zero: before the header, after its end. */
	for (off = 0; off < LBP_SETUP_SECTS; off++)
		if (off < LBP_ACPI_RSDP_ADDR || off >= LBP_ACPI_RSDP_ADDR + 8)
			if (off != LBP_E820_ENTRIES)
				assert_int_equal(zp[off], 0);
	for (off = 0x26c; off < LBP_E820_TABLE; off++)
		assert_int_equal(zp[off], 0);
	for (off = LBP_E820_TABLE + 4 * 20; off < sizeof(zp); off++)
		assert_int_equal(zp[off], 0);
}

static void test_boot_params_old_protocol_no_rsdp(void **state)
{
	struct linux_image_info i;
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	static uint8_t zp[LINUX_ZERO_PAGE_SIZE];

	(void)state;
	put16(img, LBP_VERSION, 0x020d);
	i = parse_ok();
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(linux_build_boot_params(zp, img, IMG_LEN, &l), 0);
	assert_int_equal(get64(zp, LBP_ACPI_RSDP_ADDR), 0);
}

static void test_boot_params_high_addresses(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	static uint8_t zp[LINUX_ZERO_PAGE_SIZE];

	(void)state;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	/* A caller may move things above 4G if the kernel allows it. */
	l.cmdline_gpa = 0x123456000ull;
	l.initrd_gpa = 0x200000000ull;
	assert_int_equal(linux_build_boot_params(zp, img, IMG_LEN, &l), 0);
	assert_int_equal(get32(zp, LBP_CMD_LINE_PTR), 0x23456000);
	assert_int_equal(get32(zp, LBP_EXT_CMD_LINE_PTR), 1);
	assert_int_equal(get32(zp, LBP_RAMDISK_IMAGE), 0);
	assert_int_equal(get32(zp, LBP_EXT_RAMDISK_IMAGE), 2);

	put16(img, LBP_XLOADFLAGS, LINUX_XLF_KERNEL_64);
	assert_int_equal(linux_build_boot_params(zp, img, IMG_LEN, &l),
			 -EINVAL);
}

static void test_boot_params_rejects_bad_layout(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l, bad;
	static uint8_t zp[LINUX_ZERO_PAGE_SIZE];

	(void)state;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	bad = l;
	bad.cmdline_len = 2048;
	assert_int_equal(linux_build_boot_params(zp, img, IMG_LEN, &bad),
			 -E2BIG);
	bad = l;
	bad.kernel_gpa += 4096;			/* not 2 MiB aligned */
	assert_int_equal(linux_build_boot_params(zp, img, IMG_LEN, &bad),
			 -EINVAL);
	bad = l;
	bad.e820_count = LINUX_E820_MAX + 1;
	assert_int_equal(linux_build_boot_params(zp, img, IMG_LEN, &bad),
			 -EINVAL);
	img[LBP_HEADER] = 0;
	assert_int_equal(linux_build_boot_params(zp, img, IMG_LEN, &l),
			 -ENOEXEC);
}

/* --- linux_load on a flat guest RAM buffer ------------------------------ */

struct flat_ram {
	uint8_t *base;
	uint64_t size;
};

static void *flat_map(void *ctx, uint64_t gpa, uint64_t len, uint64_t fill)
{
	struct flat_ram *r = ctx;

	assert_true(fill <= len);
	if (gpa > r->size || len > r->size - gpa)
		return NULL;
	return r->base + gpa;
}

static void test_load(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	struct flat_ram ram = { .size = 32 * MiB };
	static const char cmdline[] = "console=ttyS0 panic=-1";
	uint8_t initrd[5000];
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(initrd); k++)
		initrd[k] = (uint8_t)(k ^ 0x5a);
	ram.base = calloc(1, ram.size);
	assert_non_null(ram.base);
	c.ram_size = ram.size;
	c.initrd_size = sizeof(initrd);
	c.cmdline_len = strlen(cmdline);
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(linux_load(flat_map, &ram, img, IMG_LEN, initrd,
				    cmdline, &l), 0);
	assert_memory_equal(ram.base + l.kernel_gpa, img + IMG_KOFF, IMG_KSIZE);
	assert_memory_equal(ram.base + l.initrd_gpa, initrd, sizeof(initrd));
	assert_string_equal((char *)ram.base + l.cmdline_gpa, cmdline);
	assert_int_equal(get32(ram.base + l.zero_page_gpa, LBP_CMD_LINE_PTR),
			 l.cmdline_gpa);
	assert_int_equal(ram.base[l.zero_page_gpa + LBP_TYPE_OF_LOADER], 0xff);

	/* Wrong command line length, missing initrd, unmapped memory. */
	assert_int_equal(linux_load(flat_map, &ram, img, IMG_LEN, initrd,
				    "short", &l), -EINVAL);
	assert_int_equal(linux_load(flat_map, &ram, img, IMG_LEN, NULL,
				    cmdline, &l), -EINVAL);
	ram.size = 16 * MiB;
	assert_int_equal(linux_load(flat_map, &ram, img, IMG_LEN, initrd,
				    cmdline, &l), -EFAULT);
	free(ram.base);
}

/* --- 64-bit entry state ------------------------------------------------ */

/* Walk 4-level page tables held in the scratch buffer. */
static uint64_t walk(const uint8_t *scratch, uint64_t base, uint64_t cr3,
		     uint64_t va)
{
	uint64_t e, t = cr3 & ~0xfffull;
	int lvl;

	for (lvl = 3; lvl >= 0; lvl--) {
		uint64_t idx = (va >> (12 + 9 * lvl)) & 511;

		assert_true(t >= base && t + 4096 <= base + LINUX_SCRATCH_USED);
		e = get64(scratch, t - base + idx * 8);
		if (!(e & 1))
			return ~0ull;
		assert_true(e & 2);			/* writable */
		if (lvl == 1 && (e & 0x80))		/* 2 MiB page */
			return (e & ~0x1fffffull & ((1ull << 52) - 1)) |
			       (va & 0x1fffff);
		t = e & ~0xfffull & ((1ull << 52) - 1);
	}
	return t | (va & 0xfff);
}

static void test_entry_state(void **state)
{
	struct linux_image_info i = parse_ok();
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	struct linux_entry_state st;
	static uint8_t scratch[LINUX_SCRATCH_SIZE];
	static const uint64_t probes[] = {
		0, 0x7000, 0x20000, 16 * MiB + 0x200, 0x7fffffff,
		0xfee00000, 0xffffffff,
	};
	size_t k;

	(void)state;
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(linux_build_entry_state(scratch, &l, &st), 0);
	assert_int_equal(st.rip, 16 * MiB + 0x200);
	assert_int_equal(st.rsi, LINUX_ZERO_PAGE_GPA);
	assert_int_equal(st.rflags, 2);
	assert_int_equal(st.cr0, 0x80010031);
	assert_int_equal(st.cr4 & 0x20, 0x20);
	assert_int_equal(st.efer, 0x500);
	assert_int_equal(st.cs, 0x10);
	assert_int_equal(st.ds, 0x18);
	assert_int_equal(st.cr3, LINUX_SCRATCH_GPA);
	for (k = 0; k < sizeof(probes) / sizeof(probes[0]); k++)
		assert_int_equal(walk(scratch, LINUX_SCRATCH_GPA, st.cr3,
				      probes[k]), probes[k]);
	assert_int_equal(walk(scratch, LINUX_SCRATCH_GPA, st.cr3, 4 * GiB),
			 ~0ull);
	/* GDT: null descriptors, then 64-bit code (L=1) and flat data. */
	assert_int_equal(st.gdt_base, LINUX_SCRATCH_GPA + LINUX_SCRATCH_GDT);
	assert_int_equal(st.gdt_limit, 0x1f);
	assert_int_equal(get64(scratch, LINUX_SCRATCH_GDT), 0);
	assert_int_equal(get64(scratch, LINUX_SCRATCH_GDT + 0x10), st.cs_desc);
	assert_int_equal(get64(scratch, LINUX_SCRATCH_GDT + 0x18), st.ds_desc);
	assert_true(st.cs_desc >> 53 & 1);			/* L */
	assert_false(st.cs_desc >> 54 & 1);			/* D */
	assert_int_equal(st.cs_desc >> 40 & 0xff, 0x9b);
	assert_int_equal(st.ds_desc >> 40 & 0xff, 0x93);

	/* Nothing to map above 4G; a too-small scratch area is refused. */
	l.kernel_gpa = 4 * GiB;
	assert_int_equal(linux_build_entry_state(scratch, &l, &st), -EINVAL);
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	l.scratch_size = 0x1000;
	assert_int_equal(linux_build_entry_state(scratch, &l, &st), -EINVAL);
}

/* --- the real Debian bzImage, if "make guest" has run ------------------- */

static void test_real_bzimage(void **state)
{
	const char *path = getenv("PV_GUEST_KERNEL");
	struct linux_image_info i;
	struct linux_guest_config c = cfg_default();
	struct linux_boot_layout l;
	static uint8_t zp[LINUX_ZERO_PAGE_SIZE];
	const char *why = NULL;
	uint8_t *buf;
	long len;
	FILE *f;

	(void)state;
	f = fopen(path ? path : "build/guest/bzImage", "rb");
	if (!f) {
		skip();
		return;
	}
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	assert_true(len > 0);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);

	if (linux_parse_bzimage(buf, (size_t)len, &i, &why))
		fail_msg("real bzImage rejected: %s", why);
	assert_true(i.protocol >= 0x020c);
	assert_true(i.xlf_kernel_64 && i.relocatable);
	/* Debian's XZ payload. */
	assert_memory_equal(buf + i.payload_offset, "\xfd" "7zXZ", 5);
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(l.kernel_gpa, i.pref_address);
	assert_int_equal(linux_build_boot_params(zp, buf, (size_t)len, &l), 0);
	assert_int_equal(get16(zp, LBP_VERSION), i.protocol);
	free(buf);
}

#define T(f) cmocka_unit_test_setup(f, setup_image)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parse_good),
		T(test_parse_setup_sects_zero_means_4),
		T(test_parse_bad_magic),
		T(test_parse_bad_boot_flag),
		T(test_parse_old_protocol),
		T(test_parse_not_64bit),
		T(test_parse_not_loaded_high),
		T(test_parse_truncated),
		T(test_parse_bad_sizes),
		T(test_parse_null_why),
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
		T(test_boot_params),
		T(test_boot_params_old_protocol_no_rsdp),
		T(test_boot_params_high_addresses),
		T(test_boot_params_rejects_bad_layout),
		T(test_load),
		T(test_entry_state),
		T(test_real_bzimage),
	};

	return cmocka_run_group_tests_name("linux_boot", tests, NULL, NULL);
}
