// SPDX-License-Identifier: GPL-2.0
/*
 * MSR policy: unknown MSRs raise #GP on read and write, known ones behave,
 * passed-through ones keep their values.
 */
#include "gt.h"

#define MSR_EFER     0xc0000080
#define MSR_FS_BASE  0xc0000100
#define MSR_TSC_AUX  0xc0000103
#define MSR_PAT      0x277

void test_main(void)
{
	u64 v = 0;

	/* Made-up MSRs: #GP, as on hardware (QEMU TCG alone would not). */
	EXPECT_EQ(rdmsr_try(0xdead, &v), 13);
	EXPECT_EQ(gt_last_error(), 0);
	EXPECT_EQ(wrmsr_try(0xdead, 1), 13);
	EXPECT_EQ(rdmsr_try(0xc0011fff, &v), 13);
	/* AMD's legacy PERF_CTR0 exists with or without a guest PMU. */
	if (gt_amd) {
		EXPECT_EQ(rdmsr_try(0xc0010004, &v), -1);
		EXPECT_EQ(v, 0);
	}

	/*
	 * IA32_BIOS_SIGN_ID / AMD PATCH_LEVEL: no microcode update loaded;
	 * Intel's "write 0, CPUID, read" works, AMD's register is read-only.
	 */
	EXPECT_EQ(wrmsr_try(0x8b, 0), gt_amd ? 13 : -1);
	EXPECT_EQ(rdmsr_try(0x8b, &v), -1);
	EXPECT_EQ(v, 0);

	/* EFER: long mode active, SVME hidden from the guest. */
	EXPECT_EQ(rdmsr_try(MSR_EFER, &v), -1);
	EXPECT(v & (1 << 10));		/* LMA */
	EXPECT(!(v & (1 << 12)));	/* SVME */
	EXPECT_EQ(wrmsr_try(MSR_EFER, v | (1ULL << 40)), 13);

	/* PAT: a valid value sticks, a reserved type is refused. */
	EXPECT_EQ(wrmsr_try(MSR_PAT, 0x0007040600070406ULL), -1);
	EXPECT_EQ(wrmsr_try(MSR_PAT, 0x0007040600070402ULL), 13);
	EXPECT_EQ(rdmsr_try(MSR_PAT, &v), -1);
	EXPECT_EQ(v, 0x0007040600070406ULL);

	/* TSC_AUX round trip. */
	EXPECT_EQ(wrmsr_try(MSR_TSC_AUX, 0x42), -1);
	EXPECT_EQ(rdmsr_try(MSR_TSC_AUX, &v), -1);
	EXPECT_EQ(v, 0x42);

	/* FS base is passed through: no exit, value kept. */
	EXPECT_EQ(wrmsr_try(MSR_FS_BASE, 0x12345000), -1);
	EXPECT_EQ(rdmsr_try(MSR_FS_BASE, &v), -1);
	EXPECT_EQ(v, 0x12345000);
}
