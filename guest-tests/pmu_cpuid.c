// SPDX-License-Identifier: GPL-2.0
/*
 * The PMU in CPUID, as on an AMD PerfMonV2 machine: 0x80000001 ECX[23]
 * PerfCtrExtCore, the extended maximum leaf reaching 0x80000022, whose
 * EAX[0] is PerfMonV2 and EBX[3:0] the number of core counters (all six
 * of the model by default, five under `profile = on`, where the
 * hypervisor keeps the highest; pmu_fewer checks `pmu_counters = 3`).
 * Catches: a PMU hidden from the guest, a wrong counter count, NB/L2
 * counter extensions or LBR bits claimed that are not emulated.
 * requires: pmu-amd
 */
#include "pmu.h"

void test_main(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	EXPECT(a >= 0x80000022);
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	EXPECT(c & (1u << 23));			/* PerfCtrExtCore */
	EXPECT(!(c & (1u << 24)));		/* PerfCtrExtNB: not offered */
	EXPECT(!(c & (1u << 28)));		/* PerfCtrExtLLC: not offered */
	cpuid(0x80000022, 0, &a, &b, &c, &d);
	EXPECT(a & 1);				/* PerfMonV2 */
	EXPECT(!(a & 2));			/* LbrStack: no LBR v2 */
	/* NumPerfCtrCore */
	EXPECT((b & 0xf) == PMU_MAX_COUNTERS ||
	       (b & 0xf) == PMU_MAX_COUNTERS - 1);
	EXPECT_EQ(b >> 4 & 0x3f, 0);		/* LbrV2StackSize */
	EXPECT_EQ(pmu_nr_counters(), b & 0xf);
}
