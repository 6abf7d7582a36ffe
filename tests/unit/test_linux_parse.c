// SPDX-License-Identifier: GPL-2.0
/* sources: hv/linux_boot.c hv/linux_layout.c hv/linux_entry.c */
/*
 * Unit tests of the Linux boot protocol builder: parsing and checking a
 * bzImage (hv/linux_boot.c), on the synthetic bzImage of linux_image.h.
 * Standalone build:
 *   gcc -std=c11 -Wall -Wextra -Werror -fsanitize=address,undefined -I. \
 *       tests/unit/test_linux_parse.c hv/linux_boot.c hv/linux_layout.c \
 *       hv/linux_entry.c -lcmocka
 */
#include "linux_image.h"

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
	wr16(img, LBP_BOOT_FLAG, 0x1234);
	expect_enoexec(IMG_LEN, "0xAA55");
}

static void test_parse_old_protocol(void **state)
{
	(void)state;
	wr16(img, LBP_VERSION, 0x020b);
	expect_enoexec(IMG_LEN, "2.12");
	wr16(img, LBP_VERSION, 0x020c);
	parse_ok();
}

static void test_parse_not_64bit(void **state)
{
	(void)state;
	wr16(img, LBP_XLOADFLAGS, 0x7e);
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
	wr32(img, LBP_INIT_SIZE, IMG_KSIZE - 1);
	expect_enoexec(IMG_LEN, "init_size");
	setup_image(NULL);
	wr32(img, LBP_KERNEL_ALIGNMENT, 0x300000);
	expect_enoexec(IMG_LEN, "power of two");
	setup_image(NULL);
	wr32(img, LBP_CMDLINE_SIZE, 0);
	expect_enoexec(IMG_LEN, "cmdline_size");
	setup_image(NULL);
	wr64(img, LBP_PREF_ADDRESS, 0x1000);
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
	};

	return cmocka_run_group_tests_name("linux_parse", tests, NULL, NULL);
}
