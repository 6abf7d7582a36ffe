// SPDX-License-Identifier: GPL-2.0
/*
 * A guest without a PMU (pmu = off) sees an AMD CPU without one: CPUID
 * has no PerfCtrExtCore and no PerfMonV2; the PerfCtrExtCore MSRs
 * (0xc0010200-0xc001022f) and the global ones (0xc0000300-303) raise #GP;
 * the legacy K7 MSRs 0xc0010000-7, which every AMD CPU has, read 0 and
 * ignore writes (never #GP) and count nothing; RDPMC of their counters
 * 0-3 reads 0 and of counter 4 and up raises #GP (docs/pmu.md).
 * config: pmu = off
 * Catches: a PMU left visible or usable with pmu = off (CPUID bits, MSRs
 * that keep values or count), #GP on the legacy MSRs (which breaks test
 * suites and old kernels probing them).
 * requires: pmu-amd
 */
#include "pmu.h"

void test_main(void)
{
	u32 a, b, c, d, bad = 0;
	u64 v;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	EXPECT(!(c & (1u << 23)));
	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000022) {
		cpuid(0x80000022, 0, &a, &b, &c, &d);
		EXPECT_EQ(a, 0);
		EXPECT_EQ(b, 0);
	}
	EXPECT_EQ(pmu_nr_counters(), 0);

	/* Legacy: read 0, writes ignored, nothing counts. */
	for (u32 i = 0; i < 4; i++) {
		EXPECT_EQ(rdmsr_try(MSR_K7_EVNTSEL(i), &v), -1);
		EXPECT_EQ(v, 0);
		EXPECT_EQ(rdmsr_try(MSR_K7_PERFCTR(i), &v), -1);
		EXPECT_EQ(v, 0);
		EXPECT_EQ(wrmsr_try(MSR_K7_EVNTSEL(i), SEL_EN | SEL_OS |
				    SEL_USR | EV_INSNS), -1);
		EXPECT_EQ(wrmsr_try(MSR_K7_PERFCTR(i), 0x1234), -1);
		EXPECT_EQ(rdmsr_try(MSR_K7_EVNTSEL(i), &v), -1);
		EXPECT_EQ(v, 0);
		EXPECT_EQ(rdmsr_try(MSR_K7_PERFCTR(i), &v), -1);
		EXPECT_EQ(v, 0);
	}
	/* Reserved bits too: no #GP on a CPU without the MSR's checks. */
	EXPECT_EQ(wrmsr_try(MSR_K7_EVNTSEL(0), ~0ULL), -1);
	for (volatile int i = 0; i < 10000; i++)
		;
	for (u32 i = 0; i < 4; i++) {
		EXPECT_EQ(rdmsr_try(MSR_K7_PERFCTR(i), &v), -1);
		EXPECT_EQ(v, 0);
		EXPECT_EQ(rdpmc_try(i, &v), -1);
		EXPECT_EQ(v, 0);
	}
	EXPECT_EQ(rdpmc_try(4, &v), 13);
	EXPECT_EQ(rdpmc_try(6, &v), 13);

	/* Everything else of the PMU: #GP. */
	for (u32 msr = MSR_PERF_CTL(0); msr <= MSR_PERF_LAST; msr++) {
		if (rdmsr_try(msr, &v) != 13 || wrmsr_try(msr, 0) != 13) {
			gt_printf("MSR %#x: no #GP\n", msr);
			bad++;
		}
	}
	for (u32 msr = MSR_GLOBAL_STATUS; msr <= MSR_GLOBAL_STATUS_SET;
	     msr++) {
		if (rdmsr_try(msr, &v) != 13 || wrmsr_try(msr, 0) != 13) {
			gt_printf("MSR %#x: no #GP\n", msr);
			bad++;
		}
	}
	EXPECT_EQ(bad, 0);
}
