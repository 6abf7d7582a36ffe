// SPDX-License-Identifier: GPL-2.0
/*
 * The event filter, deny list: a counter programmed with a denied event
 * counts nothing (hardware and emulated instructions alike, no overflow,
 * no PMI) while the guest still reads back its selector; other events
 * count exactly. AMD event selects are 12 bits (PERF_CTL[35:32] are bits
 * 11:8): denying 0x1c2 does not deny 0xc2. An entry with a unit mask
 * denies that unit mask only, one without denies them all.
 * config: pmu_deny = 0xc0, 0x1c2, 0xc4:0x01
 * Catches: a filter that is not applied (or only to the hardware, not to
 * emulated instructions), one that compares 8 bits of the event select,
 * one that ignores unit masks or treats "no unit mask" as unit mask 0, a
 * filtered selector read back changed.
 * requires: pmu-amd (pmu_filter_intel is the Intel counterpart)
 */
#include "pmu.h"

/* 1 + 5n */
PMU_WINDOW(cpuid_loop,
	   "	mov %rsi, %r8\n"
	   "1:	xor %eax, %eax\n"
	   "	xor %ecx, %ecx\n"
	   "	cpuid\n"
	   "	dec %r8\n"
	   "	jnz 1b\n");

static volatile u32 nmis;

static void on_nmi(u8 vector)
{
	nmis++;
}

static const u64 sel[PMU_MAX_COUNTERS] = {
	SEL_EN | SEL_OS | EV_INSNS,				/* denied */
	SEL_EN | SEL_OS | 0xc2,					/* branches */
	SEL_EN | SEL_OS | SEL_UMASK(0x01) | EV_TAKEN,		/* denied */
	SEL_EN | SEL_OS | EV_TAKEN,				/* umask 0 */
	SEL_EN | SEL_OS | SEL_UMASK(0x01) | EV_INSNS | SEL_INT,	/* denied */
	SEL_EN | SEL_OS | 0x76,					/* cycles */
};

/* Counters in CPUID: 6 on the model, 5 under `profile = on`. */
static u32 nr_ctrs;

static void program(void)
{
	pmu_reset();
	for (u32 i = 0; i < nr_ctrs; i++)
		wrmsr(MSR_PERF_CTL(i), sel[i]);
	/* The denied counter 4 would overflow (and PMI) at once. */
	wrmsr(MSR_PERF_CTR(4), CTR_MASK);
}

void test_main(void)
{
	const u64 n = 1000;

	nr_ctrs = pmu_require();
	EXPECT(nr_ctrs >= 5 && nr_ctrs <= PMU_MAX_COUNTERS);
	apic_write(APIC_SVR, 0x1ff);
	apic_write(APIC_LVTPC, LVT_NMI);
	gt_set_irq_handler(2, on_nmi);

	program();
	pmu_loop((1ULL << nr_ctrs) - 1, n);
	for (u32 i = 0; i < nr_ctrs; i++)
		EXPECT_EQ(rdmsr(MSR_PERF_CTL(i)), sel[i]);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), PMU_LOOP_BRANCHES(n));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(3)), PMU_LOOP_TAKEN(n));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(4)), CTR_MASK);
	if (nr_ctrs > 5)
		EXPECT_EQ(rdmsr(MSR_PERF_CTR(5)), PMU_LOOP_INSNS(n));
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0);
	EXPECT_EQ(nmis, 0);

	/* Emulated instructions are filtered too. */
	program();
	cpuid_loop((1ULL << nr_ctrs) - 1, n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(4)), CTR_MASK);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0);
	EXPECT_EQ(nmis, 0);

	/* The 12-bit event 0x1c2 itself: denied (and not an event anyway). */
	pmu_reset();
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | SEL_EVENT(0x1c2));
	EXPECT_EQ(rdmsr(MSR_PERF_CTL(0)), SEL_EN | SEL_OS | SEL_EVENT(0x1c2));
	pmu_loop(0x1, n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), 0);

	/* Reprogrammed to an allowed event, the counter counts again. */
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | EV_BRANCHES);
	pmu_loop(0x1, n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), PMU_LOOP_BRANCHES(n));
	apic_write(APIC_LVTPC, LVT_MASKED);
	pmu_reset();
}
