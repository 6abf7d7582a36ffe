// SPDX-License-Identifier: GPL-2.0
/*
 * Exception injection by the hypervisor, with and without error codes, and
 * exceptions the guest raises itself, delivered through the guest's IDT.
 */
#include "gt.h"

static int inject(u8 vector, u32 error, u64 *ret)
{
	int vec;

	*ret = (u64)hypercall_try(PV_HC_INJECT, vector, error, &vec);
	return vec;
}

void test_main(void)
{
	u64 ret;

	EXPECT_EQ(inject(6, 0, &ret), 6);		/* #UD */
	EXPECT_EQ(ret, 0);
	EXPECT_EQ(inject(13, 0x10, &ret), 13);		/* #GP(0x10) */
	EXPECT_EQ(gt_last_error(), 0x10);
	EXPECT_EQ(inject(14, 0x2, &ret), 14);		/* #PF(write) */
	EXPECT_EQ(gt_last_error(), 0x2);
	EXPECT_EQ(inject(0, 0, &ret), 0);		/* #DE */
	EXPECT_EQ(inject(17, 0, &ret), 17);		/* #AC(0) */
	EXPECT_EQ(gt_last_error(), 0);
	/* NMI and reserved vectors are refused. */
	EXPECT_EQ(inject(2, 0, &ret), -1);
	EXPECT_EQ((s64)ret, -22);
	EXPECT_EQ(inject(40, 0, &ret), -1);
	EXPECT_EQ((s64)ret, -22);

	/* The guest's own #UD and #DE go to its IDT, not to the hypervisor. */
	gt_clear_exception();
	asm volatile(ASM_TRY("1f") "ud2\n1:" ::: "memory");
	EXPECT_EQ(gt_last_vector(), 6);
	gt_clear_exception();
	{
		u64 a = 1, d = 0, z = 0;

		asm volatile(ASM_TRY("1f") "divq %2\n1:"
			     : "+a"(a), "+d"(d)
			     : "r"(z)
			     : "memory");
	}
	EXPECT_EQ(gt_last_vector(), 0);
	/* Virtualization instructions are #UD for the guest. */
	gt_clear_exception();
	if (gt_amd)
		asm volatile(ASM_TRY("1f") "vmrun\n1:" ::"a"(0ULL) : "memory");
	else
		asm volatile(ASM_TRY("1f") "vmxoff\n1:" ::: "memory");
	EXPECT_EQ(gt_last_vector(), 6);
}
