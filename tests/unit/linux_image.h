/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the unit tests of the Linux boot protocol builder share
 * (test_linux_parse.c, test_linux_layout.c, test_linux_boot.c): a
 * synthetic bzImage, rebuilt before every test, little-endian field
 * access, and checks of the parse result and the e820 table.
 */
#ifndef TESTS_UNIT_LINUX_IMAGE_H
#define TESTS_UNIT_LINUX_IMAGE_H

#include "unit.h"
#include <hv/linux_boot.h>
#include <hv/linux_boot_impl.h>	/* rd16..rd64, wr8..wr64 */

#define IMG_SETUP_SECTS	4
#define IMG_KOFF	((IMG_SETUP_SECTS + 1) * 512)
#define IMG_KSIZE	0x1000
#define IMG_LEN		(IMG_KOFF + IMG_KSIZE)
#define IMG_INIT_SIZE	(4 * MiB)

static uint8_t img[IMG_LEN];

/* A minimal protocol-2.15 bzImage like Debian's, with a 4 KiB "kernel". */
static inline int setup_image(void **state)
{
	size_t i;

	(void)state;
	memset(img, 0, sizeof(img));
	for (i = IMG_KOFF; i < IMG_LEN; i++)
		img[i] = (uint8_t)(i * 7 + 1);
	img[LBP_SENTINEL] = 0xff;
	img[LBP_SETUP_SECTS] = IMG_SETUP_SECTS;
	wr16(img, LBP_BOOT_FLAG, 0xAA55);
	img[LBP_JUMP] = 0xeb;
	img[LBP_JUMP + 1] = 0x6a;		/* header ends at 0x26c */
	memcpy(img + LBP_HEADER, "HdrS", 4);
	wr16(img, LBP_VERSION, 0x020f);
	img[LBP_LOADFLAGS] = LINUX_LOADED_HIGH;
	wr32(img, LBP_CODE32_START, 0x100000);
	wr32(img, LBP_INITRD_ADDR_MAX, 0x7fffffff);
	wr32(img, LBP_KERNEL_ALIGNMENT, 0x200000);
	img[LBP_RELOCATABLE] = 1;
	img[LBP_RELOCATABLE + 1] = 21;		/* min_alignment */
	wr16(img, LBP_XLOADFLAGS, 0x7f);
	wr32(img, LBP_CMDLINE_SIZE, 2047);
	wr32(img, LBP_PAYLOAD_OFFSET, 0x100);
	wr32(img, LBP_PAYLOAD_LENGTH, 0x800);
	wr64(img, LBP_PREF_ADDRESS, 16 * MiB);
	wr32(img, LBP_INIT_SIZE, IMG_INIT_SIZE);
	wr32(img, 0x268, 0x12345);		/* kernel_info_offset */
	return 0;
}

static inline struct linux_image_info parse_ok(void)
{
	struct linux_image_info info;
	const char *why = "x";

	assert_int_equal(linux_parse_bzimage(img, IMG_LEN, &info, &why), 0);
	assert_null(why);
	return info;
}

static inline void expect_enoexec(size_t len, const char *reason_part)
{
	struct linux_image_info info;
	const char *why = NULL;

	assert_int_equal(linux_parse_bzimage(img, len, &info, &why), -ENOEXEC);
	assert_non_null(why);
	if (!unit_contains(why, reason_part))
		fail_msg("reason \"%s\" lacks \"%s\"", why, reason_part);
}

/* Check the e820 table is sorted, non-empty entries, no overlaps. */
static inline void check_e820_sane(const struct linux_boot_layout *l)
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

static inline uint32_t e820_type_at(const struct linux_boot_layout *l, uint64_t a)
{
	uint32_t i;

	for (i = 0; i < l->e820_count; i++)
		if (a >= l->e820[i].addr &&
		    a - l->e820[i].addr < l->e820[i].size)
			return l->e820[i].type;
	return 0;
}

static inline void expect_e820(const struct linux_boot_layout *l, uint32_t i,
			uint64_t addr, uint64_t size, uint32_t type)
{
	assert_true(i < l->e820_count);
	assert_int_equal(l->e820[i].addr, addr);
	assert_int_equal(l->e820[i].size, size);
	assert_int_equal(l->e820[i].type, type);
}

static inline struct linux_guest_config cfg_default(void)
{
	struct linux_guest_config c = {
		.ram_size = 512 * MiB,
		.acpi_size = 64 * 1024,
		.initrd_size = 12 * MiB + 123,
		.cmdline_len = 40,
	};
	return c;
}

/* Every test starts from a fresh image. */
#define T(f) cmocka_unit_test_setup(f, setup_image)

#endif /* TESTS_UNIT_LINUX_IMAGE_H */
