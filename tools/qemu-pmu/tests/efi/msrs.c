// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmutest (QEMU): CPUID of the PerfMonV2 model and its MSRs: values kept,
 * the legacy aliases, widths, the #GP cases, the global status MSRs.
 */
#include "pmutest.h"

void test_cpuid(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	check("cpuid 0x80000000 max leaf >= 0x80000022", a >= 0x80000022, 1);
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	check("cpuid 0x80000001 ecx[23] PerfCtrExtCore", (c >> 23) & 1, 1);
	cpuid(0x80000022, 0, &a, &b, &c, &d);
	check("cpuid 0x80000022 eax[0] PerfMonV2", a & 1, 1);
	check("cpuid 0x80000022 ebx[3:0] counters", b & 0xf, num_counters);
}

void test_msrs(void)
{
	u64 v;
	unsigned i;

	check("GlobalCtl after reset enables all counters", rdmsr(GLOBAL_CTL),
	      (1ul << num_counters) - 1);
	check("GlobalStatus after reset", rdmsr(GLOBAL_STATUS), 0);
	for (i = 0; i < num_counters; i++) {
		wrmsr(PERF_CTL(i), 0x12345 + i);
		wrmsr(PERF_CTR(i), 0x111100000000ul + i);
	}
	for (i = 0; i < num_counters; i++) {
		if (!check("PERF_CTL keeps its value", rdmsr(PERF_CTL(i)), 0x12345 + i))
			break;
		if (!check("PERF_CTR keeps its value", rdmsr(PERF_CTR(i)), 0x111100000000ul + i))
			break;
	}
	for (i = 0; i < 4; i++) {
		check("legacy PERF_CTL alias reads counter's CTL", rdmsr(LEGACY_CTL(i)), 0x12345 + i);
		check("legacy PERF_CTR alias reads counter's CTR", rdmsr(LEGACY_CTR(i)),
		      0x111100000000ul + i);
	}
	wrmsr(LEGACY_CTL(2), 0x4300c0);
	check("legacy CTL write reaches PERF_CTL", rdmsr(PERF_CTL(2)), 0x4300c0);
	wrmsr(LEGACY_CTR(3), 0x77);
	check("legacy CTR write reaches PERF_CTR", rdmsr(PERF_CTR(3)), 0x77);

	wrmsr(PERF_CTR(0), ~0ul);
	check("PERF_CTR is 48 bits wide", rdmsr(PERF_CTR(0)), CTR_MASK);

	check("rdmsr PERF_CTL(n) #GP", rdmsr_safe(PERF_CTL(num_counters), &v), 13);
	check("rdmsr PERF_CTR(n) #GP", rdmsr_safe(PERF_CTR(num_counters), &v), 13);
	check("wrmsr PERF_CTL(n) #GP", wrmsr_safe(PERF_CTL(num_counters), 0), 13);
	check("rdmsr 0xc001022f #GP", rdmsr_safe(0xc001022f, &v), 13);
	check("wrmsr PERF_CTL bit 21 #GP", wrmsr_safe(PERF_CTL(0), 1ul << 21), 13);
	check("wrmsr PERF_CTL bit 19 #GP", wrmsr_safe(PERF_CTL(0), 1ul << 19), 13);
	check("wrmsr PERF_CTL bit 36 #GP", wrmsr_safe(PERF_CTL(0), 1ul << 36), 13);
	check("wrmsr PERF_CTL bit 63 #GP", wrmsr_safe(PERF_CTL(0), 1ul << 63), 13);
	check("wrmsr PERF_CTL HostOnly|GuestOnly ok",
	      wrmsr_safe(PERF_CTL(0), HOSTONLY | GUESTONLY | (0xful << 32) |
			 CMASK(0xff) | INV | EN | INT | EDGE | OS | USR | 0xffff), -1);
	check("wrmsr GlobalCtl reserved bit #GP", wrmsr_safe(GLOBAL_CTL, 1ul << num_counters), 13);
	check("wrmsr GlobalStatus #GP", wrmsr_safe(GLOBAL_STATUS, 0), 13);
	/* Other bits are ignored, not #GP: Linux writes ~status after a PMI. */
	check("wrmsr GlobalStatusClr reserved bit ignored", wrmsr_safe(GLOBAL_CLR, 1ul << 40), -1);
	wrmsr(GLOBAL_SET, 0x5);
	check("GlobalStatusSet sets status bits", rdmsr(GLOBAL_STATUS), 0x5);
	wrmsr(GLOBAL_CLR, 0x1);
	check("GlobalStatusClr clears status bits", rdmsr(GLOBAL_STATUS), 0x4);
	pmu_clear();
	check("GlobalStatusClr clears all", rdmsr(GLOBAL_STATUS), 0);
}
