// SPDX-License-Identifier: GPL-2.0
/*
 * IA32_MISC_ENABLE (SDM vol. 4 table 2-2) as hardware keeps it: fast
 * strings (bit 0) on after reset and writable, BTS and PEBS unavailable
 * (bits 11 and 12) read-only set, writes to the writable bits kept, a
 * write to a reserved bit #GP; bit 22 limits CPUID.0:EAX to 2.
 */
#include "gt.h"

#define MSR_MISC_ENABLE 0x1a0
#define FAST_STRING     (1ULL << 0)
#define BTS_UNAVAIL     (1ULL << 11)
#define PEBS_UNAVAIL    (1ULL << 12)
#define LIMIT_CPUID     (1ULL << 22)
#define XTPR_DISABLE    (1ULL << 23)

void test_main(void)
{
	u64 v = rdmsr(MSR_MISC_ENABLE);

	gt_printf("IA32_MISC_ENABLE %#llx\n", (unsigned long long)v);
	EXPECT(v & FAST_STRING);
	EXPECT(v & BTS_UNAVAIL);
	EXPECT(v & PEBS_UNAVAIL);

	/* Writable bits are kept. */
	EXPECT_EQ(wrmsr_try(MSR_MISC_ENABLE, v & ~FAST_STRING), -1);
	EXPECT_EQ(rdmsr(MSR_MISC_ENABLE), v & ~FAST_STRING);
	EXPECT_EQ(wrmsr_try(MSR_MISC_ENABLE, v | XTPR_DISABLE), -1);
	EXPECT_EQ(rdmsr(MSR_MISC_ENABLE), v | XTPR_DISABLE);
	EXPECT_EQ(wrmsr_try(MSR_MISC_ENABLE, v), -1);
	EXPECT_EQ(rdmsr(MSR_MISC_ENABLE), v);

	/* Limit CPUID maxval. */
	EXPECT_EQ(wrmsr_try(MSR_MISC_ENABLE, v | LIMIT_CPUID), -1);
	{
		u32 a, b, c, d;

		cpuid(0, 0, &a, &b, &c, &d);
		EXPECT(a <= 2);
	}
	wrmsr(MSR_MISC_ENABLE, v);

	/* Read-only bits: a write leaves them as they are. */
	EXPECT_EQ(wrmsr_try(MSR_MISC_ENABLE, v & ~PEBS_UNAVAIL), -1);
	EXPECT_EQ(rdmsr(MSR_MISC_ENABLE), v);

	/* Reserved bits (1, 2, 63): #GP, nothing changes. */
	EXPECT_EQ(wrmsr_try(MSR_MISC_ENABLE, v | (1ULL << 1)), 13);
	EXPECT_EQ(wrmsr_try(MSR_MISC_ENABLE, v | (1ULL << 2)), 13);
	EXPECT_EQ(wrmsr_try(MSR_MISC_ENABLE, v | (1ULL << 63)), 13);
	EXPECT_EQ(rdmsr(MSR_MISC_ENABLE), v);
}
