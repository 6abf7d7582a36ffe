// SPDX-License-Identifier: GPL-2.0
/*
 * The event filter on Intel: an allow list with and without a unit mask,
 * and the fixed-counter bitmap. Instructions with unit mask 0 (0xc0:0x00)
 * and cycles with any unit mask (0x3c) count exactly; 0xc0 with unit mask
 * 1 and branches (0xc4) count nothing; fixed counter 1 (allowed by
 * pmu_fixed = 0x2) counts, fixed counters 0 and 2 count nothing, neither
 * from the hardware nor from emulated instructions. The guest reads back
 * its selectors and FIXED_CTR_CTRL as written.
 * config: pmu_allow = 0xc0:0x00, 0x3c
 * config: pmu_fixed = 0x2
 * Catches: a filter not applied to Intel selectors or fixed counters (or
 * only to the hardware, not to emulated instructions), unit masks
 * ignored, a filtered selector or FIXED_CTR_CTRL read back changed.
 * requires: pmu-intel
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

static u64 sel[4];

#define FIXED_ALL (INTEL_FIXED_BIT(0) | INTEL_FIXED_BIT(1) | INTEL_FIXED_BIT(2))
#define MASK (0xf | FIXED_ALL)

static void program(void)
{
	pmu_reset();
	for (u32 i = 0; i < 4; i++)
		wrmsr(MSR_PERF_CTL(i), sel[i]);
	wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0x111);		/* all three, OS */
}

void test_main(void)
{
	const u64 n = 1000;

	pmu_require();
	sel[0] = SEL_EN | SEL_OS | EV_INSNS;
	sel[1] = SEL_EN | SEL_OS | SEL_UMASK(1) | EV_INSNS;
	sel[2] = SEL_EN | SEL_OS | SEL_UMASK(0) | EV_CYCLES;
	sel[3] = SEL_EN | SEL_OS | EV_BRANCHES;

	program();
	pmu_loop(MASK, n);
	for (u32 i = 0; i < 4; i++)
		EXPECT_EQ(rdmsr(MSR_PERF_CTL(i)), sel[i]);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR_CTRL), 0x111);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), PMU_LOOP_INSNS(n));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), PMU_LOOP_INSNS(n));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(3)), 0);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(0)), 0);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(1)), PMU_LOOP_INSNS(n));
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(2)), 0);

	/* Emulated CPUIDs: counted by counter 0, not by fixed counter 0. */
	program();
	cpuid_loop(MASK, n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), 1 + 5 * n + PMU_STOP_INSNS);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(3)), 0);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(0)), 0);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(1)), 1 + 4 * n + PMU_STOP_INSNS);
	pmu_reset();
}
