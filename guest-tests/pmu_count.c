// SPDX-License-Identifier: GPL-2.0
/*
 * Exact counts, as on bare metal of the model: retired instructions
 * (0xc0), branches (AMD 0xc2, Intel 0xc4), taken branches (AMD 0xc4) and
 * cycles (AMD 0x76, Intel 0x3c, one per instruction on both models) of a
 * known loop at CPL 0 and of one at CPL 3 (left by INT and by a fault);
 * USR only, OS only, both, neither; EN clear; a GlobalCtl bit clear;
 * Host-Only/Guest-Only (AMD: count nothing, to the guest EFER.SVME is 0); a
 * counter keeps counting from a preset value and across windows; loops of
 * 4 * 10^7 instructions stay exact (pmu_nohost interrupts one with a
 * timer).
 * Catches: miscounting by the mediated PMU (lost or extra counts around
 * world switches, the hypervisor's own instructions counted, USR/OS
 * swapped or ignored, GuestOnly forced but Host/Guest-Only of the guest
 * not honoured, EN or GlobalCtl ignored, the 0x76 event remapped; an
 * IRETQ to ring 3 counted as a user instruction).
 * requires: pmu
 */
#include <hv/exit.h>
#include "pmu.h"

/* Counters in CPUID: 6 on the model, 5 under `profile = on`. */
static u32 nr_ctrs;
#define ALL ((1ULL << nr_ctrs) - 1)

static void prog(u32 i, u64 sel)
{
	wrmsr(MSR_PERF_CTL(i), sel);
}

static u64 ctr(u32 i)
{
	return rdmsr(MSR_PERF_CTR(i));
}

static void ring0(u64 n)
{
	pmu_reset();
	prog(0, SEL_EN | SEL_OS | SEL_USR | EV_INSNS);
	prog(1, SEL_EN | SEL_OS | EV_INSNS);
	prog(2, SEL_EN | SEL_USR | EV_INSNS);
	prog(3, SEL_EN | SEL_OS | EV_CYCLES);
	prog(4, SEL_EN | SEL_OS | EV_BRANCHES);
	if (nr_ctrs > 5)
		prog(5, SEL_OS | EV_INSNS);		/* EN clear */
	pmu_loop(ALL, n);
	EXPECT_EQ(ctr(0), PMU_LOOP_INSNS(n));
	EXPECT_EQ(ctr(1), PMU_LOOP_INSNS(n));
	EXPECT_EQ(ctr(2), 0);
	EXPECT_EQ(ctr(3), PMU_CYCLES_OF(PMU_LOOP_INSNS(n)));
	EXPECT_EQ(ctr(4), PMU_LOOP_BRANCHES(n));
	if (nr_ctrs > 5)
		EXPECT_EQ(ctr(5), 0);
}

static void ring0_more(void)
{
	const u64 n = 1000;

	const u32 nr = pmu_nr_counters();

	/*
	 * Neither USR nor OS; taken branches (AMD; Intel has no such
	 * architectural event); mispredicted (model: 0).
	 */
	pmu_reset();
	prog(0, SEL_EN | EV_INSNS);
	if (!pmu_intel)
		prog(1, SEL_EN | SEL_OS | EV_TAKEN);
	prog(2, SEL_EN | SEL_OS | SEL_USR | EV_MISPRED);
	prog(3, SEL_EN | SEL_OS | SEL_USR | 0x99);	/* no such event */
	pmu_loop(ALL, n);
	EXPECT_EQ(ctr(0), 0);
	if (!pmu_intel)
		EXPECT_EQ(ctr(1), PMU_LOOP_TAKEN(n));
	EXPECT_EQ(ctr(2), 0);
	EXPECT_EQ(ctr(3), 0);

	/* GlobalCtl: only the enabled counters count (all of CPUID's). */
	pmu_reset();
	for (u32 i = 0; i < nr; i++)
		prog(i, SEL_EN | SEL_OS | EV_INSNS);
	pmu_loop(0x55555555 & ((1ULL << nr) - 1), n);
	for (u32 i = 0; i < nr; i++)
		EXPECT_EQ(ctr(i), i % 2 ? 0 : PMU_LOOP_INSNS(n));

	/* From a preset value, and on across a second window. */
	pmu_reset();
	prog(0, SEL_EN | SEL_OS | EV_INSNS);
	wrmsr(MSR_PERF_CTR(0), 1000000);
	pmu_loop(1, n);
	pmu_loop(1, 2 * n);
	EXPECT_EQ(ctr(0), 1000000 + PMU_LOOP_INSNS(n) + PMU_LOOP_INSNS(2 * n));

	/* Host-Only / Guest-Only (AMD): the guest runs with EFER.SVME = 0. */
	if (pmu_intel)
		return;
	pmu_reset();
	prog(0, SEL_EN | SEL_OS | EV_INSNS | SEL_GUESTONLY);
	prog(1, SEL_EN | SEL_OS | EV_INSNS | SEL_HOSTONLY);
	prog(2, SEL_EN | SEL_OS | EV_INSNS | SEL_HOSTONLY | SEL_GUESTONLY);
	prog(3, SEL_EN | SEL_OS | EV_INSNS);
	pmu_loop(ALL, n);
	EXPECT_EQ(ctr(0), 0);
	EXPECT_EQ(ctr(1), 0);
	EXPECT_EQ(ctr(2), 0);
	EXPECT_EQ(ctr(3), PMU_LOOP_INSNS(n));
	EXPECT_EQ(rdmsr(MSR_PERF_CTL(0)), SEL_EN | SEL_OS | EV_INSNS |
		  SEL_GUESTONLY);
	EXPECT_EQ(rdmsr(MSR_PERF_CTL(2)), SEL_EN | SEL_OS | EV_INSNS |
		  SEL_HOSTONLY | SEL_GUESTONLY);
}

static void ring3(u64 n)
{
	pmu_reset();
	prog(0, SEL_EN | SEL_USR | EV_INSNS);
	prog(1, SEL_EN | SEL_OS | EV_INSNS);
	prog(2, SEL_EN | SEL_USR | SEL_OS | EV_INSNS);
	prog(3, SEL_EN | SEL_USR | EV_BRANCHES);
	prog(4, SEL_EN | SEL_OS | EV_BRANCHES);
	if (nr_ctrs > 5)
		prog(5, SEL_EN | SEL_USR | EV_CYCLES);
	pmu_user_loop(ALL, n);
	EXPECT_EQ(ctr(0), PMU_USER_LOOP_USR(n));
	EXPECT_EQ(ctr(1), PMU_USER_OS_INSNS);
	EXPECT_EQ(ctr(2), PMU_USER_LOOP_USR(n) + PMU_USER_OS_INSNS);
	EXPECT_EQ(ctr(3), PMU_USER_LOOP_USR_BRANCHES(n));
	EXPECT_EQ(ctr(4), PMU_USER_OS_BRANCHES);
	if (nr_ctrs > 5)
		EXPECT_EQ(ctr(5), PMU_USER_LOOP_USR(n));

	/* Neither bit, EN clear, GlobalCtl bit clear: nothing, at CPL 3 too. */
	pmu_reset();
	prog(0, SEL_EN | EV_INSNS);
	prog(1, SEL_USR | SEL_OS | EV_INSNS);
	prog(2, SEL_EN | SEL_USR | EV_INSNS);
	prog(3, SEL_EN | SEL_USR | EV_INSNS);
	pmu_user_loop(0x7, n);
	EXPECT_EQ(ctr(0), 0);
	EXPECT_EQ(ctr(1), 0);
	EXPECT_EQ(ctr(2), PMU_USER_LOOP_USR(n));
	EXPECT_EQ(ctr(3), 0);

	/*
	 * An instruction counts at the privilege level it starts in: the
	 * IRETQ into ring 3 is an OS instruction. The INT exit above cannot
	 * tell (an IRETQ counted at CPL 3 and the INT at CPL 0 give the same
	 * totals); a fault out of ring 3, which retires nothing there, can,
	 * as a timer tick taken at CPL 3 does for Linux's instructions:u.
	 * AMD's retired-branch event also counts the delivery of the #UD,
	 * at the CPL it is taken from ("including exceptions and
	 * interrupts", event 0xC2 in the family 19h PPR); Intel's 0xC4
	 * counts branch instructions only.
	 */
	pmu_reset();
	prog(0, SEL_EN | SEL_USR | EV_INSNS);
	prog(1, SEL_EN | SEL_OS | EV_INSNS);
	prog(2, SEL_EN | SEL_USR | EV_BRANCHES);
	gt_set_gate(6, gt_user_ret, 0);
	pmu_user_fault_loop(0x7, n);
	gt_reset_gate(6);
	EXPECT_EQ(ctr(0), PMU_USER_FAULT_LOOP_USR(n));
	EXPECT_EQ(ctr(1), PMU_USER_OS_INSNS);
	EXPECT_EQ(ctr(2), (u64)n + gt_amd);
}

void test_main(void)
{
	s64 intr0;

	nr_ctrs = pmu_require();
	EXPECT(nr_ctrs >= 5);
	gt_user_init();
	ring0(1);
	ring0(1000);
	ring0_more();
	ring3(1);
	ring3(1000);
	/* Long loops (the hypervisor has no periodic tick: exits are rare). */
	intr0 = hypercall(PV_HC_EXIT_COUNT, EXIT_HOST_INTR, 0);
	ring0(20000000);
	ring3(20000000);
	gt_printf("host interrupt exits during the long loops: %lld\n",
		  (long long)(hypercall(PV_HC_EXIT_COUNT, EXIT_HOST_INTR, 0) -
			      intr0));
	pmu_reset();
}
