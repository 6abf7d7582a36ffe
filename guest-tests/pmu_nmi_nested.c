// SPDX-License-Identifier: GPL-2.0
/*
 * A PMI that comes while the guest is in its NMI handler stays pending
 * until the handler's IRET, then arrives at once: the first PMI's handler
 * arms a second counter to overflow five instructions later and runs on
 * for a while; the second NMI must not nest, and must come right after
 * the IRET, before the interrupted code runs another instruction (its
 * return RIP and RCX equal the first one's), as on bare metal.
 * Catches: NMIs injected while the guest's NMIs are blocked (nesting, a
 * clobbered handler frame), a PMI lost while blocked, a pending NMI
 * delivered late (instructions after the IRET) or only at the next exit.
 * requires: pmu
 */
#include "pmu.h"

static volatile u32 nmis, depth, max_depth;
static volatile u64 rip[2], rcx[2], status[2];

static void on_nmi(u8 vector)
{
	struct gt_frame *f = gt_irq_frame();
	u32 i = nmis++;

	if (++depth > max_depth)
		max_depth = depth;
	if (i < 2) {
		rip[i] = f->rip;
		rcx[i] = f->rcx;
		status[i] = rdmsr(MSR_GLOBAL_STATUS);
	}
	if (i == 0) {
		pmu_pmi_rearm(LVT_NMI);
		/* Counter 1 overflows in here; its NMI must wait. */
		wrmsr(MSR_PERF_CTR(1), CTR_PRESET(5));
		for (volatile int k = 0; k < 20000; k++)
			;
		/* Still in the handler: no second NMI yet. */
		if (nmis != 1)
			gt_printf("a second NMI came inside the handler\n");
	}
	depth--;
}

void test_main(void)
{
	const u64 n = 10000, k = 2 * 100 + 1;	/* the 100th JNZ */

	pmu_require();
	apic_write(APIC_SVR, 0x1ff);
	apic_write(APIC_LVTPC, LVT_NMI);
	gt_set_irq_handler(2, on_nmi);
	pmu_reset();
	wrmsr(MSR_PERF_CTR(0), CTR_PRESET(k));
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | SEL_INT | EV_INSNS);
	wrmsr(MSR_PERF_CTL(1), SEL_EN | SEL_OS | SEL_INT | EV_INSNS);
	pmu_loop(0x3, n);
	gt_printf("NMI 1 at rip %#llx rcx %llu, NMI 2 at rip %#llx rcx %llu\n",
		  (unsigned long long)rip[0], (unsigned long long)rcx[0],
		  (unsigned long long)rip[1], (unsigned long long)rcx[1]);
	EXPECT_EQ(nmis, 2);
	EXPECT_EQ(max_depth, 1);
	EXPECT_EQ(rip[0], (u64)pmu_loop_dec);
	EXPECT_EQ(rcx[0], n - k / 2);
	EXPECT_EQ(status[0] & 1, 1);
	EXPECT_EQ(status[1] & 2, 2);
	EXPECT_EQ(rip[1], rip[0]);
	EXPECT_EQ(rcx[1], rcx[0]);
	apic_write(APIC_LVTPC, LVT_MASKED);
	pmu_reset();
}
