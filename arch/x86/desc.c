// SPDX-License-Identifier: GPL-2.0
/* Per-CPU GDT, TSS and IDT (SDM vol. 3 ch. 3, 6 and 8). */
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <hv/errno.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>

/* Stub table emitted by entry.asm: one 16-byte-aligned stub per vector. */
extern const u8 trap_stubs[];
#define TRAP_STUB_SIZE 16

#define GDT_CODE64 0x00af9b000000ffffULL	/* P, DPL0, code, L, G */
#define GDT_DATA   0x00cf93000000ffffULL	/* P, DPL0, data RW, D, G */

static void set_tss_desc(u64 *gdt, u64 base, u32 limit)
{
	/* 16-byte system descriptor, type 9 (available 64-bit TSS). */
	gdt[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 (0x89ULL << 40) | ((u64)(limit & 0xf0000) << 32) |
		 ((base >> 24) & 0xff) << 56;
	gdt[1] = base >> 32;
}

static void set_gate(struct idt_gate *g, u64 handler, u8 ist)
{
	g->offset_lo = handler & 0xffff;
	g->selector = HOST_CS;
	g->ist = ist;
	g->type_attr = 0x8e;	/* P, DPL0, 64-bit interrupt gate */
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_hi = handler >> 32;
	g->reserved = 0;
}

int desc_init_cpu(struct pcpu *cpu)
{
	struct arch_desc *d = &cpu->desc;
	struct dtr gdtr, idtr;

	d->idt = page_alloc(PAGE_SIZE);
	d->ist_stacks = page_alloc(3 * IST_STACK_SIZE);
	if (!d->idt || !d->ist_stacks)
		return -ENOMEM;

	d->gdt[0] = 0;
	d->gdt[1] = GDT_CODE64;
	d->gdt[2] = GDT_DATA;
	set_tss_desc(&d->gdt[3], (u64)&d->tss, sizeof(d->tss) - 1);
	d->tss.iomap_base = sizeof(d->tss);
	for (int i = 0; i < 3; i++)
		d->tss.ist[i] = (u64)d->ist_stacks + (i + 1) * IST_STACK_SIZE;

	for (int v = 0; v < IDT_VECTORS; v++) {
		u8 ist = 0;

		if (v == X86_NMI)
			ist = 1;
		else if (v == X86_DF)
			ist = 2;
		else if (v == X86_MC)
			ist = 3;
		set_gate(&d->idt[v], (u64)trap_stubs + v * TRAP_STUB_SIZE, ist);
	}

	gdtr.limit = sizeof(d->gdt) - 1;
	gdtr.base = (u64)d->gdt;
	idtr.limit = IDT_VECTORS * sizeof(struct idt_gate) - 1;
	idtr.base = (u64)d->idt;

	asm volatile("lgdt %0\n\t"
		     "lidt %1\n\t"
		     /* Reload CS through a far return, then the data segments. */
		     "pushq %2\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\n\t"
		     "movw %w3, %%ax\n\t"
		     "movw %%ax, %%ds\n\t"
		     "movw %%ax, %%es\n\t"
		     "movw %%ax, %%ss\n\t"
		     "xorl %%eax, %%eax\n\t"
		     "movw %%ax, %%fs\n\t"
		     "movw %%ax, %%gs\n\t"
		     "movw %w4, %%ax\n\t"
		     "ltr %%ax"
		     :
		     : "m"(gdtr), "m"(idtr), "i"(HOST_CS), "i"(HOST_DS),
		       "i"(HOST_TSS)
		     : "rax", "memory");

	/* Loading %gs cleared the base: set it after. */
	wrmsr(MSR_GS_BASE, (u64)cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	return 0;
}
