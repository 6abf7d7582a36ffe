/* SPDX-License-Identifier: GPL-2.0 */
/* Host descriptor tables: each CPU has its own GDT, TSS and IDT. */
#ifndef ARCH_X86_DESC_H
#define ARCH_X86_DESC_H

#include <hv/types.h>

#define IDT_VECTORS 256
#define IST_STACK_SIZE (8 * KiB)

/* Host vectors. */
#define VEC_HOST_FIRST  0x20
#define VEC_TIMER       0xef	/* host APIC timer: wake-ups */
#define VEC_PMI         0xee	/* host LVTPC while a guest PMU is loaded */
#define VEC_KICK        0xf0	/* wakes a CPU to look at its vCPUs */
#define VEC_HOOK        0xf1	/* test build only: fault_hooks.c */
#define VEC_SPURIOUS    0xff

/* 64-bit TSS (SDM vol. 3 8.7). */
struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_hi;
	u32 reserved;
} __packed;

struct arch_desc {
	u64 gdt[6];			/* null, code64, data, tss (2), spare */
	struct tss64 tss __aligned(16);
	struct idt_gate *idt;		/* one page */
	u8 *ist_stacks;			/* IST1 (NMI), IST2 (#DF), IST3 (#MC) */
};

struct dtr {
	u16 limit;
	u64 base;
} __packed;

/* Register state pushed by the exception entry stubs (entry.asm). */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

struct pcpu;

/* Builds and loads this CPU's GDT, TSS and IDT; sets the GS base. */
int desc_init_cpu(struct pcpu *cpu);
void trap_handler(struct trap_frame *f);

/* Exception fixup table entries: relative offsets, see cpu.h *_safe(). */
struct ex_entry {
	s32 insn;
	s32 fixup;
};

#endif /* ARCH_X86_DESC_H */
