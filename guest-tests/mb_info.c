// SPDX-License-Identifier: GPL-2.0
/*
 * cmdline: mb-test answer=42 path=/x
 * module: guest-tests/mb_info.mod
 *
 * A Multiboot (v1) kernel: a 32-bit ELF with a header but no address
 * fields, so the loader must take its program headers. It checks what the
 * loader hands over (Multiboot Specification 0.6.96): the entry state of
 * 3.2 (EAX magic, protected mode without paging, IF and VM clear) and the
 * information structure of 3.3 (flags, mem_lower/mem_upper against the
 * guest's 16 MiB, the memory map, the command line above, the module
 * above with its path as its string, the boot loader name), and the ACPI
 * RSDP found by scanning the BIOS area 0xe0000-0xfffff.
 */
#include "gt32.h"

#define RAM_SIZE	(16 * MiB)	/* what tests/guests/run.py gives */
#define CMDLINE		"mb-test answer=42 path=/x"
#define MODULE_PATH	"guest-tests/mb_info.mod"
#define MODULE_TEXT	"perfvisor multiboot module\n"

/* 3.3, the fields we look at. */
struct mb_info {
	u32 flags;
	u32 mem_lower, mem_upper;
	u32 boot_device;
	u32 cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
	u32 drives_length, drives_addr;
	u32 config_table;
	u32 boot_loader_name;
} __packed;

struct mb_module {
	u32 start, end, string, reserved;
} __packed;

struct mb_mmap {
	u32 size;		/* of the rest of the entry */
	u64 base, length;
	u32 type;
} __packed;

static bool streq(u32 addr, const char *s)
{
	const char *p = (const char *)addr;

	if (!addr)
		return false;
	while (*s && *p == *s)
		p++, s++;
	return *p == *s;
}

static u8 sum(const u8 *p, u32 n)
{
	u8 s = 0;

	while (n--)
		s += *p++;
	return s;
}

static void check_entry(void)
{
	CHECK_EQ(gt32_entry_eax, 0x2BADB002);
	CHECK(gt32_entry_cr0 & 1);			/* PE */
	CHECK(!(gt32_entry_cr0 & 0x80000000));		/* PG */
	CHECK(!(gt32_entry_eflags & (1u << 9)));	/* IF */
	CHECK(!(gt32_entry_eflags & (1u << 17)));	/* VM */
}

/* The memory map: sorted, contiguous, the PC layout, 16 MiB in all. */
static void check_mmap(const struct mb_info *mbi)
{
	u32 n = 0, ram_low = 0, ram_high = 0, reserved = 0, acpi = 0;
	u64 next = 0, total = 0;
	u32 p = mbi->mmap_addr;

	CHECK(mbi->mmap_length >= 4 * sizeof(struct mb_mmap));
	CHECK_EQ(mbi->mmap_length % sizeof(struct mb_mmap), 0);
	while (p < mbi->mmap_addr + mbi->mmap_length && n < 32) {
		const struct mb_mmap *e = (const void *)p;

		CHECK_EQ(e->size, 20);
		CHECK_EQ(e->base, next);
		if (e->type == 1 && e->base == 0) {
			ram_low++;
			CHECK_EQ(e->length, (u64)mbi->mem_lower * 1024);
		} else if (e->type == 1 && e->base == MiB) {
			ram_high++;
			CHECK_EQ(e->length, (u64)mbi->mem_upper * 1024);
		} else if (e->type == 2) {
			reserved++;
			CHECK(e->base <= 0x9fc00 &&
			      e->base + e->length >= 0x100000);
		} else if (e->type == 3) {
			acpi++;
			CHECK_EQ(e->base + e->length, RAM_SIZE);
		}
		next = e->base + e->length;
		total += e->length;
		p += e->size + 4;
		n++;
	}
	CHECK_EQ(ram_low, 1);
	CHECK_EQ(ram_high, 1);
	CHECK_EQ(reserved, 1);
	CHECK_EQ(acpi, 1);
	CHECK_EQ(total, RAM_SIZE);
}

static void check_module(const struct mb_info *mbi)
{
	const struct mb_module *m = (const void *)mbi->mods_addr;
	const char *want = MODULE_TEXT;
	const char *got;
	u32 len = 0;

	CHECK_EQ(mbi->mods_count, 1);
	if (mbi->mods_count != 1)
		return;
	while (want[len])
		len++;
	CHECK_EQ(m->start & 0xfff, 0);		/* header flag 0 */
	CHECK_EQ(m->end - m->start, len);
	CHECK(m->start >= (u32)gt32_kernel_end ||
	      m->end <= (u32)gt32_kernel_start);
	CHECK(m->end <= RAM_SIZE);
	got = (const char *)m->start;
	for (u32 i = 0; i < len && m->end - m->start == len; i++)
		if (got[i] != want[i]) {
			CHECK(!"module content as in " MODULE_PATH);
			return;
		}
	CHECK(streq(m->string, MODULE_PATH));
}

/* ACPI 6.5 5.2.5.1: "RSD PTR " on a 16-byte boundary, checksums. */
static void check_rsdp(void)
{
	const u8 *found = NULL;

	for (u32 a = 0xe0000; a < 0x100000; a += 16) {
		const u8 *p = (const u8 *)a;

		if (p[0] == 'R' && p[1] == 'S' && p[2] == 'D' && p[3] == ' ' &&
		    p[4] == 'P' && p[5] == 'T' && p[6] == 'R' && p[7] == ' ' &&
		    !sum(p, 20)) {
			found = p;
			break;
		}
	}
	CHECK(found);
	if (!found)
		return;
	gt32_puts("RSDP at ");
	gt32_put_hex((u32)found);
	gt32_puts("\n");
	if (found[15] >= 2) {
		u32 len = *(const u32 *)(found + 20);
		u64 xsdt = *(const u64 *)(found + 24);
		const char *x = (const char *)(u32)xsdt;

		CHECK_EQ(len, 36);
		CHECK_EQ(sum(found, 36), 0);
		CHECK(xsdt && xsdt < RAM_SIZE);
		if (xsdt && xsdt < RAM_SIZE)
			CHECK(x[0] == 'X' && x[1] == 'S' && x[2] == 'D' &&
			      x[3] == 'T');
	}
}

void mb_test(void)
{
	const struct mb_info *mbi = (const void *)gt32_entry_ebx;
	u32 want = (1u << 0) | (1u << 2) | (1u << 3) | (1u << 6) | (1u << 9);

	check_entry();
	/* The structure lies in RAM, clear of the kernel. */
	CHECK(gt32_entry_ebx && gt32_entry_ebx < RAM_SIZE);
	CHECK(gt32_entry_ebx + sizeof(*mbi) <= (u32)gt32_kernel_start ||
	      gt32_entry_ebx >= (u32)gt32_kernel_end);
	if (!gt32_entry_ebx || gt32_entry_ebx >= RAM_SIZE)
		return;

	CHECK_EQ(mbi->flags & want, want);
	/* 3.3: at most 640 KiB of lower memory; upper to the first hole. */
	CHECK(mbi->mem_lower >= 600 && mbi->mem_lower <= 640);
	CHECK(mbi->mem_upper * 1024ull + MiB <= RAM_SIZE);
	CHECK(mbi->mem_upper * 1024ull + MiB >= RAM_SIZE - 64 * KiB);
	check_mmap(mbi);
	CHECK(streq(mbi->cmdline, CMDLINE));
	check_module(mbi);
	CHECK(streq(mbi->boot_loader_name, "perfvisor"));
	check_rsdp();
}
