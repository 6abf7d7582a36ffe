// SPDX-License-Identifier: GPL-2.0
/* Ring 3 for the test guests (see gt.h, gt_user_init()). */
#include "gt.h"

#define PTE_P  (1ULL << 0)
#define PTE_US (1ULL << 2)
#define PTE_PS (1ULL << 7)
#define PTE_ADDR 0x000ffffffffff000ULL

struct tss64 {
	u32 reserved0;
	u64 rsp0, rsp1, rsp2;
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3, iomap_base;
} __packed;

static u64 gdt[8] __aligned(16);
static struct tss64 tss __aligned(16);
static u8 rsp0_stack[16384] __aligned(16);
static u8 user_stack[16384] __aligned(16) __attribute__((used));
u64 gt_user_kernel_rsp;

/* The user stack's top (gt.h), a symbol assembly can push. */
asm(".globl gt_user_stack_top\n"
    ".set gt_user_stack_top, user_stack + 16384\n");

asm(".text\n"
    ".globl gt_user_call\n"
    "gt_user_call:\n"
    "	push %rbx\n"
    "	push %rbp\n"
    "	push %r12\n"
    "	push %r13\n"
    "	push %r14\n"
    "	push %r15\n"
    "	lea 1f(%rip), %rax\n"
    "	push %rax\n"
    "	mov %rsp, gt_user_kernel_rsp(%rip)\n"
    "	pushq $0x23\n"			/* SS: GT_USER_DS */
    "	pushq $gt_user_stack_top\n"
    "	pushq $2\n"			/* RFLAGS: IF clear */
    "	pushq $0x2b\n"			/* CS: GT_USER_CS */
    "	pushq $gt_user_tramp\n"
    "	iretq\n"
    "1:	mov $0x18, %ecx\n"		/* GT_KERNEL_DS */
    "	mov %cx, %ds\n"
    "	mov %cx, %es\n"
    "	mov %cx, %ss\n"
    "	pop %r15\n"
    "	pop %r14\n"
    "	pop %r13\n"
    "	pop %r12\n"
    "	pop %rbp\n"
    "	pop %rbx\n"
    "	ret\n"
    /* CPL 3: rdi = fn, rsi = arg. */
    "gt_user_tramp:\n"
    "	mov %rdi, %rax\n"
    "	mov %rsi, %rdi\n"
    "	call *%rax\n"
    "	int $0x80\n"			/* GT_VEC_USER_RET */
    "	ud2\n"
    /* Gate GT_VEC_USER_RET: back to the code that entered ring 3. */
    ".globl gt_user_ret\n"
    "gt_user_ret:\n"
    "	mov gt_user_kernel_rsp(%rip), %rsp\n"
    "	ret\n");

static void set_user_bits(void)
{
	u64 *pml4 = (u64 *)(read_cr3() & PTE_ADDR);

	for (int i = 0; i < 512; i++) {
		u64 *pdpt;

		if (!(pml4[i] & PTE_P))
			continue;
		pml4[i] |= PTE_US;
		pdpt = (u64 *)(pml4[i] & PTE_ADDR);
		for (int j = 0; j < 512; j++) {
			u64 *pd;

			if (!(pdpt[j] & PTE_P))
				continue;
			pdpt[j] |= PTE_US;
			if (pdpt[j] & PTE_PS)
				continue;
			pd = (u64 *)(pdpt[j] & PTE_ADDR);
			for (int k = 0; k < 512; k++)
				if (pd[k] & PTE_P)
					pd[k] |= PTE_US;
		}
	}
	write_cr3(read_cr3());
}

void gt_user_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed gdtr = { sizeof(gdt) - 1, (u64)gdt };
	u64 t = (u64)&tss;

	tss.rsp0 = (u64)(rsp0_stack + sizeof(rsp0_stack));
	tss.iomap_base = sizeof(tss);		/* no I/O bitmap */
	gdt[GT_KERNEL_CS / 8] = 0x00af9b000000ffffULL;
	gdt[GT_KERNEL_DS / 8] = 0x00cf93000000ffffULL;
	gdt[GT_USER_DS / 8] = 0x00cff3000000ffffULL;
	gdt[GT_USER_CS / 8] = 0x00affb000000ffffULL;
	gdt[GT_TSS / 8] = (sizeof(tss) - 1) | (t & 0xffffff) << 16 |
			  0x89ULL << 40 | (t >> 24 & 0xff) << 56;
	gdt[GT_TSS / 8 + 1] = t >> 32;
	asm volatile("lgdt %0\n\t"
		     "ltr %w1"
		     : : "m"(gdtr), "r"(GT_TSS) : "memory");
	set_user_bits();
	gt_set_gate(GT_VEC_USER_RET, gt_user_ret, 3);
}

void gt_set_ist(int n, u64 top)
{
	tss.ist[n - 1] = top;
}
