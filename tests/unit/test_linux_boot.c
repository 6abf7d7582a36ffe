// SPDX-License-Identifier: GPL-2.0
/* sources: hv/linux_boot.c hv/linux_layout.c hv/linux_entry.c */
/*
 * Unit tests of the Linux boot protocol builder: the zero page
 * (hv/linux_boot.c), loading into guest RAM, the 64-bit entry state
 * (hv/linux_entry.c) and the real Debian bzImage, on the synthetic
 * bzImage of linux_image.h.
 * Standalone build:
 *   gcc -std=c11 -Wall -Wextra -Werror -fsanitize=address,undefined -I. \
 *       tests/unit/test_linux_boot.c hv/linux_boot.c hv/linux_layout.c \
 *       hv/linux_entry.c -lcmocka
 */
#include "linux_image.h"

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
	assert_int_equal(rd16(zp, LBP_VERSION), 0x020f);
	assert_int_equal(rd16(zp, LBP_BOOT_FLAG), 0xAA55);
	assert_int_equal(rd32(zp, LBP_INIT_SIZE), IMG_INIT_SIZE);
	assert_int_equal(rd32(zp, 0x268), 0x12345);
	assert_int_equal(rd16(zp, LBP_XLOADFLAGS), 0x7f);
	/* Loader fields. */
	assert_int_equal(zp[LBP_SENTINEL], 0);
	assert_int_equal(zp[LBP_TYPE_OF_LOADER], 0xff);
	assert_int_equal(zp[LBP_LOADFLAGS], LINUX_LOADED_HIGH);
	assert_int_equal(rd16(zp, LBP_HEAP_END_PTR), 0);
	assert_int_equal(rd32(zp, LBP_CODE32_START), 16 * MiB);
	assert_int_equal(rd32(zp, LBP_CMD_LINE_PTR), LINUX_CMDLINE_GPA);
	assert_int_equal(rd32(zp, LBP_EXT_CMD_LINE_PTR), 0);
	assert_int_equal(rd32(zp, LBP_RAMDISK_IMAGE), l.initrd_gpa);
	assert_int_equal(rd32(zp, LBP_RAMDISK_SIZE), 12 * MiB + 123);
	assert_int_equal(rd32(zp, LBP_EXT_RAMDISK_IMAGE), 0);
	assert_int_equal(rd32(zp, LBP_EXT_RAMDISK_SIZE), 0);
	assert_int_equal(rd64(zp, LBP_ACPI_RSDP_ADDR), 0xE0000);
	/* e820 */
	assert_int_equal(zp[LBP_E820_ENTRIES], 4);
	for (k = 0; k < 4; k++) {
		off = LBP_E820_TABLE + k * 20;
		assert_int_equal(rd64(zp, off), l.e820[k].addr);
		assert_int_equal(rd64(zp, off + 8), l.e820[k].size);
		assert_int_equal(rd32(zp, off + 16), l.e820[k].type);
	}
	assert_int_equal(rd32(zp, LBP_E820_TABLE + 4 * 20), 0);
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
	wr16(img, LBP_VERSION, 0x020d);
	i = parse_ok();
	assert_int_equal(linux_plan_layout(&i, &c, &l), 0);
	assert_int_equal(linux_build_boot_params(zp, img, IMG_LEN, &l), 0);
	assert_int_equal(rd64(zp, LBP_ACPI_RSDP_ADDR), 0);
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
	assert_int_equal(rd32(zp, LBP_CMD_LINE_PTR), 0x23456000);
	assert_int_equal(rd32(zp, LBP_EXT_CMD_LINE_PTR), 1);
	assert_int_equal(rd32(zp, LBP_RAMDISK_IMAGE), 0);
	assert_int_equal(rd32(zp, LBP_EXT_RAMDISK_IMAGE), 2);

	wr16(img, LBP_XLOADFLAGS, LINUX_XLF_KERNEL_64);
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

static void *flat_map(void *ctx, uint64_t gpa, uint64_t len)
{
	struct flat_ram *r = ctx;

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
	assert_int_equal(rd32(ram.base + l.zero_page_gpa, LBP_CMD_LINE_PTR),
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
		e = rd64(scratch, t - base + idx * 8);
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
	assert_int_equal(rd64(scratch, LINUX_SCRATCH_GDT), 0);
	assert_int_equal(rd64(scratch, LINUX_SCRATCH_GDT + 0x10), st.cs_desc);
	assert_int_equal(rd64(scratch, LINUX_SCRATCH_GDT + 0x18), st.ds_desc);
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
	assert_int_equal(rd16(zp, LBP_VERSION), i.protocol);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
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
