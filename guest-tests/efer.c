// SPDX-License-Identifier: GPL-2.0
/*
 * EFER writes the CPU would refuse raise #GP and change nothing; the
 * guest keeps running. In long mode with paging on: clearing LME (it may
 * not change while paging is enabled), every bit outside SCE/LME/LMA/NXE,
 * and LMA alone (read-only: ignored).
 * Catches: a refused value accepted into the VMCB/VMCS, where the next
 * entry fails and the hypervisor kills the guest.
 */
#include "gt.h"

#define MSR_EFER 0xc0000080
#define LME      BIT(8)
#define LMA      BIT(10)

void test_main(void)
{
	u64 v = 0, now = 0;
	u32 accepted = 0;

	EXPECT_EQ(rdmsr_try(MSR_EFER, &v), -1);
	EXPECT(v & LME);
	EXPECT(v & LMA);
	/* LME off with paging on. */
	EXPECT_EQ(wrmsr_try(MSR_EFER, v & ~LME), 13);
	EXPECT_EQ(wrmsr_try(MSR_EFER, v & ~(LME | LMA)), 13);
	/* Reserved bits (SVME is not offered: no SVM in CPUID). */
	for (u32 bit = 0; bit < 64; bit++) {
		if (bit == 0 || bit == 8 || bit == 10 || bit == 11)
			continue;
		if (wrmsr_try(MSR_EFER, v | (1ULL << bit)) != 13) {
			gt_printf("EFER bit %u accepted\n", bit);
			accepted++;
		}
	}
	EXPECT_EQ(accepted, 0);
	/* LMA is read-only: writing it cleared changes nothing. */
	EXPECT_EQ(wrmsr_try(MSR_EFER, v & ~LMA), -1);
	EXPECT_EQ(rdmsr_try(MSR_EFER, &now), -1);
	EXPECT_EQ(now, v);
	/* The same value is fine. */
	EXPECT_EQ(wrmsr_try(MSR_EFER, v), -1);
	EXPECT_EQ(rdmsr_try(MSR_EFER, &now), -1);
	EXPECT_EQ(now, v);
}
