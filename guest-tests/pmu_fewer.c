// SPDX-License-Identifier: GPL-2.0
/*
 * A guest given fewer counters than the hardware (pmu_counters = 3) sees
 * a PMU with three. AMD PerfMonV2: CPUID EBX[3:0] = 3, GlobalCtl resets
 * to 0x7 and bit 3 raises #GP, PERF_CTL/CTR 3-5 and the legacy alias of
 * counter 3 raise #GP, RDPMC 3 raises #GP; GlobalStatusSet cannot set bit
 * 3. Intel: the same through CPUID.0AH and the architectural MSRs
 * (shape_intel()).
 * Counts stay exact while the hypervisor emulates the counters, the global
 * MSRs and RDPMC: at CPL 0 and 3, emulated instructions, RDPMC deltas,
 * overflow with an NMI at the exact instruction.
 * config: pmu_counters = 3
 * Catches: the hidden counters reachable (or counting into the guest's
 * view), a wrong count in CPUID or GlobalCtl, emulated counter reads that
 * are stale or miss the emulated RDPMC/RDMSR themselves, an emulated
 * GlobalCtl that does not gate counting, PMIs lost or late when the
 * global MSRs are emulated.
 * requires: pmu
 */
#include "pmu.h"

#define NR 3

/* 1 + 5n */
PMU_WINDOW(cpuid_loop,
	   "	mov %rsi, %r8\n"
	   "1:	xor %eax, %eax\n"
	   "	xor %ecx, %ecx\n"
	   "	cpuid\n"
	   "	dec %r8\n"
	   "	jnz 1b\n");

static volatile u32 nmis;
static volatile u64 nmi_rip, nmi_rcx, nmi_status;

static void on_nmi(u8 vector)
{
	struct gt_frame *f = gt_irq_frame();

	nmis++;
	nmi_rip = f->rip;
	nmi_rcx = f->rcx;
	nmi_status = rdmsr(MSR_GLOBAL_STATUS);
}

static u64 user_rdpmc_delta(u64 idx)
{
	return pmu_rdpmc_delta((u32)idx);
}

static u64 user_rdpmc_fault(u64 idx)
{
	u64 v;

	return (u64)(s64)rdpmc_try((u32)idx, &v);
}

/*
 * Intel: CPUID.0AH EAX[15:8] = 3, GLOBAL_CTRL resets to 0x7 and takes the
 * fixed counters' bits but not bit 3; PERFEVTSEL/PMC/A_PMC 3-7 and RDPMC
 * 3 #GP; OVF_CTRL refuses bit 3.
 */
static void shape_intel(void)
{
	u32 a, b, c, d, bad = 0;
	u64 v;

	cpuid(0xa, 0, &a, &b, &c, &d);
	EXPECT_EQ(a & 0xff, 2);
	EXPECT_EQ(a >> 8 & 0xff, NR);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_CTL), 0x7);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0);
	for (u32 i = 0; i < NR; i++) {
		EXPECT_EQ(rdmsr(MSR_PERF_CTL(i)), 0);
		EXPECT_EQ(rdmsr(MSR_PERF_CTR(i)), 0);
		wrmsr(MSR_PERF_CTR(i), CTR_MASK);
		EXPECT_EQ(rdmsr(MSR_PERF_CTR(i)), CTR_MASK);
		EXPECT_EQ(rdmsr(MSR_INTEL_PMC(i)), CTR_MASK);
		EXPECT_EQ(rdpmc(i), CTR_MASK);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTR(i), 1ULL << CTR_BITS), 13);
		/* The legacy alias sign-extends bit 31 (SDM 21.2.4). */
		wrmsr(MSR_INTEL_PMC(i), 0x80000000);
		EXPECT_EQ(rdmsr(MSR_PERF_CTR(i)), CTR_MASK & ~0x7fffffffULL);
		wrmsr(MSR_INTEL_PMC(i), 0);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTL(i), 1ULL << 21), 13);
	}
	for (u32 i = NR; i < 8; i++) {
		u32 msrs[3] = { MSR_PERF_CTL(i), MSR_PERF_CTR(i),
				MSR_INTEL_PMC(i) };

		for (u32 j = 0; j < 3; j++) {
			if (rdmsr_try(msrs[j], &v) != 13 ||
			    wrmsr_try(msrs[j], 0) != 13) {
				gt_printf("MSR %#x: no #GP\n", msrs[j]);
				bad++;
			}
		}
	}
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(rdpmc_try(NR, &v), 13);
	EXPECT_EQ(rdpmc_try(5, &v), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, 1ULL << NR), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, 0x3f), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, 0x7 | 0x7ULL << 32), -1);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_CTL), 0x7 | 0x7ULL << 32);
	wrmsr(MSR_GLOBAL_CTL, 0x7);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS, 0), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_CLR, 1ULL << NR), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_CLR, 0x7), -1);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0);
}

static void shape(void)
{
	u32 a, b, c, d, bad = 0;
	u64 v;

	if (pmu_intel) {
		shape_intel();
		return;
	}

	cpuid(0x80000022, 0, &a, &b, &c, &d);
	EXPECT(a & 1);
	EXPECT_EQ(b & 0xf, NR);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_CTL), 0x7);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0);
	for (u32 i = 0; i < NR; i++) {
		EXPECT_EQ(rdmsr(MSR_PERF_CTL(i)), 0);
		EXPECT_EQ(rdmsr(MSR_PERF_CTR(i)), 0);
		wrmsr(MSR_PERF_CTR(i), ~0ULL);
		EXPECT_EQ(rdmsr(MSR_PERF_CTR(i)), CTR_MASK);
		EXPECT_EQ(rdmsr(MSR_K7_PERFCTR(i)), CTR_MASK);
		EXPECT_EQ(rdpmc(i), CTR_MASK);
		wrmsr(MSR_K7_PERFCTR(i), 0);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTL(i), 1ULL << 21), 13);
	}
	for (u32 msr = MSR_PERF_CTL(NR); msr <= MSR_PERF_LAST; msr++) {
		if (rdmsr_try(msr, &v) != 13 || wrmsr_try(msr, 0) != 13) {
			gt_printf("MSR %#x: no #GP\n", msr);
			bad++;
		}
	}
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(rdmsr_try(MSR_K7_EVNTSEL(NR), &v), 13);
	EXPECT_EQ(wrmsr_try(MSR_K7_EVNTSEL(NR), 0), 13);
	EXPECT_EQ(rdmsr_try(MSR_K7_PERFCTR(NR), &v), 13);
	EXPECT_EQ(wrmsr_try(MSR_K7_PERFCTR(NR), 0), 13);
	EXPECT_EQ(rdpmc_try(NR, &v), 13);
	EXPECT_EQ(rdpmc_try(5, &v), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, 1ULL << NR), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, 0x3f), 13);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_CTL), 0x7);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS, 0), 13);
	/*
	 * Bit 3 cannot be set. (The model raises #GP for it; docs/pmu.md
	 * lets StatusSet/Clr take any value: either way it stays clear.)
	 */
	wrmsr_try(MSR_GLOBAL_STATUS_SET, 1ULL << NR);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_SET, 0x5), -1);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0x5);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_CLR, 0x1), -1);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0x4);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_CLR, 0x7), -1);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0);
}

static void counts(void)
{
	const u64 n = 1000;

	pmu_reset();
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | SEL_USR | EV_INSNS);
	wrmsr(MSR_PERF_CTL(1), SEL_EN | SEL_OS | EV_BRANCHES);
	wrmsr(MSR_PERF_CTL(2), SEL_EN | SEL_USR | EV_INSNS);
	pmu_loop(0x7, n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), PMU_LOOP_INSNS(n));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), PMU_LOOP_BRANCHES(n));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), 0);

	pmu_reset();
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | SEL_USR | EV_INSNS);
	wrmsr(MSR_PERF_CTL(1), SEL_EN | SEL_OS | EV_INSNS);
	wrmsr(MSR_PERF_CTL(2), SEL_EN | SEL_USR | EV_BRANCHES);
	pmu_user_loop(0x7, n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), PMU_USER_LOOP_USR(n) +
		  PMU_USER_OS_INSNS);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), PMU_USER_OS_INSNS);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), PMU_USER_LOOP_USR_BRANCHES(n));

	/* GlobalCtl (emulated) gates the counters. */
	pmu_reset();
	for (u32 i = 0; i < NR; i++)
		wrmsr(MSR_PERF_CTL(i), SEL_EN | SEL_OS | EV_INSNS);
	pmu_loop(0x5, n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), PMU_LOOP_INSNS(n));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), PMU_LOOP_INSNS(n));

	/* Emulated instructions. */
	pmu_reset();
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | EV_INSNS);
	cpuid_loop(0x1, n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), 1 + 5 * n + PMU_STOP_INSNS);

	/* RDPMC deltas, at CPL 0 and (with CR4.PCE) CPL 3. */
	pmu_reset();
	wrmsr(MSR_PERF_CTL(2), SEL_EN | SEL_OS | SEL_USR | EV_INSNS);
	wrmsr(MSR_GLOBAL_CTL, 0x4);
	EXPECT_EQ(pmu_rdpmc_delta(2), 3);
	write_cr4(read_cr4() | X86_CR4_PCE);
	EXPECT_EQ(gt_user_call(user_rdpmc_delta, 2), 3);
	EXPECT_EQ(gt_user_call(user_rdpmc_fault, NR), 13);
	write_cr4(read_cr4() & ~X86_CR4_PCE);
	EXPECT_EQ(gt_user_call(user_rdpmc_fault, 0), 13);
	wrmsr(MSR_GLOBAL_CTL, 0);
}

static void overflow(void)
{
	const u64 n = 1000, k = 2 * 250 + 1;	/* the 250th JNZ */

	pmu_reset();
	nmis = 0;
	apic_write(APIC_SVR, 0x1ff);
	apic_write(APIC_LVTPC, LVT_NMI);
	gt_set_irq_handler(2, on_nmi);
	wrmsr(MSR_PERF_CTR(2), CTR_PRESET(k));
	wrmsr(MSR_PERF_CTL(2), SEL_EN | SEL_OS | SEL_INT | EV_INSNS);
	pmu_loop(0x4, n);
	EXPECT_EQ(nmis, 1);
	EXPECT_EQ(nmi_status, 0x4);
	EXPECT_EQ(nmi_rip, (u64)pmu_loop_dec);
	EXPECT_EQ(nmi_rcx, n - k / 2);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0x4);
	apic_write(APIC_LVTPC, LVT_MASKED);
	pmu_reset();
}

void test_main(void)
{
	EXPECT_EQ(pmu_require(), NR);
	gt_user_init();
	shape();
	counts();
	overflow();
}
