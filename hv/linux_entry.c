// SPDX-License-Identifier: GPL-2.0
/*
 * Linux x86 boot protocol: the 64-bit entry state (boot.rst, "64-bit Boot
 * Protocol"): identity page tables for the low 4 GiB and a flat GDT in
 * the scratch area, and the registers.
 */
#include <hv/linux_boot.h>
#include <hv/linux_boot_impl.h>

#include <hv/errno.h>
#include <hv/string.h>

/* x86 paging and segment bits used for the entry state. */
#define PTE_P		0x001ull
#define PTE_RW		0x002ull
#define PTE_PS		0x080ull
#define CR0_PE		0x00000001ull
#define CR0_ET		0x00000010ull
#define CR0_NE		0x00000020ull
#define CR0_WP		0x00010000ull
#define CR0_PG		0x80000000ull
#define CR4_PAE		0x00000020ull
#define EFER_LME	0x00000100ull
#define EFER_LMA	0x00000400ull

/*
 * Flat descriptors, base 0, limit 0xfffff with G=1, P=1, DPL 0, S=1:
 * code: type 0xB (execute/read, accessed), L=1, D=0;
 * data: type 0x3 (read/write, accessed), D/B=1.
 */
#define GDT_CODE64	0x00af9b000000ffffull
#define GDT_DATA	0x00cf93000000ffffull
#define BOOT_CS		0x10
#define BOOT_DS		0x18

int linux_build_entry_state(void *scratch, const struct linux_boot_layout *l,
			    struct linux_entry_state *st)
{
	u8 *s = scratch;
	u64 base, i;

	if (!scratch || !l || !st || l->scratch_size < LINUX_SCRATCH_USED ||
	    l->scratch_gpa & (PAGE_SIZE - 1))
		return -EINVAL;
	base = l->scratch_gpa;
	/* boot.rst: the kernel's init_size range, the zero page and the
	 * command line must be identity-mapped; we map [0, 4G). */
	if (!fits_below(l->kernel_gpa, l->kernel_mem, LINUX_4G) ||
	    !fits_below(l->zero_page_gpa, LINUX_ZERO_PAGE_SIZE, LINUX_4G) ||
	    !fits_below(l->cmdline_gpa, (u64)l->cmdline_len + 1, LINUX_4G) ||
	    !fits_below(base, LINUX_SCRATCH_USED, LINUX_4G))
		return -EINVAL;

	memset(s, 0, LINUX_SCRATCH_USED);
	wr64(s, LINUX_SCRATCH_PML4, (base + LINUX_SCRATCH_PDPT) | PTE_P |
	     PTE_RW);
	for (i = 0; i < 4; i++)
		wr64(s, LINUX_SCRATCH_PDPT + i * 8,
		     (base + LINUX_SCRATCH_PD + i * PAGE_SIZE) | PTE_P |
		     PTE_RW);
	for (i = 0; i < 4 * 512; i++)
		wr64(s, LINUX_SCRATCH_PD + i * 8,
		     (i << 21) | PTE_P | PTE_RW | PTE_PS);
	wr64(s, LINUX_SCRATCH_GDT + BOOT_CS, GDT_CODE64);
	wr64(s, LINUX_SCRATCH_GDT + BOOT_DS, GDT_DATA);

	memset(st, 0, sizeof(*st));
	st->rip = l->entry64;
	st->rsi = l->zero_page_gpa;
	st->rflags = 0x2;
	st->cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	st->cr3 = base + LINUX_SCRATCH_PML4;
	st->cr4 = CR4_PAE;
	st->efer = EFER_LME | EFER_LMA;
	st->gdt_base = base + LINUX_SCRATCH_GDT;
	st->gdt_limit = BOOT_DS + 8 - 1;
	st->cs = BOOT_CS;
	st->ds = BOOT_DS;
	st->cs_desc = GDT_CODE64;
	st->ds_desc = GDT_DATA;
	return 0;
}
