/* sources: pmu/intel.c pmu/rules.c hv/hw_record.c pmu/intel_msr.c pmu/core.c pmu/emulated.c pmu/filter.c pmu/guest.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the Intel mediated PMU around a running guest: emulated
 * instructions counted (add_one) and their overflow, load and put of the
 * guest's counters, an exit round trip, the snapshot and the PMI's
 * auto-mask, on pmu_intel_fake.h's fake PMU.
 */
#include "pmu_intel_fake.h"

/* ---- emulated instructions: add_one ---- */

static void check_overflow(bool live)
{
	u64 before;

	/* Programmed with GLOBAL_CTRL 0: the WRMSRs themselves count nothing. */
	wr(INTEL_GLOBAL_CTRL, 0);
	wr(INTEL_PERFEVTSEL(0), PMU_SEL_EN | PMU_SEL_USR | PMU_SEL_INT | 0xc0);
	wr(INTEL_PERFEVTSEL(1), PMU_SEL_EN | PMU_SEL_USR | 0xc4);
	wr(INTEL_FIXED_CTR_CTRL, 0x2 | INTEL_FIXED_PMI);
	wr(INTEL_A_PMC(0), W48 - 1);
	wr(INTEL_A_PMC(1), 10);
	wr(INTEL_FIXED_CTR(0), W48);
	wr(INTEL_GLOBAL_CTRL, 0x3 | BIT(32));	/* retires under the old 0 */
	before = p->stats.emulated;
	assert_int_equal(rd(INTEL_A_PMC(0)), W48 - 1);
	pmu_retired_insn(&vcpu, false);		/* counter 0 at W48 */
	assert_int_equal(rd(INTEL_A_PMC(0)), W48);
	assert_int_equal(rd(INTEL_FIXED_CTR(0)), 0);	/* wrapped */
	assert_int_equal(rd(INTEL_GLOBAL_STATUS), BIT(32));
	assert_int_equal(p->pmi_pending, 1);
	p->pmi_pending = 0;
	assert_int_equal(rd(INTEL_A_PMC(1)), 10);	/* not a branch */
	pmu_retired_insn(&vcpu, true);
	assert_int_equal(rd(INTEL_A_PMC(0)), 0);
	assert_int_equal(rd(INTEL_A_PMC(1)), 11);
	assert_int_equal(rd(INTEL_FIXED_CTR(0)), 1);
	assert_int_equal(rd(INTEL_GLOBAL_STATUS), BIT(32) | BIT(0));
	assert_int_equal(p->pmi_pending, 1);
	assert_int_equal(p->stats.emulated, before + 2);
	if (live) {
		assert_int_equal(hw.status, BIT(32) | BIT(0));
		assert_true(hw.status_set_writes >= 2);
	}
	/* CPL 0: USR-only counters do not count; disabled ones neither. */
	fake_cpl = 0;
	pmu_retired_insn(&vcpu, true);
	assert_int_equal(rd(INTEL_A_PMC(1)), 11);
	fake_cpl = 3;
	wr(INTEL_GLOBAL_CTRL, 0);
	pmu_retired_insn(&vcpu, true);
	assert_int_equal(rd(INTEL_A_PMC(1)), 11);
}

static void test_add_one_saved(void **state)
{
	(void)state;
	check_overflow(false);
	assert_int_equal(hw.accesses, 0);
}

static void test_add_one_live(void **state)
{
	(void)state;
	load();
	check_overflow(true);
}

/* A counter without INT overflows: status, no PMI. */
static void test_overflow_no_int(void **state)
{
	(void)state;
	wr(INTEL_PERFEVTSEL(0), PMU_SEL_EN | PMU_SEL_USR | 0xc0);
	wr(INTEL_A_PMC(0), W48);
	pmu_retired_insn(&vcpu, false);
	assert_int_equal(rd(INTEL_GLOBAL_STATUS), BIT(0));
	assert_int_equal(p->pmi_pending, 0);
}

/* ---- load and put ---- */

static void test_load_restores_status(void **state)
{
	(void)state;
	p->global_status = BIT(0) | BIT(33);
	p->ctr[2] = 77;
	p->fixed_ctr[1] = 88;
	wr(INTEL_PERFEVTSEL(2), PMU_SEL_EN | PMU_SEL_OS | 0x3c);
	wr(INTEL_FIXED_CTR_CTRL, 0x30);
	wr(INTEL_GLOBAL_CTRL, BIT(2) | BIT(33));
	hw.status = BIT(1);		/* something stale: must go */
	load();
	assert_int_equal(hw.status, BIT(0) | BIT(33));
	assert_int_equal(hw.status_set_writes, 1);
	assert_int_equal(hw.ovf_writes, 1);
	assert_int_equal(hw.ctr[2], 77);
	assert_int_equal(hw.fixed[1], 88);
	assert_int_equal(hw.sel[2], PMU_SEL_EN | PMU_SEL_OS | 0x3c);
	assert_int_equal(hw.fixed_ctrl, 0x30);
	assert_int_equal(hw.global_ctrl, 0);	/* the VMCS has it */
	assert_int_equal(fv.guest_field, BIT(2) | BIT(33));
	assert_int_equal(rd(INTEL_GLOBAL_STATUS), BIT(0) | BIT(33));
	assert_true(p->stats.msr_switch >= 7);	/* load: counted as a switch */
}

static void test_put_saves_and_zeroes(void **state)
{
	(void)state;
	wr(INTEL_PERFEVTSEL(0), PMU_SEL_EN | PMU_SEL_OS | 0x3c);
	wr(INTEL_FIXED_CTR_CTRL, 0x333);
	load();
	/* The guest ran: counts, an overflow, a GLOBAL_CTRL it wrote. */
	hw.ctr[0] = 5000;
	hw.ctr[3] = 3;
	hw.fixed[0] = 42;
	hw.status = BIT(3) | BIT(34);
	fv.guest_field = BIT(0) | BIT(32);
	pmu_guest_exit(&vcpu);
	assert_int_equal(p->global_ctrl, BIT(0) | BIT(32));
	pmu_vcpu_put(&vcpu);
	assert_false(p->loaded);
	assert_true(hw_clean());
	assert_int_equal(p->ctr[0], 5000);
	assert_int_equal(p->ctr[3], 3);
	assert_int_equal(p->fixed_ctr[0], 42);
	assert_int_equal(p->global_status, BIT(3) | BIT(34));
	assert_int_equal(p->global_ctrl, BIT(0) | BIT(32));
	assert_int_equal(p->stats.saves, 1);
	/* And back: the same state in the hardware. */
	load();
	assert_int_equal(hw.ctr[0], 5000);
	assert_int_equal(hw.fixed[0], 42);
	assert_int_equal(hw.status, BIT(3) | BIT(34));
	assert_int_equal(hw.sel[0], PMU_SEL_EN | PMU_SEL_OS | 0x3c);
	assert_int_equal(hw.fixed_ctrl, 0x333);
	assert_int_equal(fv.guest_field, BIT(0) | BIT(32));
	pmu_vcpu_put(&vcpu);
	assert_true(hw_clean());
}

static void test_exit_round_trip_no_msr(void **state)
{
	(void)state;
	wr(INTEL_PERFEVTSEL(0), PMU_SEL_EN | PMU_SEL_OS | PMU_SEL_USR | 0x3c);
	load();
	hw.accesses = 0;
	p->stats.msr_exit = 0;
	for (int i = 0; i < 10; i++) {
		pmu_guest_enter(&vcpu);
		fv.guest_field ^= BIT(1);	/* the guest's own WRMSRs */
		pmu_guest_exit(&vcpu);
		pmu_retired_insn(&vcpu, i & 1);
		pmu_vcpu_poll(&vcpu);
	}
	assert_int_equal(p->stats.msr_exit, 0);
	assert_int_equal(hw.accesses, 0);
	assert_int_equal(p->stats.emulated, 0);
}

static void test_snapshot(void **state)
{
	struct pmu_snapshot s;

	(void)state;
	wr(INTEL_PERFEVTSEL(1), PMU_SEL_EN | PMU_SEL_OS | 0x3c);
	load();
	hw.ctr[1] = 99;
	hw.fixed[2] = 7;
	hw.status = BIT(1);
	memset(&s, 0, sizeof(s));
	pmu_intel_ops.snapshot(&vcpu, &s);
	assert_int_equal(s.ctr[1], 99);
	assert_int_equal(s.fixed_ctr[2], 7);
	assert_int_equal(s.sel_hw_read[1], PMU_SEL_EN | PMU_SEL_OS | 0x3c);
	assert_int_equal(s.global_ctrl, 0xf);
	assert_int_equal(s.global_status, BIT(1));
}

/* A host PMI, then delivery with the auto-mask. */
static void test_pmi_auto_mask(void **state)
{
	(void)state;
	load();
	vcpu.lapic.lvt[LVT_PERF] = 0x400;	/* NMI, unmasked */
	pmu_host_pmi();
	pmu_vcpu_poll(&vcpu);
	assert_int_equal(pmis_delivered, 1);
	assert_true(vcpu.lapic.lvt[LVT_PERF] & APIC_LVT_MASKED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_add_one_saved),
		T(test_add_one_live),
		T(test_overflow_no_int),
		T(test_load_restores_status),
		T(test_put_saves_and_zeroes),
		T(test_exit_round_trip_no_msr),
		T(test_snapshot),
		T(test_pmi_auto_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
