// SPDX-License-Identifier: GPL-2.0
/*
 * on_exit: restart
 * A restarted guest starts with the PMU's reset values: boot 0 programs
 * every counter (running, INT set, about to overflow), GlobalCtl and
 * GlobalStatus, then resets through port 0xcf9; boot 1 reads zero
 * selectors and counters, GlobalCtl = all counters, GlobalStatus 0, and
 * counts a loop exactly from zero.
 * Catches: PMU state surviving a VM restart (in the saved copy or left
 * in the hardware), counters that kept counting across the reset, a PMI
 * of the old boot delivered to the new one.
 * requires: pmu
 */
#include "pmu.h"

static volatile u32 nmis;

static void on_nmi(u8 vector)
{
	nmis++;
}

static void dirty(u32 nr)
{
	for (u32 i = 0; i < nr; i++) {
		wrmsr(MSR_PERF_CTR(i), CTR_PRESET(1000 + i));
		wrmsr(MSR_PERF_CTL(i), SEL_EN | SEL_OS | SEL_USR | SEL_INT |
		      (i % 2 ? EV_BRANCHES : EV_INSNS));
	}
	if (pmu_intel) {
		/* No STATUS_SET in version 2: the fixed counters instead. */
		for (u32 i = 0; i < gt_pmu.nr_fixed; i++)
			wrmsr(MSR_INTEL_FIXED_CTR(i), CTR_PRESET(500 + i));
		wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0xbbb);
		wrmsr(MSR_GLOBAL_CTL, (1ULL << nr) - 1);
	} else {
		wrmsr(MSR_GLOBAL_STATUS_SET, 0x5);
		wrmsr(MSR_GLOBAL_CTL, (1ULL << nr) - 1);
		EXPECT(rdmsr(MSR_GLOBAL_STATUS) & 0x5);
	}
	EXPECT_EQ(rdmsr(MSR_PERF_CTL(0)), SEL_EN | SEL_OS | SEL_USR |
		  SEL_INT | EV_INSNS);
	/* Counter 5 last: it still runs when the reset comes. */
	wrmsr(MSR_GLOBAL_CTL, 0x1a);
}

void test_main(void)
{
	s64 boot = hypercall(PV_HC_BOOT_COUNT, 0, 0);
	u32 nr = pmu_require();

	gt_printf("boot %lld\n", (long long)boot);
	apic_write(APIC_SVR, 0x1ff);
	gt_set_irq_handler(2, on_nmi);
	if (boot == 0) {
		apic_write(APIC_LVTPC, LVT_NMI);
		dirty(nr);
		outb(0xcf9, 0x06);		/* hard reset */
		gt_printf("FAIL: no reset\n");
		gt_exit(1);
	}
	EXPECT_EQ(boot, 1);
	for (u32 i = 0; i < nr; i++) {
		EXPECT_EQ(rdmsr(MSR_PERF_CTL(i)), 0);
		EXPECT_EQ(rdmsr(MSR_PERF_CTR(i)), 0);
	}
	if (pmu_intel) {
		EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR_CTRL), 0);
		for (u32 i = 0; i < gt_pmu.nr_fixed; i++)
			EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(i)), 0);
	}
	EXPECT_EQ(rdmsr(MSR_GLOBAL_CTL), (1ULL << nr) - 1);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0);
	EXPECT_EQ(apic_read(APIC_LVTPC), LVT_MASKED);
	EXPECT_EQ(nmis, 0);

	/* GlobalCtl's reset value enables everything: stop, then program. */
	wrmsr(MSR_GLOBAL_CTL, 0);
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | EV_INSNS);
	wrmsr(MSR_PERF_CTL(1), SEL_EN | SEL_OS | EV_BRANCHES);
	pmu_loop(0x3, 1000);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), PMU_LOOP_INSNS(1000));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), PMU_LOOP_BRANCHES(1000));
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0);
	EXPECT_EQ(nmis, 0);
	pmu_reset();
}
