// SPDX-License-Identifier: GPL-2.0
/* sources: hv/multiboot.c hv/linux_boot.c hv/linux_layout.c hv/linux_entry.c */
/*
 * Unit tests of the Multiboot v1 loader (hv/multiboot.c) on synthetic
 * kernels built here: a.out-kludge images, ELF32 and ELF64 ones, and
 * broken variants of each; the boot information is read back from a
 * simulated guest RAM.
 */
#include "unit.h"
#include <hv/linux_boot_impl.h>	/* rd16..rd64, wr8..wr64 */
#include <hv/multiboot.h>

#define RAM_SIZE	(16 * MiB)
#define ACPI_SIZE	0x2000
#define IMG_MAX		0x4000

static u8 img[IMG_MAX];
static u8 *ram;

/* @s, which may be NULL, contains @w. */
static bool has(const char *s, const char *w)
{
	return s && unit_contains(s, w);
}

static void *map(void *ctx, u64 gpa, u64 len)
{
	(void)ctx;
	if (gpa > RAM_SIZE || len > RAM_SIZE - gpa)
		return NULL;
	return ram + gpa;
}

static void *map_none(void *ctx, u64 gpa, u64 len)
{
	(void)ctx;
	(void)gpa;
	(void)len;
	return NULL;
}

static void put_header(size_t off, u32 flags)
{
	wr32(img, off, MB_HEADER_MAGIC);
	wr32(img, off + 4, flags);
	wr32(img, off + 8, (u32)-(MB_HEADER_MAGIC + flags));
}

/* a.out kludge: header at file offset 0x20, loaded at 1 MiB. */
#define AOUT_LEN	0x2000
static void make_aout(u32 load_end, u32 bss_end, u32 entry)
{
	memset(img, 0, sizeof(img));
	for (size_t i = 0x40; i < AOUT_LEN; i++)
		img[i] = (u8)(i * 7 + 1);
	put_header(0x20, MB_HF_PAGE_ALIGN | MB_HF_MEMINFO | MB_HF_ADDRESS);
	wr32(img, 0x2c, 0x100020);	/* header_addr */
	wr32(img, 0x30, 0x100000);	/* load_addr */
	wr32(img, 0x34, load_end);
	wr32(img, 0x38, bss_end);
	wr32(img, 0x3c, entry);
}

/*
 * ELF32: ehdr at 0, one phdr at 0x34, Multiboot header at 0x80, the
 * segment's file data from 0x1000 (0x1000 bytes), memsz 0x3000; linked at
 * vaddr 0xc0100000 / paddr 0x100000 with the entry at vaddr + 0x10.
 */
#define ELF_LEN		0x2000
static void make_elf32(void)
{
	memset(img, 0, sizeof(img));
	img[0] = 0x7f; img[1] = 'E'; img[2] = 'L'; img[3] = 'F';
	img[4] = 1; img[5] = 1; img[6] = 1;
	wr16(img, 16, 2);		/* ET_EXEC */
	wr16(img, 18, 3);		/* EM_386 */
	wr32(img, 20, 1);
	wr32(img, 24, 0xc0100010);	/* e_entry */
	wr32(img, 28, 0x34);		/* e_phoff */
	wr16(img, 40, 52);
	wr16(img, 42, 32);
	wr16(img, 44, 1);
	wr32(img, 0x34, 1);		/* PT_LOAD */
	wr32(img, 0x38, 0x1000);	/* p_offset */
	wr32(img, 0x3c, 0xc0100000);	/* p_vaddr */
	wr32(img, 0x40, 0x100000);	/* p_paddr */
	wr32(img, 0x44, 0x1000);	/* p_filesz */
	wr32(img, 0x48, 0x3000);	/* p_memsz */
	put_header(0x80, MB_HF_PAGE_ALIGN | MB_HF_MEMINFO);
	for (size_t i = 0x1000; i < ELF_LEN; i++)
		img[i] = (u8)(i * 3 + 5);
}

/* ELF64: the same, with the class-64 layouts, loaded at 4 MiB. */
static void make_elf64(u64 paddr, u64 entry)
{
	memset(img, 0, sizeof(img));
	img[0] = 0x7f; img[1] = 'E'; img[2] = 'L'; img[3] = 'F';
	img[4] = 2; img[5] = 1; img[6] = 1;
	wr16(img, 16, 2);
	wr16(img, 18, 62);		/* EM_X86_64 */
	wr32(img, 20, 1);
	wr64(img, 24, entry);
	wr64(img, 32, 0x40);		/* e_phoff */
	wr16(img, 52, 64);
	wr16(img, 54, 56);
	wr16(img, 56, 1);
	wr32(img, 0x40, 1);		/* PT_LOAD */
	wr64(img, 0x48, 0x1000);	/* p_offset */
	wr64(img, 0x50, paddr);	/* p_vaddr */
	wr64(img, 0x58, paddr);	/* p_paddr */
	wr64(img, 0x60, 0x800);	/* p_filesz */
	wr64(img, 0x68, 0x1000);	/* p_memsz */
	put_header(0x100, 0);
	for (size_t i = 0x1000; i < 0x1800; i++)
		img[i] = 0xa5;
}

static struct mb_guest_config gcfg(void)
{
	return (struct mb_guest_config){
		.ram_size = RAM_SIZE,
		.acpi_size = ACPI_SIZE,
		.cmdline = "console=ttyS0 mb-test",
	};
}

static struct mb_layout lay;

static int setup(void **state)
{
	(void)state;
	ram = calloc(1, RAM_SIZE);
	return ram ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(ram);
	return 0;
}

static void test_find_header(void **state)
{
	struct mb_header h;
	const char *why;

	(void)state;
	memset(img, 0, sizeof(img));
	assert_int_equal(mb_find_header(img, sizeof(img), &h, &why), -ENOENT);
	assert_non_null(why);

	/* Found at an aligned offset, flags kept. */
	put_header(0x1ff0, MB_HF_MEMINFO | BIT(17));
	assert_int_equal(mb_find_header(img, sizeof(img), &h, &why), 0);
	assert_int_equal(h.offset, 0x1ff0);
	assert_int_equal(h.flags, MB_HF_MEMINFO | BIT(17));

	/* Must lie completely within the first 8192 bytes. */
	memset(img, 0, sizeof(img));
	put_header(0x1ff8, 0);
	assert_int_equal(mb_find_header(img, sizeof(img), &h, &why), -ENOENT);
	memset(img, 0, sizeof(img));
	put_header(0x2000, 0);
	assert_int_equal(mb_find_header(img, sizeof(img), &h, &why), -ENOENT);

	/* Misaligned: ignored. */
	memset(img, 0, sizeof(img));
	put_header(0x102, 0);
	assert_int_equal(mb_find_header(img, sizeof(img), &h, &why), -ENOENT);

	/* Bad checksum: ignored, and a later good header still found. */
	memset(img, 0, sizeof(img));
	put_header(0x100, 0);
	wr32(img, 0x108, 0);
	assert_int_equal(mb_find_header(img, sizeof(img), &h, &why), -ENOENT);
	put_header(0x200, 0);
	assert_int_equal(mb_find_header(img, sizeof(img), &h, &why), 0);
	assert_int_equal(h.offset, 0x200);

	/* A truncated file: the header must fit in it. */
	assert_int_equal(mb_find_header(img, 0x208, &h, &why), -ENOENT);
	assert_int_equal(mb_find_header(img, 0x20c, &h, &why), 0);

	/* Required features we cannot give. */
	memset(img, 0, sizeof(img));
	put_header(0, MB_HF_VIDEO);
	assert_int_equal(mb_find_header(img, sizeof(img), &h, &why), -ENOEXEC);
	assert_true(has(why, "video"));
	put_header(0, BIT(3));
	assert_int_equal(mb_find_header(img, sizeof(img), &h, &why), -ENOEXEC);

	/* Address fields cut off by the end of the file. */
	put_header(0, MB_HF_ADDRESS);
	assert_int_equal(mb_find_header(img, 0x1c, &h, &why), -ENOEXEC);
	assert_int_equal(mb_find_header(img, 0x20, &h, &why), 0);
}

static void test_aout_load(void **state)
{
	struct mb_guest_config c = gcfg();
	const char *why;

	(void)state;
	make_aout(0, 0x104000, 0x100040);
	memset(ram + 0x100000, 0xff, 0x10000);
	assert_int_equal(mb_plan(img, AOUT_LEN, &c, &lay, &why), 0);
	assert_string_equal(lay.format, "a.out kludge");
	assert_int_equal(lay.nr_segments, 1);
	assert_int_equal(lay.seg[0].file_off, 0);
	assert_int_equal(lay.seg[0].file_size, AOUT_LEN);
	assert_int_equal(lay.seg[0].mem_size, 0x4000);
	assert_int_equal(lay.entry, 0x100040);
	assert_int_equal(lay.kernel_start, 0x100000);
	assert_int_equal(lay.kernel_end, 0x104000);
	assert_int_equal(mb_load(map, NULL, img, AOUT_LEN, NULL, &c, &lay), 0);
	assert_memory_equal(ram + 0x100000, img, AOUT_LEN);
	for (size_t i = AOUT_LEN; i < 0x4000; i++)
		assert_int_equal(ram[0x100000 + i], 0);

	/* load_end_addr: only part of the file; no bss. */
	make_aout(0x101000, 0, 0x100040);
	assert_int_equal(mb_plan(img, AOUT_LEN, &c, &lay, &why), 0);
	assert_int_equal(lay.seg[0].file_size, 0x1000);
	assert_int_equal(lay.seg[0].mem_size, 0x1000);
}

static void expect_fail(u32 len, int err, const char *word)
{
	struct mb_guest_config c = gcfg();
	const char *why = NULL;

	assert_int_equal(mb_plan(img, len, &c, &lay, &why), err);
	assert_non_null(why);
	if (word && !has(why, word))
		fail_msg("reason '%s' does not mention '%s'", why, word);
}

static void test_aout_bad(void **state)
{
	(void)state;
	make_aout(0, 0, 0x100040);
	wr32(img, 0x30, 0x100024);		/* load_addr > header_addr */
	expect_fail(AOUT_LEN, -ENOEXEC, "load_addr");
	make_aout(0, 0, 0x100040);
	wr32(img, 0x30, 0xfffc0);		/* before the file start */
	expect_fail(AOUT_LEN, -ENOEXEC, "start of the file");
	make_aout(0x102001, 0, 0x100040);	/* beyond the file */
	expect_fail(AOUT_LEN, -ENOEXEC, "end of the file");
	make_aout(0x100000, 0, 0x100040);	/* empty */
	expect_fail(AOUT_LEN, -ENOEXEC, "load_end_addr");
	make_aout(0, 0x101000, 0x100040);	/* bss ends inside the data */
	expect_fail(AOUT_LEN, -ENOEXEC, "bss_end_addr");
	make_aout(0, 0, 0x200000);		/* entry outside */
	expect_fail(AOUT_LEN, -ENOEXEC, "entry");

	/* Beyond RAM, into the ACPI tables, into the BIOS area. */
	make_aout(0, 0x1000000, 0x100040);
	expect_fail(AOUT_LEN, -ENOMEM, "RAM");
	make_aout(0, RAM_SIZE - ACPI_SIZE + 1, 0x100040);
	expect_fail(AOUT_LEN, -ENOMEM, "RAM");
	make_aout(0, 0, 0xf0040);
	wr32(img, 0x2c, 0xf0020);
	wr32(img, 0x30, 0xf0000);
	expect_fail(AOUT_LEN, -ENOMEM, "RAM");
	/* A 32-bit wrap around 4 GiB. */
	make_aout(0, 0, 0xfffff040);
	wr32(img, 0x2c, 0xfffff020);
	wr32(img, 0x30, 0xfffff000);
	expect_fail(AOUT_LEN, -ENOMEM, "RAM");
}

static void test_elf32(void **state)
{
	struct mb_guest_config c = gcfg();
	const char *why;

	(void)state;
	make_elf32();
	memset(ram + 0x100000, 0xff, 0x4000);
	assert_int_equal(mb_plan(img, ELF_LEN, &c, &lay, &why), 0);
	assert_string_equal(lay.format, "ELF32");
	assert_int_equal(lay.entry, 0x100010);	/* virtual -> physical */
	assert_int_equal(lay.kernel_end, 0x103000);
	assert_int_equal(mb_load(map, NULL, img, ELF_LEN, NULL, &c, &lay), 0);
	assert_memory_equal(ram + 0x100000, img + 0x1000, 0x1000);
	for (size_t i = 0x1000; i < 0x3000; i++)
		assert_int_equal(ram[0x100000 + i], 0);
	assert_int_equal(ram[0x103000], 0xff);	/* not beyond memsz */

	/* A physical entry is taken as it is. */
	wr32(img, 0x3c, 0x100000);
	wr32(img, 24, 0x100020);
	assert_int_equal(mb_plan(img, ELF_LEN, &c, &lay, &why), 0);
	assert_int_equal(lay.entry, 0x100020);
}

static void test_elf64(void **state)
{
	struct mb_guest_config c = gcfg();
	const char *why;

	(void)state;
	make_elf64(0x400000, 0x400100);
	assert_int_equal(mb_plan(img, 0x1800, &c, &lay, &why), 0);
	assert_string_equal(lay.format, "ELF64");
	assert_int_equal(lay.entry, 0x400100);
	assert_int_equal(mb_load(map, NULL, img, 0x1800, NULL, &c, &lay), 0);
	assert_int_equal(ram[0x400000], 0xa5);
	assert_int_equal(ram[0x400800], 0);

	make_elf64(0x400000, 0x500000);
	expect_fail(0x1800, -ENOEXEC, "entry");
	make_elf64(0x100000000ull, 0x100000000ull);	/* above 4 GiB */
	expect_fail(0x1800, -ENOEXEC, "entry");
	make_elf64(0x1000000, 0x1000000);		/* at the RAM end */
	expect_fail(0x1800, -ENOMEM, "RAM");
}

static void test_elf_bad(void **state)
{
	(void)state;
	make_elf32();
	img[0] = 0;
	expect_fail(ELF_LEN, -ENOEXEC, "ELF");
	make_elf32();
	wr16(img, 18, 62);
	expect_fail(ELF_LEN, -ENOEXEC, "EM_386");
	make_elf32();
	img[5] = 2;
	expect_fail(ELF_LEN, -ENOEXEC, "little-endian");
	make_elf32();
	wr16(img, 16, 1);			/* ET_REL */
	expect_fail(ELF_LEN, -ENOEXEC, "ET_EXEC");
	make_elf32();
	wr32(img, 28, ELF_LEN);		/* phdrs beyond the file */
	expect_fail(ELF_LEN, -ENOEXEC, "program headers");
	make_elf32();
	wr16(img, 42, 40);
	expect_fail(ELF_LEN, -ENOEXEC, "program headers");
	make_elf32();
	wr32(img, 0x44, 0x1001);		/* filesz beyond the file */
	expect_fail(ELF_LEN, -ENOEXEC, "outside the file");
	make_elf32();
	wr32(img, 0x44, 0x4000);		/* filesz > memsz */
	expect_fail(ELF_LEN, -ENOEXEC, "outside the file");
	make_elf32();
	wr32(img, 0x34, 4);			/* no PT_LOAD */
	expect_fail(ELF_LEN, -ENOEXEC, "no loadable segment");
	make_elf32();
	wr32(img, 24, 0xc0200000);		/* entry in no segment */
	expect_fail(ELF_LEN, -ENOEXEC, "entry");
	make_elf32();
	img[4] = 3;
	expect_fail(ELF_LEN, -ENOEXEC, "class");
	make_elf32();
	expect_fail(0x90, -ENOEXEC, "outside the file");
}

static const char module_data[] = "a module for the kernel";

static void test_info(void **state)
{
	struct mb_guest_config c = gcfg();
	const u8 *info, *mm;
	const char *why;
	u32 n;

	(void)state;
	make_elf32();
	c.module_name = "guest/initrd.img";
	c.module_size = sizeof(module_data);
	memset(ram, 0xee, 2 * MiB);
	assert_int_equal(mb_plan(img, ELF_LEN, &c, &lay, &why), 0);
	assert_int_equal(lay.area_gpa, MB_AREA_LOW_GPA);
	assert_int_equal(lay.info_gpa, MB_AREA_LOW_GPA + MB_GDT_SIZE);
	assert_int_equal(lay.module_gpa, 0x103000);	/* page after the bss */
	assert_int_equal(mb_load(map, NULL, img, ELF_LEN, module_data, &c,
				 &lay), 0);

	assert_int_equal(rd64(ram, lay.area_gpa + MB_GDT_CS), MB_DESC_CODE32);
	assert_int_equal(rd64(ram, lay.area_gpa + MB_GDT_DS), MB_DESC_DATA);
	info = ram + lay.info_gpa;
	assert_int_equal(rd32(info, MBI_FLAGS),
			 MB_INFO_MEM | MB_INFO_CMDLINE | MB_INFO_MODS |
			 MB_INFO_MMAP | MB_INFO_LOADER_NAME);
	assert_int_equal(rd32(info, MBI_MEM_LOWER), 639);
	assert_int_equal(rd32(info, MBI_MEM_UPPER),
			 (RAM_SIZE - ACPI_SIZE - MiB) / KiB);
	assert_int_equal(rd32(info, 12), 0);	/* boot_device: not given */
	assert_string_equal((char *)ram + rd32(info, MBI_CMDLINE),
			    "console=ttyS0 mb-test");
	assert_string_equal((char *)ram + rd32(info, MBI_BOOT_LOADER_NAME),
			    "perfvisor");

	assert_int_equal(rd32(info, MBI_MODS_COUNT), 1);
	mm = ram + rd32(info, MBI_MODS_ADDR);
	assert_int_equal(rd32(mm, 0), 0x103000);
	assert_int_equal(rd32(mm, 4), 0x103000 + sizeof(module_data));
	assert_string_equal((char *)ram + rd32(mm, 8), "guest/initrd.img");
	assert_int_equal(rd32(mm, 12), 0);
	assert_memory_equal(ram + 0x103000, module_data, sizeof(module_data));

	/* The memory map: the guest's e820 view, 24-byte entries. */
	n = rd32(info, MBI_MMAP_LENGTH) / MB_MMAP_ENTRY_SIZE;
	assert_int_equal(rd32(info, MBI_MMAP_LENGTH) % MB_MMAP_ENTRY_SIZE, 0);
	assert_int_equal(n, 4);
	mm = ram + rd32(info, MBI_MMAP_ADDR);
	{
		static const u64 want[4][3] = {
			{ 0, 0x9fc00, 1 },
			{ 0x9fc00, 0x60400, 2 },
			{ 0x100000, RAM_SIZE - ACPI_SIZE - 0x100000, 1 },
			{ RAM_SIZE - ACPI_SIZE, ACPI_SIZE, 3 },
		};

		for (u32 i = 0; i < n; i++, mm += MB_MMAP_ENTRY_SIZE) {
			assert_int_equal(rd32(mm, 0), 20);
			assert_int_equal(rd64(mm, 4), want[i][0]);
			assert_int_equal(rd64(mm, 12), want[i][1]);
			assert_int_equal(rd32(mm, 20), want[i][2]);
		}
	}
	/* The RSDP goes into the BIOS area, the tables to the hole. */
	assert_int_equal(lay.mem.rsdp_gpa, 0xe0000);
	assert_int_equal(lay.mem.acpi_gpa, RAM_SIZE - ACPI_SIZE);

	/* No module, no command line: count 0, empty string. */
	c = gcfg();
	c.cmdline = NULL;
	assert_int_equal(mb_plan(img, ELF_LEN, &c, &lay, &why), 0);
	assert_int_equal(lay.module_gpa, 0);
	assert_int_equal(mb_load(map, NULL, img, ELF_LEN, NULL, &c, &lay), 0);
	info = ram + lay.info_gpa;
	assert_int_equal(rd32(info, MBI_MODS_COUNT), 0);
	assert_string_equal((char *)ram + rd32(info, MBI_CMDLINE), "");

	/* Inconsistent arguments, unmapped memory. */
	c.cmdline = "a command line longer than the one the layout was planned for, by far";
	assert_int_equal(mb_load(map, NULL, img, ELF_LEN, NULL, &c, &lay),
			 -EINVAL);
	c.cmdline = NULL;
	assert_int_equal(mb_load(map_none, NULL, img, ELF_LEN, NULL, &c, &lay),
			 -EFAULT);
}

static void test_placement(void **state)
{
	struct mb_guest_config c = gcfg();
	const char *why;

	(void)state;
	/* A kernel on the low boot area: the area goes above the kernel. */
	make_elf64(0x10000, 0x10000);
	c.module_name = "m";
	c.module_size = 3 * PAGE_SIZE;
	assert_int_equal(mb_plan(img, 0x1800, &c, &lay, &why), 0);
	assert_int_equal(lay.area_gpa, 0x11000);
	assert_int_equal(lay.module_gpa, 0x100000);
	c.module_size = sizeof(module_data);
	assert_int_equal(mb_plan(img, 0x1800, &c, &lay, &why), 0);
	assert_int_equal(mb_load(map, NULL, img, 0x1800, module_data, &c, &lay),
			 0);

	/* The module skips the kernel at 1 MiB. */
	make_aout(0, 0x104000, 0x100040);
	assert_int_equal(mb_plan(img, AOUT_LEN, &c, &lay, &why), 0);
	assert_int_equal(lay.module_gpa, 0x104000);

	/* A module too large for the RAM. */
	c.module_size = RAM_SIZE;
	assert_int_equal(mb_plan(img, AOUT_LEN, &c, &lay, &why), -ENOMEM);
	assert_true(has(why, "module"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_header),
		cmocka_unit_test(test_aout_load),
		cmocka_unit_test(test_aout_bad),
		cmocka_unit_test(test_elf32),
		cmocka_unit_test(test_elf64),
		cmocka_unit_test(test_elf_bad),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_placement),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
