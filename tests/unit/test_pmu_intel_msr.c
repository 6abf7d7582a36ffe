/* sources: pmu/intel.c pmu/rules.c hv/hw_record.c pmu/intel_msr.c pmu/core.c pmu/emulated.c pmu/filter.c pmu/guest.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the Intel mediated PMU's MSR accesses (pmu/intel_msr.c):
 * counter widths, #GP where the hardware gives it, event selectors
 * (AnyThread, the filter, emulation masks), on pmu_intel_fake.h's fake
 * PMU.
 */
#include "pmu_intel_fake.h"

/* ---- counter writes ---- */

static void check_widths(void)
{
	wr(INTEL_A_PMC(0), 0xff0123456789ULL);
	assert_int_equal(rd(INTEL_A_PMC(0)), 0xff0123456789ULL);
	assert_int_equal(rd(INTEL_PMC(0)), 0xff0123456789ULL);
	/* Legacy: 32 bits, bit 31 sign-extended to the width. */
	wr(INTEL_PMC(1), 0xdead80000001ULL);
	assert_int_equal(rd(INTEL_A_PMC(1)), 0xffff80000001ULL);
	wr(INTEL_PMC(1), 0x7fffffffULL);
	assert_int_equal(rd(INTEL_PMC(1)), 0x7fffffffULL);
	/* Full width: beyond 48 bits #GP, nothing written. */
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_A_PMC(0), 1ULL << 48),
			 -EINVAL);
	assert_int_equal(rd(INTEL_A_PMC(0)), 0xff0123456789ULL);
	wr(INTEL_FIXED_CTR(2), W48);
	assert_int_equal(rd(INTEL_FIXED_CTR(2)), W48);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_FIXED_CTR(1), 1ULL << 48),
			 -EINVAL);
}

static void test_widths_saved(void **state)
{
	(void)state;
	check_widths();
	assert_int_equal(p->ctr[1], 0x7fffffffULL);
	assert_int_equal(hw.accesses, 0);
}

static void test_widths_live(void **state)
{
	u64 v;

	(void)state;
	load();
	check_widths();
	assert_int_equal(hw.ctr[0], 0xff0123456789ULL);
	assert_int_equal(hw.fixed[2], W48);
	assert_int_equal(pmu_rdpmc(&vcpu, INTEL_RDPMC_FIXED | 2, &v), 0);
	assert_int_equal(v, W48);
}

/* ---- #GP where the hardware gives it ---- */

static void test_gp_cases(void **state)
{
	u64 v;

	(void)state;
	/* PERFEVTSEL v2: AnyThread (bit 21) and 63:32 reserved. */
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_PERFEVTSEL(0),
				       PMU_SEL_EN | PMU_SEL_ANY | 0xc0), -EINVAL);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_PERFEVTSEL(0), BIT(32)),
			 -EINVAL);
	assert_int_equal(p->sel[0], 0);
	/* FIXED_CTR_CTRL: AnyThread bits, fields beyond the fixed count. */
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_FIXED_CTR_CTRL, 0x4), -EINVAL);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_FIXED_CTR_CTRL, 0x1000),
			 -EINVAL);
	wr(INTEL_FIXED_CTR_CTRL, 0xbbb);
	/* GLOBAL_*: reserved bits, read-only status, the v4 registers. */
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_GLOBAL_CTRL, BIT(4)), -EINVAL);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_GLOBAL_CTRL, BIT(35)), -EINVAL);
	wr(INTEL_GLOBAL_CTRL, 0xf | 7ULL << 32);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_GLOBAL_STATUS, 0), -EINVAL);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_GLOBAL_OVF_CTRL, BIT(40)),
			 -EINVAL);
	wr(INTEL_GLOBAL_OVF_CTRL, BIT(63) | BIT(62) | 1);
	assert_int_equal(rd(INTEL_GLOBAL_OVF_CTRL), 0);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_GLOBAL_STATUS_SET, 1), -EINVAL);
	assert_int_equal(pmu_msr_read(&vcpu, INTEL_GLOBAL_INUSE, &v), -EINVAL);
	/* RDPMC: fast reads, bad indexes. */
	assert_int_equal(pmu_rdpmc(&vcpu, INTEL_RDPMC_FAST, &v), -EINVAL);
	assert_int_equal(pmu_rdpmc(&vcpu, HOST_GP, &v), -EINVAL);
	assert_int_equal(pmu_rdpmc(&vcpu, INTEL_RDPMC_FIXED | HOST_FIXED, &v),
			 -EINVAL);
	assert_int_equal(pmu_rdpmc(&vcpu, 64, &v), -EINVAL);
	/* CR4.PCE = 0 at CPL 3 (pmu/guest.c). */
	fv.cr4 = 0;
	assert_int_equal(pmu_rdpmc(&vcpu, 0, &v), -EINVAL);
	fv.cr4 = X86_CR4_PCE;
	assert_int_equal(pmu_rdpmc(&vcpu, 0, &v), 0);
}

/* ---- selectors: AnyThread stripped, filter, emulation masks ---- */

static void test_anythread_stripped(void **state)
{
	u64 hw_sel;

	(void)state;
	hw_sel = intel_sel_hw(p, 0, PMU_SEL_EN | PMU_SEL_ANY | PMU_SEL_USR | 0x3c);
	assert_int_equal(hw_sel, PMU_SEL_EN | PMU_SEL_USR | 0x3c);
	assert_int_equal(intel_fixed_ctrl_hw(p, 0x777), 0x333);
	/* Pin control never reaches the hardware either. */
	wr(INTEL_PERFEVTSEL(1), PMU_SEL_EN | PMU_SEL_OS | BIT(19) | 0x3c);
	assert_int_equal(rd(INTEL_PERFEVTSEL(1)),
			 PMU_SEL_EN | PMU_SEL_OS | BIT(19) | 0x3c);
	assert_int_equal(p->sel_hw[1], PMU_SEL_EN | PMU_SEL_OS | 0x3c);
}

static void test_filter(void **state)
{
	struct pmu_filter f = { .action = PMU_FILTER_DENY, .nr = 1,
				.fixed = 0x6,
				.ev = { { .event = 0xc0, .umask = 0 } } };
	u64 sel = PMU_SEL_EN | PMU_SEL_USR | PMU_SEL_OS | 0xc0;

	(void)state;
	p->filter = &f;
	load();
	wr(INTEL_PERFEVTSEL(0), sel);
	assert_int_equal(rd(INTEL_PERFEVTSEL(0)), sel);	/* guest's view */
	assert_int_equal(hw.sel[0], 0);			/* disabled */
	assert_int_equal(p->emu_insn[0] | p->emu_insn[1], 0);
	assert_int_equal(p->stats.filtered, 1);
	wr(INTEL_PERFEVTSEL(1), sel | 0x100);		/* umask 1: allowed */
	assert_int_equal(hw.sel[1], sel | 0x100);
	/* Fixed counter 0 refused by the bitmap, 1 and 2 allowed. */
	wr(INTEL_FIXED_CTR_CTRL, 0x333);
	assert_int_equal(rd(INTEL_FIXED_CTR_CTRL), 0x333);
	assert_int_equal(hw.fixed_ctrl, 0x330);
	assert_int_equal(p->emu_insn[1] & BIT(32), 0);
}

static void test_emu_masks(void **state)
{
	(void)state;
	wr(INTEL_PERFEVTSEL(0), PMU_SEL_EN | PMU_SEL_USR | 0xc0);
	wr(INTEL_PERFEVTSEL(1), PMU_SEL_EN | PMU_SEL_OS | 0xc4);
	wr(INTEL_PERFEVTSEL(2), PMU_SEL_EN | PMU_SEL_OS | PMU_SEL_INV | 0xc0);
	wr(INTEL_PERFEVTSEL(3), PMU_SEL_EN | PMU_SEL_OS | 0x1c0);
	wr(INTEL_FIXED_CTR_CTRL, 0x2);		/* fixed 0, USR */
	assert_int_equal(p->emu_insn[1], BIT(0) | BIT(32));
	assert_int_equal(p->emu_insn[0], 0);
	assert_int_equal(p->emu_branch[0], BIT(1));
	assert_int_equal(p->emu_branch[1], 0);
	wr(INTEL_PERFEVTSEL(0), 0);
	assert_int_equal(p->emu_insn[1], BIT(32));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_widths_saved),
		T(test_widths_live),
		T(test_gp_cases),
		T(test_anythread_stripped),
		T(test_filter),
		T(test_emu_masks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
