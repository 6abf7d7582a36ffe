// SPDX-License-Identifier: GPL-2.0
/*
 * The event filter, allow list: only the listed events count. Cycles
 * (0x76) count exactly; retired instructions and branches count nothing,
 * from the hardware or emulated; 0x1c0 being allowed does not allow 0xc0
 * (AMD's 12-bit event select). The guest reads back its selectors.
 * config: pmu_allow = 0x76, 0x1c0
 * Catches: an allow list that is ignored, or applied as a deny list, or
 * compared on 8 bits; emulated instructions counted past the filter.
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

static const u64 sel[4] = {
	SEL_EN | SEL_OS | 0x76,			/* AMD: cycles */
	SEL_EN | SEL_OS | EV_INSNS,
	SEL_EN | SEL_OS | 0xc2,			/* AMD: branches */
	SEL_EN | SEL_OS | SEL_EVENT(0x1c0),
};

static void program(void)
{
	pmu_reset();
	for (u32 i = 0; i < 4; i++)
		wrmsr(MSR_PERF_CTL(i), sel[i]);
}

void test_main(void)
{
	const u64 n = 1000;

	pmu_require();
	program();
	pmu_loop(0xf, n);
	for (u32 i = 0; i < 4; i++)
		EXPECT_EQ(rdmsr(MSR_PERF_CTL(i)), sel[i]);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), PMU_CYCLES_OF(PMU_LOOP_INSNS(n)));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(3)), 0);

	/* Emulated CPUIDs: not counted as instructions (0xc0 not allowed). */
	program();
	cpuid_loop(0xf, n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), 1 + 4 * n + PMU_STOP_CYCLES);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), 0);
	pmu_reset();
}
