// SPDX-License-Identifier: GPL-2.0
/*
 * A PMI storm: a counter with period 1 and INT, delivered as NMIs, re-armed
 * by the handler, 20000 times. Exactly 20000 NMIs arrive (one per
 * overflow: the re-arm inside the handler overflows at once and its NMI
 * waits for the IRET), then the handler stops the counter and the storm
 * ends by itself; no NMI comes after that. The two copies storm at the
 * same time on different CPUs and each counts only its own PMIs; the
 * other guests of the run go on meanwhile (they must still pass).
 * instances: 2
 * Catches: PMIs lost or duplicated under load, PMIs delivered to the
 * wrong guest, a storm that wedges the CPU or the hypervisor (the run
 * then times out), NMIs nesting in the handler.
 * requires: pmu
 */
#include "pmu.h"

#define STORM 20000

static volatile u32 nmis, depth, max_depth;

static void on_nmi(u8 vector)
{
	if (++depth > max_depth)
		max_depth = depth;
	nmis++;
	wrmsr(MSR_GLOBAL_STATUS_CLR, 1);
	pmu_pmi_rearm(LVT_NMI);
	if (nmis < STORM)
		wrmsr(MSR_PERF_CTR(0), CTR_MASK);	/* overflows at once */
	else
		wrmsr(MSR_PERF_CTL(0), 0);
	depth--;
}

void test_main(void)
{
	u64 spins = 0, after, start;

	pmu_require();
	apic_write(APIC_SVR, 0x1ff);
	apic_write(APIC_LVTPC, LVT_NMI);
	gt_set_irq_handler(2, on_nmi);
	pmu_reset();
	wrmsr(MSR_PERF_CTR(0), CTR_MASK);
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | SEL_INT | EV_INSNS);
	start = rdtsc();
	wrmsr(MSR_GLOBAL_CTL, 1);
	/* The bound is a last resort: the storm ends after STORM NMIs. */
	while (nmis < STORM && spins < 400000000ULL)
		spins++;
	after = nmis;
	gt_printf("window %llx %llx\n", (unsigned long long)start,
		  (unsigned long long)rdtsc());
	for (volatile int i = 0; i < 100000; i++)
		;
	wrmsr(MSR_GLOBAL_CTL, 0);
	gt_printf("%u NMIs, %llu spins of the main loop, nesting %u\n",
		  nmis, (unsigned long long)spins, max_depth);
	EXPECT_EQ(after, STORM);
	EXPECT_EQ(nmis, STORM);
	EXPECT_EQ(max_depth, 1);
	EXPECT_EQ(rdmsr(MSR_PERF_CTL(0)), 0);
	apic_write(APIC_LVTPC, LVT_MASKED);
	pmu_reset();
}
