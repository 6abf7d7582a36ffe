// SPDX-License-Identifier: GPL-2.0
/*
 * Single-stepping over instructions the hypervisor emulates (CPUID, IN,
 * OUT, RDMSR, WRMSR, an MMIO load, HLT, and `sti; hlt`) raises the #DB
 * trap hardware would: RIP after the instruction, DR6.BS set and B0-B3
 * clear (SDM vol. 3 18.3.1.4). After MOV SS the trap of the MOV is held
 * back and merged into the one after the next instruction (SDM vol. 3
 * 6.8.3): one #DB, after CPUID.
 */
#include "gt.h"

#define TF (1ULL << 8)
#define DR6_BS (1ULL << 14)
#define MAX_DB 8

volatile u32 db_count, db_keep;
volatile u64 db_rip[MAX_DB], db_dr6[MAX_DB];

/* Notes RIP and DR6 of each #DB; clears TF in the frame after db_keep. */
void db_stub(void);
asm(".text\n"
    ".globl db_stub\n"
    "db_stub:\n\t"
    "pushq %rax\n\t"
    "pushq %rdx\n\t"
    "pushq %rcx\n\t"
    "movl db_count(%rip), %edx\n\t"
    "cmpl $" "8" ", %edx\n\t"
    "jae 2f\n\t"
    "movq 24(%rsp), %rax\n\t"
    "leaq db_rip(%rip), %rcx\n\t"
    "movq %rax, (%rcx,%rdx,8)\n\t"
    "movq %dr6, %rax\n\t"
    "leaq db_dr6(%rip), %rcx\n\t"
    "movq %rax, (%rcx,%rdx,8)\n"
    "2:\n\t"
    "incl db_count(%rip)\n\t"
    "movl db_keep(%rip), %ecx\n\t"
    "cmpl %ecx, %edx\n\t"
    "jb 1f\n\t"
    "andq $~0x100, 40(%rsp)\n"
    "1:\n\t"
    "popq %rcx\n\t"
    "popq %rdx\n\t"
    "popq %rax\n\t"
    "iretq\n");

static void reset_db(u32 keep)
{
	db_count = 0;
	db_keep = keep;
	for (int i = 0; i < MAX_DB; i++)
		db_rip[i] = db_dr6[i] = 0;
	asm volatile("movq %0, %%dr6" : : "r"(0ULL));
}

#define SET_TF "pushfq; orq $0x100, (%%rsp); popfq\n\t"

static void check_one(const char *what, u64 after)
{
	gt_printf("%s: %u #DB, rip %#llx (want %#llx), dr6 %#llx\n", what,
		  db_count, (unsigned long long)db_rip[0],
		  (unsigned long long)after, (unsigned long long)db_dr6[0]);
	EXPECT_EQ(db_count, 1);
	EXPECT_EQ(db_rip[0], after);
	EXPECT(db_dr6[0] & DR6_BS);
	EXPECT_EQ(db_dr6[0] & 0xf, 0);
}

void test_main(void)
{
	u64 after, v;

	gt_set_gate(1, db_stub, 0);

	reset_db(0);
	asm volatile(SET_TF "cpuid\n\t"
		     "1: leaq 1b(%%rip), %0"
		     : "=r"(after) : "a"(0), "c"(0) : "rbx", "rdx", "memory");
	check_one("cpuid", after);

	reset_db(0);
	asm volatile(SET_TF "inb $0x80, %%al\n\t"
		     "1: leaq 1b(%%rip), %0"
		     : "=r"(after) : : "rax", "memory");
	check_one("in", after);

	reset_db(0);
	asm volatile(SET_TF "outb %%al, $0x80\n\t"
		     "1: leaq 1b(%%rip), %0"
		     : "=r"(after) : "a"(0) : "memory");
	check_one("out", after);

	reset_db(0);
	asm volatile(SET_TF "rdmsr\n\t"
		     "1: leaq 1b(%%rip), %0"
		     : "=r"(after) : "c"(0x1b) : "rax", "rdx", "memory");
	check_one("rdmsr", after);

	v = rdmsr(0x2ff);		/* MTRR default type: written back */
	reset_db(0);
	asm volatile(SET_TF "wrmsr\n\t"
		     "1: leaq 1b(%%rip), %0"
		     : "=r"(after)
		     : "c"(0x2ff), "a"((u32)v), "d"((u32)(v >> 32))
		     : "memory");
	check_one("wrmsr", after);

	reset_db(0);
	asm volatile(SET_TF "movl (%1), %%eax\n\t"
		     "1: leaq 1b(%%rip), %0"
		     : "=r"(after) : "r"(0xfee00030UL) : "rax", "memory");
	check_one("mmio load", after);

	/* HLT with interrupts off: the trap ends it, nothing else could. */
	reset_db(0);
	asm volatile(SET_TF "hlt\n\t"
		     "1: leaq 1b(%%rip), %0"
		     : "=r"(after) : : "memory");
	check_one("cli; hlt", after);

	/* sti; hlt: one trap after STI (at the HLT), one after the HLT. */
	reset_db(1);
	asm volatile(SET_TF "sti\n\t"
		     "2: hlt\n\t"
		     "1: cli\n\t"
		     "leaq 1b(%%rip), %0\n\t"
		     "leaq 2b(%%rip), %1"
		     : "=r"(after), "=r"(v) : : "memory");
	gt_printf("sti; hlt: %u #DB at %#llx %#llx (want %#llx %#llx)\n",
		  db_count, (unsigned long long)db_rip[0],
		  (unsigned long long)db_rip[1], (unsigned long long)v,
		  (unsigned long long)after);
	EXPECT_EQ(db_count, 2);
	EXPECT_EQ(db_rip[0], v);
	EXPECT_EQ(db_rip[1], after);
	EXPECT(db_dr6[1] & DR6_BS);

	/* MOV SS holds its own trap back: one #DB, after the CPUID. */
	reset_db(0);
	asm volatile("movw %%ss, %%dx\n\t"
		     SET_TF "movw %%dx, %%ss\n\t"
		     "cpuid\n\t"
		     "1: leaq 1b(%%rip), %0"
		     : "=r"(after) : "a"(0), "c"(0) : "rbx", "rdx", "memory");
	check_one("mov ss; cpuid", after);
}
