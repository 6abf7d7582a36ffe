// SPDX-License-Identifier: GPL-2.0
/*
 * standalone: tests/machines/test_machines.py
 * cmdline: bigmem ram_mib=3584
 *
 * A guest with more than 3 GiB of RAM, laid out as a PC's: the Multiboot
 * memory map must give RAM below 3 GiB and the rest from 4 GiB up, with
 * nothing in the hole between, where the local APIC (0xfee00000) and the
 * IOAPIC (0xfec00000) must answer and the rest reads as an empty bus.
 * Then, with PAE paging (2 MiB pages: a 32-bit kernel reaches physical
 * memory above 4 GiB this way, SDM vol. 3 4.4), it writes a value into
 * every 4 KiB page above 4 GiB and reads all of them back, and checks that
 * none of those writes reached the RAM below (an alias of the high RAM on
 * the low would clobber the values it put there first).
 *
 * ram_mib= on the command line is the guest's `memory =` in MiB.
 */
#include "gt32.h"

#define GiB_32		0x40000000u
#define HOLE_START	0xc0000000ull
#define HIGH_BASE	0x100000000ull
#define LAPIC_BASE	0xfee00000u
#define IOAPIC_BASE	0xfec00000u
#define WINDOW_VA	0xc0000000u	/* the last GiB of the address space */
#define PDE_2M		0x83ull		/* P, RW, PS */
#define MAGIC		0x5a17c0de00000000ull

struct mb_info {
	u32 flags;
	u32 mem_lower, mem_upper;
	u32 boot_device;
	u32 cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
} __packed;

struct mb_mmap {
	u32 size;
	u64 base, length;
	u32 type;
} __packed;

static u64 pdpt[4] __aligned(32);
static u64 pd[4][512] __aligned(4096);

static u64 ram_size;		/* from the command line */
static u64 low_end;		/* end of the RAM below the hole */
static u64 high_size;		/* RAM from 4 GiB up */

static u32 cmdline_mib(const char *s)
{
	static const char key[] = "ram_mib=";
	u32 v = 0;

	for (; s && *s; s++) {
		u32 i = 0;

		while (key[i] && s[i] == key[i])
			i++;
		if (key[i])
			continue;
		for (s += i; *s >= '0' && *s <= '9'; s++)
			v = v * 10 + (u32)(*s - '0');
		return v;
	}
	return 0;
}

/* RAM below 3 GiB and from 4 GiB up, nothing in the hole, the size asked. */
static void check_mmap(const struct mb_info *mbi)
{
	u64 next = 0, total = 0, high = 0;
	u32 p = mbi->mmap_addr, n = 0, in_hole = 0, gaps = 0;

	while (p < mbi->mmap_addr + mbi->mmap_length && n < 32) {
		const struct mb_mmap *e = (const void *)p;
		u64 end = e->base + e->length;

		gt32_puts("mmap ");
		gt32_put_hex(e->base);
		gt32_puts("-");
		gt32_put_hex(end);
		gt32_puts(" type ");
		gt32_put_dec(e->type);
		gt32_puts("\n");
		if (e->base != next && !(next == HOLE_START &&
					 e->base == HIGH_BASE))
			gaps++;
		if (e->base < HIGH_BASE && end > HOLE_START)
			in_hole++;
		if (e->type == 1 && e->base < HOLE_START && end > low_end)
			low_end = end;
		if (e->type == 1 && e->base == HIGH_BASE)
			high = e->length;
		next = end;
		total += e->length;
		p += e->size + 4;
		n++;
	}
	CHECK_EQ(gaps, 0);
	CHECK_EQ(in_hole, 0);
	CHECK_EQ(total, ram_size);
	CHECK_EQ(high, ram_size - HOLE_START);
	high_size = high;
}

/* The devices of the hole answer; the rest of it is no RAM. */
static void check_hole(void)
{
	volatile u32 *lapic_ver = (volatile u32 *)(LAPIC_BASE + 0x30);
	volatile u32 *ioregsel = (volatile u32 *)IOAPIC_BASE;
	volatile u32 *iowin = (volatile u32 *)(IOAPIC_BASE + 0x10);
	volatile u32 *empty = (volatile u32 *)(u32)(HOLE_START + 0x1000000);
	u32 v;

	v = *lapic_ver;
	CHECK((v & 0xff) >= 0x10 && (v & 0xff) <= 0x15);	/* integrated */
	*ioregsel = 1;
	v = *iowin;
	CHECK_EQ((v >> 16) & 0xff, 23);		/* 24 redirection entries */
	*empty = 0x12345678;
	CHECK_EQ(*empty, 0xffffffff);
}

static void map_window(u64 base)
{
	for (u32 i = 0; i < 512; i++)
		pd[3][i] = (base + (u64)i * 0x200000) | PDE_2M;
	asm volatile("mov %0, %%cr3" : : "r"((u32)pdpt) : "memory");
}

/* PAE: 0-3 GiB identity, the last GiB a window onto the high RAM. */
static void paging_on(void)
{
	u32 cr0, cr4;

	for (u32 d = 0; d < 3; d++)
		for (u32 i = 0; i < 512; i++)
			pd[d][i] = ((u64)d * GiB_32 + (u64)i * 0x200000) |
				   PDE_2M;
	for (u32 d = 0; d < 4; d++)
		pdpt[d] = (u32)pd[d] | 1;	/* PDPTEs: P only */
	map_window(HIGH_BASE);
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | (1u << 5)));	/* PAE */
	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	asm volatile("mov %0, %%cr0" : : "r"(cr0 | 0x80000000u) : "memory");
}

/* One value per 4 KiB page of [HIGH_BASE, +high_size), then read back. */
static u32 touch_high(bool write)
{
	u32 bad = 0;

	for (u64 w = 0; w < high_size; w += GiB_32) {
		u64 len = high_size - w < GiB_32 ? high_size - w : GiB_32;

		map_window(HIGH_BASE + w);
		for (u32 off = 0; off < len; off += 4096) {
			volatile u64 *q = (volatile u64 *)(WINDOW_VA + off);
			u64 want = MAGIC | (HIGH_BASE + w + off) >> 12;

			if (write)
				*q = want;
			else if (*q != want)
				bad++;
		}
	}
	return bad;
}

/* Every 2 MiB of the RAM below, from 16 MiB (clear of this kernel). */
static u32 touch_low(bool write)
{
	u32 bad = 0;

	for (u32 a = 16 << 20; a + 8 <= low_end; a += 0x200000) {
		volatile u64 *q = (volatile u64 *)a;
		u64 want = ~MAGIC ^ a;

		if (write)
			*q = want;
		else if (*q != want)
			bad++;
	}
	return bad;
}

void mb_test(void)
{
	const struct mb_info *mbi = (const void *)gt32_entry_ebx;
	u32 pages;

	CHECK_EQ(gt32_entry_eax, 0x2BADB002);
	CHECK(mbi->flags & (1u << 6));
	ram_size = (u64)cmdline_mib((const char *)mbi->cmdline) << 20;
	CHECK(ram_size > 3ull * GiB_32);
	check_mmap(mbi);
	check_hole();
	CHECK(low_end > 16 << 20);
	CHECK(high_size > 0);
	if (!high_size || low_end <= 16 << 20)
		return;
	touch_low(true);
	paging_on();
	touch_high(true);
	pages = (u32)(high_size >> 12);
	CHECK_EQ(touch_high(false), 0);
	CHECK_EQ(touch_low(false), 0);
	gt32_puts("touched ");
	gt32_put_dec(pages);
	gt32_puts(" pages above 4 GiB\n");
}
