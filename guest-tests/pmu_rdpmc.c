// SPDX-License-Identifier: GPL-2.0
/*
 * RDPMC: at CPL 0 it reads the full 48-bit counter (= RDMSR of PERF_CTR)
 * and includes everything before it, not itself; at CPL 3 it raises #GP
 * without CR4.PCE and works with it; ECX at or beyond the counter count
 * raises #GP at any CPL.
 * Catches: RDPMC passed through where it should be emulated or the
 * reverse done wrong (a stale or host counter value, an emulated RDPMC
 * not counted as an instruction), CR4.PCE ignored, values truncated to
 * 32 bits, missing #GP for bad indices.
 * requires: pmu
 */
#include "pmu.h"

static u32 nr;

/* Two RDPMCs of counter @idx with two instructions between them. */
static u64 user_rdpmc_fault(u64 idx)
{
	u64 v;

	return (u64)(s64)rdpmc_try((u32)idx, &v);
}

static u64 user_rdpmc_value(u64 idx)
{
	u64 v = 0;

	if (rdpmc_try((u32)idx, &v) != -1)
		return ~0ULL;
	return v;
}

static u64 user_rdpmc_delta(u64 idx)
{
	return pmu_rdpmc_delta((u32)idx);
}

void test_main(void)
{
	u64 v;

	nr = pmu_require();
	gt_user_init();
	pmu_reset();

	/* CPL 0: the full width, the same as RDMSR. */
	for (u32 i = 0; i < nr; i++) {
		u64 val = 0xff0123456789ULL - i;

		wrmsr(MSR_PERF_CTR(i), val);
		EXPECT_EQ(rdpmc_try(i, &v), -1);
		EXPECT_EQ(v, val);
		EXPECT_EQ(v, rdmsr(MSR_PERF_CTR(i)));
	}

	/* Running: the first RDPMC and the two movs lie between the reads. */
	pmu_reset();
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | SEL_USR | EV_INSNS);
	wrmsr(MSR_PERF_CTL(1), SEL_EN | SEL_OS | EV_BRANCHES);
	wrmsr(MSR_GLOBAL_CTL, 0x3);
	EXPECT_EQ(pmu_rdpmc_delta(0), 3);
	EXPECT_EQ(pmu_rdpmc_delta(1), 0);		/* no branch in between */
	wrmsr(MSR_GLOBAL_CTL, 0);

	/* Bad indices. */
	EXPECT_EQ(rdpmc_try(nr, &v), 13);
	EXPECT_EQ(rdpmc_try(15, &v), 13);
	EXPECT_EQ(rdpmc_try(0x80000000, &v), 13);	/* Intel: fast */
	if (!pmu_intel) {
		EXPECT_EQ(rdpmc_try(0x40000000, &v), 13); /* Intel: fixed */
	} else {
		/* The fixed counters: ECX[30], the index below it. */
		for (u32 i = 0; i < gt_pmu.nr_fixed; i++) {
			u64 val = 0xfe0123456789ULL - i;

			wrmsr(MSR_INTEL_FIXED_CTR(i), val);
			EXPECT_EQ(rdpmc_try(INTEL_RDPMC_FIXED | i, &v), -1);
			EXPECT_EQ(v, val);
			wrmsr(MSR_INTEL_FIXED_CTR(i), 0);
		}
		EXPECT_EQ(rdpmc_try(INTEL_RDPMC_FIXED | gt_pmu.nr_fixed, &v),
			  13);
		EXPECT_EQ(rdpmc_try(INTEL_RDPMC_FIXED | nr, &v), 13);
		/* Fixed 0 counts instructions: the same delta of 3. */
		wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0x1);
		wrmsr(MSR_GLOBAL_CTL, INTEL_FIXED_BIT(0));
		EXPECT_EQ(pmu_rdpmc_delta(INTEL_RDPMC_FIXED), 3);
		wrmsr(MSR_GLOBAL_CTL, 0);
		wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0);
	}

	/* CPL 3 without CR4.PCE: #GP. */
	write_cr4(read_cr4() & ~X86_CR4_PCE);
	EXPECT_EQ(gt_user_call(user_rdpmc_fault, 0), 13);
	EXPECT_EQ(gt_user_call(user_rdpmc_fault, nr), 13);

	/* With CR4.PCE: the value, exact deltas; bad indices still #GP. */
	write_cr4(read_cr4() | X86_CR4_PCE);
	pmu_reset();
	wrmsr(MSR_PERF_CTR(2), 0xabc123456789ULL);
	EXPECT_EQ(gt_user_call(user_rdpmc_value, 2), 0xabc123456789ULL);
	EXPECT_EQ(gt_user_call(user_rdpmc_fault, 0), (u64)-1);
	EXPECT_EQ(gt_user_call(user_rdpmc_fault, nr), 13);
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_USR | EV_INSNS);
	wrmsr(MSR_GLOBAL_CTL, 0x1);
	EXPECT_EQ(gt_user_call(user_rdpmc_delta, 0), 3);
	wrmsr(MSR_GLOBAL_CTL, 0);
	write_cr4(read_cr4() & ~X86_CR4_PCE);
	pmu_reset();
}
