// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel architectural PMU as a guest sees it (docs/pmu.md: version 2
 * with full-width writes; on our Bochs model, docs/bochs-pmu.md): CPUID
 * leaf 0AH (version 2, the counters and widths, the fixed counters, the
 * events available), CPUID.1 PDCM, IA32_MISC_ENABLE bit 7, the reset value
 * of every MSR, what each MSR keeps and which writes #GP (SDM vol. 3
 * 21.2.1-21.2.4: PERFEVTSEL bit 21 and 63:32, A_PMC beyond 48 bits,
 * FIXED_CTR_CTRL's AnyThread bits, GLOBAL_CTRL/OVF_CTRL beyond the
 * counters, the read-only GLOBAL_STATUS and PERF_CAPABILITIES, the v4
 * registers 0x391/0x392, counters beyond CPUID's count), the legacy PMC
 * alias's sign extension; then the fixed counters count a known loop
 * exactly (instructions, cycles, reference cycles; OS/USR; GLOBAL_CTRL's
 * bits 32-34) and a fixed counter's overflow raises one PMI at the exact
 * instruction with its status bit 32 + i.
 * Catches: a guest PMU that is not the version CPUID says (v3/v4 bits
 * accepted or v2 bits refused), a wrong count or width, AnyThread reaching
 * the hardware, fixed counters not switched or not counted, a fixed
 * counter's PMI or status bit lost.
 * requires: pmu-intel
 */
#include "pmu.h"

#define MSR_MISC_ENABLE 0x1a0u

static u32 nr, nr_fixed;
static volatile u32 nmis;
static volatile u64 nmi_rip, nmi_status;

static void on_nmi(u8 vector)
{
	struct gt_frame *f = gt_irq_frame();

	nmis++;
	nmi_rip = f->rip;
	nmi_status = rdmsr(MSR_GLOBAL_STATUS);
}

/* RDMSR that must not fault (a FAIL line if it does). */
static u64 rd(u32 msr)
{
	u64 v = 0xdeadbeef;

	if (rdmsr_try(msr, &v) != -1) {
		gt_printf("rdmsr %#x faulted\n", msr);
		EXPECT(!"rdmsr faulted");
	}
	return v;
}

static bool gp_both(u32 msr)
{
	u64 v;

	return rdmsr_try(msr, &v) == 13 && wrmsr_try(msr, 0) == 13;
}

static void cpuid_leaf(void)
{
	u32 a, b, c, d;

	cpuid(0xa, 0, &a, &b, &c, &d);
	EXPECT_EQ(a & 0xff, 2);			/* version 2 */
	EXPECT(nr >= 1 && nr <= 8);
	EXPECT_EQ(a >> 16 & 0xff, CTR_BITS);
	EXPECT(a >> 24 >= 7);			/* EBX bits 0..6 defined */
	/* Cycles, instructions, reference cycles, branches, mispredicts. */
	EXPECT_EQ(b & 0x67, 0);
	EXPECT_EQ(nr_fixed, 3);
	EXPECT_EQ(d >> 5 & 0xff, CTR_BITS);
	cpuid(1, 0, &a, &b, &c, &d);
	EXPECT(c & (1u << 15));			/* PDCM */
	EXPECT(!(c & (1u << 2)));		/* no DTES64 */
	EXPECT(!(d & (1u << 21)));		/* no DS */
	EXPECT(rd(MSR_MISC_ENABLE) & (1u << 7));	/* PMU available */
	EXPECT(rd(MSR_MISC_ENABLE) & (1u << 12));	/* no PEBS */
}

static void reset_values(void)
{
	for (u32 i = 0; i < nr; i++) {
		EXPECT_EQ(rd(MSR_PERF_CTL(i)), 0);
		EXPECT_EQ(rd(MSR_PERF_CTR(i)), 0);
		EXPECT_EQ(rd(MSR_INTEL_PMC(i)), 0);
	}
	for (u32 i = 0; i < nr_fixed; i++)
		EXPECT_EQ(rd(MSR_INTEL_FIXED_CTR(i)), 0);
	EXPECT_EQ(rd(MSR_INTEL_FIXED_CTR_CTRL), 0);
	EXPECT_EQ(rd(MSR_GLOBAL_CTL), (1ULL << nr) - 1);
	EXPECT_EQ(rd(MSR_GLOBAL_STATUS), 0);
	EXPECT_EQ(rd(MSR_GLOBAL_STATUS_CLR), 0);
	EXPECT_EQ(rd(MSR_INTEL_PERF_CAPS), 1u << 13);	/* FW_WRITE only */
}

static void msrs(void)
{
	u64 fixed_all = 0, sel = SEL_EVENT(0xc0) | SEL_UMASK(0x5a) | SEL_USR |
		      SEL_OS | SEL_EDGE | SEL_INT | SEL_INV | SEL_CMASK(3);
	u32 bad = 0;

	for (u32 i = 0; i < nr_fixed; i++)
		fixed_all |= INTEL_FIXED_BIT(i);
	wrmsr(MSR_GLOBAL_CTL, 0);
	for (u32 i = 0; i < nr; i++) {
		/* EN clear: every defined bit kept, the rest #GP. */
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTL(i), sel + i), -1);
		EXPECT_EQ(rd(MSR_PERF_CTL(i)), sel + i);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTL(i), sel | 1ULL << 21), 13);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTL(i), sel | 1ULL << 32), 13);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTL(i), sel | 1ULL << 63), 13);
		EXPECT_EQ(rd(MSR_PERF_CTL(i)), sel + i);
		wrmsr(MSR_PERF_CTL(i), 0);
		/* Full width, and the legacy alias. */
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTR(i), CTR_MASK - i), -1);
		EXPECT_EQ(rd(MSR_INTEL_PMC(i)), CTR_MASK - i);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTR(i), 1ULL << CTR_BITS), 13);
		EXPECT_EQ(rd(MSR_PERF_CTR(i)), CTR_MASK - i);
		wrmsr(MSR_INTEL_PMC(i), 0x7fffffff);
		EXPECT_EQ(rd(MSR_PERF_CTR(i)), 0x7fffffff);
		wrmsr(MSR_INTEL_PMC(i), 0xffffffff80000000ULL);
		EXPECT_EQ(rd(MSR_PERF_CTR(i)), CTR_MASK & ~0x7fffffffULL);
		wrmsr(MSR_PERF_CTR(i), 0);
	}
	for (u32 i = nr; i < 8; i++)
		if (!gp_both(MSR_PERF_CTL(i)) || !gp_both(MSR_PERF_CTR(i)) ||
		    !gp_both(MSR_INTEL_PMC(i))) {
			gt_printf("counter %u beyond CPUID's %u: no #GP\n", i, nr);
			bad++;
		}
	for (u32 i = 0; i < nr_fixed; i++) {
		EXPECT_EQ(wrmsr_try(MSR_INTEL_FIXED_CTR(i), CTR_MASK - i), -1);
		EXPECT_EQ(rd(MSR_INTEL_FIXED_CTR(i)), CTR_MASK - i);
		EXPECT_EQ(wrmsr_try(MSR_INTEL_FIXED_CTR(i), 1ULL << CTR_BITS),
			  13);
		wrmsr(MSR_INTEL_FIXED_CTR(i), 0);
	}
	if (!gp_both(MSR_INTEL_FIXED_CTR(nr_fixed))) {
		gt_printf("fixed counter %u: no #GP\n", nr_fixed);
		bad++;
	}
	/* FIXED_CTR_CTRL: OS, USR, PMI per counter; AnyThread (v3) #GP. */
	EXPECT_EQ(wrmsr_try(MSR_INTEL_FIXED_CTR_CTRL, 0xbbb), -1);
	EXPECT_EQ(rd(MSR_INTEL_FIXED_CTR_CTRL), 0xbbb);
	EXPECT_EQ(wrmsr_try(MSR_INTEL_FIXED_CTR_CTRL, 0x4), 13);
	EXPECT_EQ(wrmsr_try(MSR_INTEL_FIXED_CTR_CTRL, 0x1000), 13);
	EXPECT_EQ(rd(MSR_INTEL_FIXED_CTR_CTRL), 0xbbb);
	wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0);
	/* GLOBAL_CTRL: the counters' bits only. */
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, ((1ULL << nr) - 1) | fixed_all),
		  -1);
	EXPECT_EQ(rd(MSR_GLOBAL_CTL), ((1ULL << nr) - 1) | fixed_all);
	if (nr < 32)
		EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, 1ULL << nr), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, INTEL_FIXED_BIT(nr_fixed)), 13);
	EXPECT_EQ(rd(MSR_GLOBAL_CTL), ((1ULL << nr) - 1) | fixed_all);
	wrmsr(MSR_GLOBAL_CTL, 0);
	/* Read-only, write-only, and the registers a v2 PMU lacks. */
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS, 0), 13);
	EXPECT_EQ(wrmsr_try(MSR_INTEL_PERF_CAPS, 1u << 13), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_CLR, 3ULL << 62 | 1), -1);
	if (nr < 32)
		EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_CLR, 1ULL << nr), 13);
	EXPECT(gp_both(0x391));			/* GLOBAL_STATUS_SET (v4) */
	EXPECT(gp_both(0x392));			/* GLOBAL_INUSE (v4) */
	EXPECT_EQ(bad, 0);
}

static void fixed_counts(void)
{
	const u64 n = 1000;

	/* Fixed 0 OS+USR, fixed 1 OS, fixed 2 USR only: a CPL 0 loop. */
	pmu_reset();
	wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0x213);
	pmu_loop(INTEL_FIXED_BIT(0) | INTEL_FIXED_BIT(1) |
		 INTEL_FIXED_BIT(2), n);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(0)), PMU_LOOP_INSNS(n));
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(1)), PMU_LOOP_INSNS(n));
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(2)), 0);

	/* At CPL 3: fixed 0 both, fixed 1 USR (cycles), fixed 2 OS. */
	pmu_reset();
	wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0x123);
	pmu_user_loop(INTEL_FIXED_BIT(0) | INTEL_FIXED_BIT(1) |
		      INTEL_FIXED_BIT(2), n);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(0)), PMU_USER_LOOP_USR(n) +
		  PMU_USER_OS_INSNS);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(1)), PMU_USER_LOOP_USR(n));
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(2)), PMU_USER_OS_INSNS);

	/* Reference cycles (fixed 2) = cycles on the model; GLOBAL_CTRL. */
	pmu_reset();
	wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0x333);
	pmu_loop(INTEL_FIXED_BIT(2) | INTEL_FIXED_BIT(0), n);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(0)), PMU_LOOP_INSNS(n));
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(1)), 0);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(2)), PMU_LOOP_INSNS(n));
}

/* Fixed counter 0 overflows on the @k-th loop instruction: one NMI. */
static void fixed_pmi(u64 k)
{
	const u64 n = 1000;

	pmu_reset();
	nmis = 0;
	nmi_rip = nmi_status = 0;
	apic_write(APIC_LVTPC, LVT_NMI);
	wrmsr(MSR_INTEL_FIXED_CTR(0), CTR_PRESET(k));
	wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0x9);	/* OS, PMI */
	pmu_loop(INTEL_FIXED_BIT(0), n);
	EXPECT_EQ(nmis, 1);
	EXPECT_EQ(nmi_status, INTEL_FIXED_BIT(0));
	EXPECT_EQ(nmi_rip, k % 2 ? (u64)pmu_loop_dec : (u64)pmu_loop_jnz);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), INTEL_FIXED_BIT(0));
	/* Delivery masked LVTPC, as Intel's local APIC does. */
	EXPECT(apic_read(APIC_LVTPC) & LVT_MASKED);
	wrmsr(MSR_GLOBAL_STATUS_CLR, INTEL_FIXED_BIT(0));
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0);

	/* Without the PMI bit: the status only. */
	pmu_reset();
	nmis = 0;
	apic_write(APIC_LVTPC, LVT_NMI);
	wrmsr(MSR_INTEL_FIXED_CTR(1), CTR_PRESET(k));
	wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0x10);	/* fixed 1 OS */
	pmu_loop(INTEL_FIXED_BIT(1), n);
	EXPECT_EQ(nmis, 0);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), INTEL_FIXED_BIT(1));
	apic_write(APIC_LVTPC, LVT_MASKED);
	pmu_reset();
}

void test_main(void)
{
	if (!pmu_intel) {
		EXPECT(!"an Intel CPU");
		return;
	}
	nr = pmu_require();
	nr_fixed = gt_pmu.nr_fixed;
	gt_user_init();
	apic_write(APIC_SVR, 0x1ff);
	gt_set_irq_handler(2, on_nmi);
	cpuid_leaf();
	reset_values();
	msrs();
	fixed_counts();
	fixed_pmi(2 * 300 + 1);
	fixed_pmi(2 * 77);
}
