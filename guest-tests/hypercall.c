// SPDX-License-Identifier: GPL-2.0
/* Hypercall round trips and their error paths. */
#include "gt.h"

void test_main(void)
{
	s64 before, after;

	EXPECT_EQ(hypercall(PV_HC_VERSION, 0, 0), PV_VERSION);
	EXPECT_EQ(hypercall(PV_HC_ECHO, 0x1234abcd5678ef00ULL, 0),
		  ~0x1234abcd5678ef00ULL);
	EXPECT_EQ(hypercall(PV_HC_VCPU_ID, 0, 0), 0);
	EXPECT_EQ(hypercall(0xdead, 0, 0), -38);		/* ENOSYS */
	EXPECT_EQ(hypercall(PV_HC_EXIT_COUNT, 999, 0), -22);	/* EINVAL */
	/*
	 * The only guest of its image: nobody to wait for. Outside test mode
	 * (tests/console/console.cfg) a guest without `meet` may not meet.
	 */
	if (hypercall(PV_HC_RENDEZVOUS, 7, 0) == -1) {		/* EPERM */
		gt_printf("rendezvous refused outside test mode\n");
		EXPECT_EQ(hypercall(PV_HC_RENDEZVOUS, 0, 0), -1);
		/* Nor does it learn how many other guests run. */
		EXPECT_EQ(hypercall(PV_HC_RUNNING_VMS, 0, 0), -1);
	} else {
		EXPECT_EQ(hypercall(PV_HC_RENDEZVOUS, 0, 0), -22);
		EXPECT_EQ(hypercall(PV_HC_RENDEZVOUS, 1ULL << 32, 0), -22);
		EXPECT_EQ(hypercall(PV_HC_RENDEZVOUS, 7, 0), 0);
		EXPECT_EQ(hypercall(PV_HC_RENDEZVOUS, 3, 0), 0);
		EXPECT_EQ(hypercall(PV_HC_RUNNING_VMS, 0, 0) >= 1, 1);
	}

	before = hypercall(PV_HC_EXIT_COUNT, PV_EXIT_HYPERCALL, 0);
	for (int i = 0; i < 100; i++)
		hypercall(PV_HC_ECHO, i, 0);
	after = hypercall(PV_HC_EXIT_COUNT, PV_EXIT_HYPERCALL, 0);
	EXPECT_EQ(after - before, 101);

	/* Registers other than RAX survive a hypercall. */
	{
		register u64 r8 asm("r8") = 0x8888;
		register u64 r12 asm("r12") = 0x1212;
		register u64 r15 asm("r15") = 0x1515;
		u64 rbx = 0xbbbb, rcx = 0xcccc, rdx = 0xdddd, rbp_ok = 1;

		if (gt_amd)
			asm volatile("vmmcall"
				     : "+b"(rbx), "+c"(rcx), "+d"(rdx),
				       "+r"(r8), "+r"(r12), "+r"(r15)
				     : "a"((u64)PV_HC_VERSION)
				     : "memory");
		else
			asm volatile("vmcall"
				     : "+b"(rbx), "+c"(rcx), "+d"(rdx),
				       "+r"(r8), "+r"(r12), "+r"(r15)
				     : "a"((u64)PV_HC_VERSION)
				     : "memory");
		/* Copy out before any call clobbers the register variables. */
		u64 v8 = r8, v12 = r12, v15 = r15;

		EXPECT_EQ(rbx, 0xbbbb);
		EXPECT_EQ(rcx, 0xcccc);
		EXPECT_EQ(rdx, 0xdddd);
		EXPECT_EQ(v8, 0x8888);
		EXPECT_EQ(v12, 0x1212);
		EXPECT_EQ(v15, 0x1515);
		EXPECT(rbp_ok);
	}
}
