// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmutest (QEMU): exact counts of counted_loop(), the events, CMASK/INV/
 * EDGE, RDPMC, and overflow with its PMI (NMI and fixed vector, at the
 * exact instruction).
 */
#include "pmutest.h"

void test_counting(void)
{
	const u64 loops = 100000;
	u64 v0, v1;
	unsigned i;

	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | USR | EV_INSNS);
	wrmsr(PERF_CTL(1), EN | OS | EV_INSNS);
	wrmsr(PERF_CTL(2), EN | USR | EV_INSNS);
	wrmsr(PERF_CTL(3), EN | OS | EV_CYCLES);
	wrmsr(PERF_CTL(4), EN | OS | 0x99);			/* unknown */
	wrmsr(PERF_CTL(5), OS | EV_INSNS);			/* EN clear */
	counted_loop(0x3f, loops);
	check("retired instructions, CPL0 loop, exact", rdmsr(PERF_CTR(0)), 2 * loops + 4);
	check("retired instructions, OS only", rdmsr(PERF_CTR(1)), 2 * loops + 4);
	check("retired instructions, USR only at CPL0", rdmsr(PERF_CTR(2)), 0);
	check("cycles = retired instructions", rdmsr(PERF_CTR(3)), 2 * loops + 4);
	check("unknown event counts nothing", rdmsr(PERF_CTR(4)), 0);
	check("EN clear counts nothing", rdmsr(PERF_CTR(5)), 0);

	/* A counter that cannot count never overflows, and costs nothing. */
	pmu_clear();
	nmi_count = 0;
	lapic[0x340 / 4] = 0x400;
	wrmsr(PERF_CTR(0), CTR_MASK);
	wrmsr(PERF_CTL(0), EN | OS | INT | EV_MISPRED);
	wrmsr(PERF_CTR(1), CTR_MASK);
	wrmsr(PERF_CTL(1), EN | OS | INT | EV_INSNS | CMASK(3));
	counted_loop(0x3, loops);
	check("mispredicts at 2^48-1: no overflow", rdmsr(PERF_CTR(0)), CTR_MASK);
	check("CMASK=3 at 2^48-1: no overflow", rdmsr(PERF_CTR(1)), CTR_MASK);
	check("counters that cannot count: no PMI", nmi_count, 0);
	lapic[0x340 / 4] = 0x10000;

	/* GlobalCtl: only the selected counters count. */
	pmu_clear();
	for (i = 0; i < num_counters; i++)
		wrmsr(PERF_CTL(i), EN | OS | EV_INSNS);
	counted_loop(0x5, 1000);
	check("GlobalCtl bit 0 set counts", rdmsr(PERF_CTR(0)), 2004);
	check("GlobalCtl bit 1 clear does not count", rdmsr(PERF_CTR(1)), 0);
	check("GlobalCtl bit 2 set counts", rdmsr(PERF_CTR(2)), 2004);

	/* Branches: the loop has 1000 jnz, 999 taken. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_BRANCHES);
	wrmsr(PERF_CTL(1), EN | OS | EV_TAKEN);
	wrmsr(PERF_CTL(2), EN | OS | EV_MISPRED);
	counted_loop(0x7, 1000);
	check("retired branches", rdmsr(PERF_CTR(0)), 1000);
	check("retired taken branches", rdmsr(PERF_CTR(1)), 999);
	check("retired mispredicted branches (model: 0)", rdmsr(PERF_CTR(2)), 0);

	/* CMASK / INV / EDGE with one instruction per cycle. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | CMASK(1));
	wrmsr(PERF_CTL(1), EN | OS | EV_INSNS | CMASK(2));
	wrmsr(PERF_CTL(2), EN | OS | EV_INSNS | CMASK(2) | INV);
	wrmsr(PERF_CTL(3), EN | OS | EV_INSNS | CMASK(1) | INV);
	wrmsr(PERF_CTL(4), EN | OS | EV_INSNS | CMASK(1) | EDGE);
	wrmsr(PERF_CTL(5), EN | OS | EV_BRANCHES | CMASK(1) | INV);
	counted_loop(0x3f, 1000);
	check("CMASK=1: cycles with >= 1 instruction", rdmsr(PERF_CTR(0)), 2004);
	check("CMASK=2: never 2 instructions per cycle", rdmsr(PERF_CTR(1)), 0);
	check("CMASK=2 INV: cycles with < 2 instructions", rdmsr(PERF_CTR(2)), 2004);
	check("CMASK=1 INV: cycles with no instruction", rdmsr(PERF_CTR(3)), 0);
	check("CMASK=1 EDGE: condition never falls", rdmsr(PERF_CTR(4)), 0);
	check("branches CMASK=1 INV: cycles without a branch", rdmsr(PERF_CTR(5)), 1004);

	/* RDPMC reads the counter; the reading instruction not included. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS);
	wrmsr(PERF_CTL(1), EN | OS | EV_INSNS);
	wrmsr(GLOBAL_CTL, 0x3);
	/* Both counters started together: c1 - c0 = rdpmc + 3 x mov. */
	v1 = rdpmc_delta_0_1();
	check("RDPMC delta over 3 instructions (+1 for the first RDPMC)", v1, 4);
	check("RDPMC of counter n #GP", rdpmc_safe(num_counters, &v0), 13);
	check("RDPMC ecx=0x40000000 #GP", rdpmc_safe(0x40000000, &v0), 13);
	pmu_clear();
}

/* Overflow after exactly @period instructions of counted_loop(). */
static void pmi_run(u64 period, int nmi)
{
	const u64 loops = 1000;

	pmu_clear();
	pmi_count = nmi_count = 0;
	pmi_rip = pmi_rcx = 0;
	lapic[0x340 / 4] = nmi ? 0x400 : PMI_VECTOR;	/* LVTPC */
	wrmsr(PERF_CTR(0), (1ul << 48) - period);
	wrmsr(PERF_CTL(0), EN | OS | INT | EV_INSNS);
	counted_loop(0x1, loops);
}

void test_pmi(void)
{
	u64 period;

	/*
	 * Overflow at the 2j+1-th instruction (the j-th jnz): the PMI comes
	 * before the next dec, with rcx = loops - j.
	 */
	period = 2 * 300 + 1;
	__asm__ volatile("cli");
	pmi_run(period, 1);
	check("overflow: NMI delivered once", nmi_count, 1);
	check("overflow: GlobalStatus bit 0", rdmsr(GLOBAL_STATUS) & 1, 1);
	/* (the NMI handler counts too: OS) */
	check("overflow: counter wrapped", rdmsr(PERF_CTR(0)) < 100000, 1);
	check("NMI right after the overflowing jnz (rcx)", pmi_rcx, 1000 - 300);
	check("NMI right after the overflowing jnz (rip)", pmi_rip, (u64)loop_dec);

	period = 2 * 450;
	pmi_run(period, 1);
	check("NMI right after the overflowing dec (rcx)", pmi_rcx, 1000 - 450);
	check("NMI right after the overflowing dec (rip)", pmi_rip, (u64)loop_jnz);

	/* No INT bit: status set, no interrupt. */
	pmu_clear();
	nmi_count = 0;
	wrmsr(PERF_CTR(0), (1ul << 48) - 10);
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS);
	counted_loop(0x1, 100);
	check("overflow without INT: no PMI", nmi_count, 0);
	check("overflow without INT: GlobalStatus", rdmsr(GLOBAL_STATUS), 1);

	/* Fixed delivery through the IDT, interrupts on. */
	pmu_clear();
	__asm__ volatile("sti");
	pmi_run(2 * 100 + 1, 0);
	__asm__ volatile("cli");
	check("overflow: fixed-vector PMI delivered once", pmi_count, 1);
	check("fixed PMI: no NMI", nmi_count, 0);
	lapic[0x340 / 4] = 0x10000;			/* masked */
	pmu_clear();
}
