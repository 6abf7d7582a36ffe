// SPDX-License-Identifier: GPL-2.0
#include <arch/x86/cpu.h>
#include <hv/errno.h>
#include <hv/guest_entry.h>
#include <hv/guest_layout.h>
#include <hv/mm/paging.h>
#include <hv/string.h>

#define SEG_CODE64 0xa9b	/* P, S, type 0xb (code, accessed), L, G */
#define SEG_DATA   0xc93	/* P, S, type 0x3 (data, accessed), D/B, G */
#define SEG_TSS64  0x08b	/* P, type 0xb (busy 64-bit TSS) */
#define SEG_LDT    0x082	/* P, type 0x2 */

static int write_tables(struct vm *vm)
{
	u64 *gdt = gpa_to_hva(vm, GUEST_GDT, PAGE_SIZE);
	u64 *pml4 = gpa_to_hva(vm, GUEST_PML4, PAGE_SIZE);
	u64 *pdpt = gpa_to_hva(vm, GUEST_PDPT, PAGE_SIZE);
	u64 *pd = gpa_to_hva(vm, GUEST_PD, 4 * PAGE_SIZE);

	if (!gdt || !pml4 || !pdpt || !pd)
		return -ENOMEM;
	memset(gdt, 0, PAGE_SIZE);
	gdt[2] = 0x00af9b000000ffffULL;	/* 0x10: 64-bit code */
	gdt[3] = 0x00cf93000000ffffULL;	/* 0x18: data */

	memset(pml4, 0, PAGE_SIZE);
	memset(pdpt, 0, PAGE_SIZE);
	pml4[0] = GUEST_PDPT | PTE_P | PTE_RW;
	for (u64 i = 0; i < 4; i++)
		pdpt[i] = (GUEST_PD + i * PAGE_SIZE) | PTE_P | PTE_RW;
	for (u64 i = 0; i < 4 * 512; i++)
		pd[i] = (i << 21) | PTE_P | PTE_RW | PTE_PS;
	return 0;
}

static struct seg seg(u16 sel, u16 attr)
{
	return (struct seg){ .sel = sel, .attr = attr, .limit = 0xffffffff,
			     .base = 0 };
}

int guest_enter_long_mode(struct vcpu *vcpu, u64 rip, u64 rsp)
{
	struct vcpu_sregs s;
	int err = write_tables(vcpu->vm);

	if (err)
		return err;
	memset(&s, 0, sizeof(s));
	s.cs = seg(GUEST_BOOT_CS, SEG_CODE64);
	s.ds = s.es = s.ss = s.fs = s.gs = seg(GUEST_BOOT_DS, SEG_DATA);
	s.tr = (struct seg){ .sel = 0, .attr = SEG_TSS64, .limit = 0x67 };
	s.ldt = (struct seg){ .sel = 0, .attr = SEG_LDT, .limit = 0xffff };
	s.gdt.base = GUEST_GDT;
	s.gdt.limit = 4 * 8 - 1;
	s.idt.limit = 0;
	s.cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
		X86_CR0_PG;
	s.cr3 = GUEST_PML4;
	s.cr4 = X86_CR4_PAE;
	s.efer = X86_EFER_LME | X86_EFER_LMA;
	s.pat = 0x0007040600070406ULL;
	virt->set_sregs(vcpu, &s);

	memset(&vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->regs.rip = rip;
	vcpu->regs.rsp = rsp;
	vcpu->regs.rflags = X86_RFLAGS_FIXED;
	return 0;
}
