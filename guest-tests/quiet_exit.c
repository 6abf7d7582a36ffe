// SPDX-License-Identifier: GPL-2.0
/*
 * A read of the UART's LSR is a quiet exit (hv/exit.h EXIT_QUIET): it
 * changes nothing, so the guest is entered again at once, without the
 * interrupt and PMU work of the full path. What must still happen around
 * such a read: with TF set, the single-step #DB right after it (RIP past
 * the IN, DR6.BS, B0-B3 clear); after `sti; in` with an interrupt pending
 * since IF was clear, the interrupt right after the IN (the STI shadow
 * covers only the IN), before the next instruction. quiet_exit_pmu covers
 * the PMI of an overflow the read itself causes.
 * Catches: a quiet exit that drops or delays the trap or the interrupt.
 * config: memory = 4M
 */
#include "gt.h"

#define UART_LSR 0x3fd
#define XAPIC    0xfee00000UL
#define SVR      0x0f0
#define ICR      0x300
#define EOI      0x0b0
#define SELF     (1u << 18)
#define VEC      0x58
#define DR6_BS   (1ULL << 14)

volatile u32 qe_db_count;
volatile u64 qe_db_rip, qe_db_dr6;
static volatile u32 irq_count;
static volatile u64 irq_rip;

static volatile u32 *reg(u32 off)
{
	return (volatile u32 *)(XAPIC + off);
}

/* #DB: notes RIP and DR6, clears TF in the frame. */
void qe_db_stub(void);
asm(".text\n"
    ".globl qe_db_stub\n"
    "qe_db_stub:\n\t"
    "pushq %rax\n\t"
    "movq 8(%rsp), %rax\n\t"
    "movq %rax, qe_db_rip(%rip)\n\t"
    "movq %dr6, %rax\n\t"
    "movq %rax, qe_db_dr6(%rip)\n\t"
    "incl qe_db_count(%rip)\n\t"
    "andq $~0x100, 24(%rsp)\n\t"
    "popq %rax\n\t"
    "iretq\n");

static void on_irq(u8 vector)
{
	(void)vector;
	irq_count++;
	irq_rip = gt_irq_frame()->rip;
	*reg(EOI) = 0;
}

void test_main(void)
{
	u64 after;
	u8 lsr;

	gt_set_gate(1, qe_db_stub, 0);
	gt_set_irq_handler(VEC, on_irq);

	/* Single step over the quiet read: the trap right after it. */
	asm volatile("movq %0, %%dr6" : : "r"(0ULL));
	asm volatile("pushfq; orq $0x100, (%%rsp); popfq\n\t"
		     "inb %w2, %%al\n\t"
		     "1: leaq 1b(%%rip), %0"
		     : "=r"(after), "=a"(lsr) : "d"(UART_LSR) : "memory");
	gt_printf("step: %u #DB at %#llx (want %#llx), dr6 %#llx, lsr %#x\n",
		  qe_db_count, (unsigned long long)qe_db_rip,
		  (unsigned long long)after, (unsigned long long)qe_db_dr6, lsr);
	EXPECT_EQ(qe_db_count, 1);
	EXPECT_EQ(qe_db_rip, after);
	EXPECT(qe_db_dr6 & DR6_BS);
	EXPECT_EQ(qe_db_dr6 & 0xf, 0);
	EXPECT(lsr & 0x20);

	/*
	 * A self-IPI while IF is clear waits; STI's shadow covers the IN,
	 * whose exit is quiet; the interrupt comes right after the IN.
	 */
	*reg(SVR) = 0x1ff;
	cli();
	*reg(ICR) = SELF | VEC;
	EXPECT_EQ(irq_count, 0);
	asm volatile("sti\n\t"
		     "inb %w2, %%al\n\t"
		     "1: nop\n\t"
		     "cli\n\t"
		     "leaq 1b(%%rip), %0"
		     : "=r"(after), "=a"(lsr) : "d"(UART_LSR) : "memory");
	gt_printf("sti; in: %u interrupt(s) at %#llx (want %#llx)\n",
		  irq_count, (unsigned long long)irq_rip,
		  (unsigned long long)after);
	EXPECT_EQ(irq_count, 1);
	EXPECT_EQ(irq_rip, after);
}
