// SPDX-License-Identifier: GPL-2.0
/*
 * An Intel guest without a PMU (pmu = off) sees a CPU without one: CPUID
 * leaf 0AH all zero (version 0), CPUID.1 without PDCM, IA32_MISC_ENABLE
 * bit 7 (performance monitoring available) clear; every architectural PMU
 * MSR (PMC, A_PMC, PERFEVTSEL, FIXED_CTR, FIXED_CTR_CTRL, the GLOBAL_*
 * registers, PERF_CAPABILITIES) raises #GP, and so does RDPMC of any
 * counter (docs/pmu.md).
 * config: pmu = off
 * Catches: a PMU left visible or usable with pmu = off on Intel (CPUID,
 * MSRs that keep values or reach the hardware, RDPMC reading a counter).
 * requires: pmu-intel
 */
#include "pmu.h"

void test_main(void)
{
	u32 a, b, c, d, bad = 0;
	u32 msrs[] = { 0x345, 0x38d, 0x38e, 0x38f, 0x390, 0x391, 0x392 };
	u64 v;

	cpuid(0xa, 0, &a, &b, &c, &d);
	EXPECT_EQ(a, 0);
	EXPECT_EQ(d, 0);
	cpuid(1, 0, &a, &b, &c, &d);
	EXPECT(!(c & (1u << 15)));
	EXPECT_EQ(pmu_nr_counters(), 0);
	EXPECT_EQ(rdmsr(0x1a0) & (1u << 7), 0);

	for (u32 i = 0; i < 8; i++) {
		u32 m[4] = { 0xc1 + i, 0x4c1 + i, 0x186 + i, 0x309 + i };

		for (u32 j = 0; j < 4; j++)
			if (rdmsr_try(m[j], &v) != 13 ||
			    wrmsr_try(m[j], 0) != 13) {
				gt_printf("MSR %#x: no #GP\n", m[j]);
				bad++;
			}
		if (rdpmc_try(i, &v) != 13 ||
		    rdpmc_try(INTEL_RDPMC_FIXED | i, &v) != 13) {
			gt_printf("RDPMC %u: no #GP\n", i);
			bad++;
		}
	}
	for (u32 j = 0; j < sizeof(msrs) / sizeof(msrs[0]); j++)
		if (rdmsr_try(msrs[j], &v) != 13 ||
		    wrmsr_try(msrs[j], 0) != 13) {
			gt_printf("MSR %#x: no #GP\n", msrs[j]);
			bad++;
		}
	EXPECT_EQ(bad, 0);
}
