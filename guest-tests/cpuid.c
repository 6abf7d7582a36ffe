// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID policy: the hypervisor leaves and signature, the hypervisor bit,
 * and the features perfvisor cannot back are hidden.
 */
#include "gt.h"

void test_main(void)
{
	u32 a, b, c, d;
	char sig[13];

	cpuid(PV_CPUID_BASE, 0, &a, &b, &c, &d);
	*(u32 *)&sig[0] = b;
	*(u32 *)&sig[4] = c;
	*(u32 *)&sig[8] = d;
	sig[12] = 0;
	EXPECT(a >= PV_CPUID_TIMING);
	EXPECT(!strcmp(sig, "perfvisor"));

	cpuid(PV_CPUID_FEATURES, 0, &a, &b, &c, &d);
	EXPECT(a & PV_FEAT_HYPERCALL);

	cpuid(PV_CPUID_TIMING, 0, &a, &b, &c, &d);
	EXPECT(a > 100000);		/* TSC faster than 100 MHz, in kHz */

	cpuid(1, 0, &a, &b, &c, &d);
	EXPECT(c & (1u << 31));		/* hypervisor present */
	EXPECT(!(c & (1u << 5)));	/* no VMX */
	EXPECT(!(c & (1u << 3)));	/* no MONITOR */
	EXPECT_EQ(b >> 24, 0);		/* initial APIC ID = vCPU 0 */

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	EXPECT(!(c & (1u << 2)));	/* no SVM */
	/* PerfCtrExtCore and leaf 0x80000022: pmu_cpuid, pmu_off. */

	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 0xa) {
		/*
		 * The Intel PMU leaf: 0 on AMD and without a guest PMU, else
		 * version 2 (pmu_intel and pmu_off_intel check the rest).
		 */
		cpuid(0xa, 0, &a, &b, &c, &d);
		EXPECT((a & 0xff) == 0 || (!gt_amd && (a & 0xff) == 2));
	}
	/* Every CPUID above exited to the hypervisor and was counted. */
	EXPECT(hypercall(PV_HC_EXIT_COUNT, PV_EXIT_CPUID, 0) >= 7);
}
