// SPDX-License-Identifier: GPL-2.0
/*
 * A read of the UART's LSR is a quiet exit (hv/exit.h EXIT_QUIET) unless
 * retiring it did something: here the read is the instruction at which a
 * counter of retired instructions overflows. The hypervisor counts it
 * (the hardware never retired it, docs/pmu.md), so the overflow and its
 * PMI are the hypervisor's: only the full path delivers the PMI to the
 * LVTPC, and it must come right after the IN, as on bare metal (skid 0 on
 * the model), not at some later exit. The loop around the read makes only
 * quiet exits: a PMI left behind by a quiet exit would come at the
 * window's end or never.
 * Catches: a quiet exit that swallows or delays the PMI of the emulated
 * count (the shortcut taken with a PMU event pending).
 * requires: pmu
 * config: memory = 4M
 */
#include "pmu.h"

#define UART_LSR 0x3fd
#define N 1000

static volatile u32 nmis;
static volatile u64 pmi_rip, pmi_rcx, pmi_status;

/*
 * Counted: 2 + 3n (+ the stop). Instruction 3 + 3j is the IN of
 * iteration j, after which comes qe_pmu_after_in with RCX = n - j.
 */
PMU_WINDOW(lsr_loop,
	   "	mov %rsi, %rcx\n"
	   "	mov $0x3fd, %edx\n"
	   "1:	inb %dx, %al\n"
	   ".globl qe_pmu_after_in\n"
	   "qe_pmu_after_in:\n"
	   "	dec %rcx\n"
	   "	jnz 1b\n");
extern const char qe_pmu_after_in[];

static void on_nmi(u8 vector)
{
	struct gt_frame *f = gt_irq_frame();

	(void)vector;
	nmis++;
	pmi_rip = f->rip;
	pmi_rcx = f->rcx;
	pmi_status = rdmsr(MSR_GLOBAL_STATUS);
}

static void overflow_at_in(u64 j, u32 ctr)
{
	pmu_reset();
	nmis = 0;
	pmi_rip = pmi_rcx = pmi_status = 0;
	apic_write(APIC_LVTPC, LVT_NMI);
	wrmsr(MSR_PERF_CTR(ctr), CTR_PRESET(3 + 3 * j));
	wrmsr(MSR_PERF_CTL(ctr), SEL_EN | SEL_OS | SEL_INT | EV_INSNS);
	lsr_loop(1u << ctr, N);
	gt_printf("overflow at the IN of iteration %llu (counter %u): %u NMI, rip %#llx (want %#llx), rcx %llu (want %llu)\n",
		  (unsigned long long)j, ctr, nmis,
		  (unsigned long long)pmi_rip,
		  (unsigned long long)(u64)qe_pmu_after_in,
		  (unsigned long long)pmi_rcx, (unsigned long long)(N - j));
	EXPECT_EQ(nmis, 1);
	EXPECT_EQ(pmi_status, 1u << ctr);
	EXPECT_EQ(pmi_rip, (u64)qe_pmu_after_in);
	EXPECT_EQ(pmi_rcx, N - j);
}

void test_main(void)
{
	u32 last = pmu_require() - 1;

	apic_write(APIC_SVR, 0x1ff);
	gt_set_irq_handler(2, on_nmi);
	overflow_at_in(0, 0);			/* the first read */
	overflow_at_in(400, 0);
	overflow_at_in(N - 2, last);
	apic_write(APIC_LVTPC, LVT_MASKED);
	pmu_reset();
}
