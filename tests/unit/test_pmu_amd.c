/* sources: pmu/amd.c pmu/amd_msr.c pmu/rules.c hv/hw_record.c pmu/core.c pmu/emulated.c pmu/filter.c pmu/guest.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the AMD PerfMonV2 mediated PMU (pmu/amd.c) against a fake
 * PMU of 6 core counters behind pmu_hw and the fake virt of pmu_fake.h.
 */
#include "pmu_fake.h"

#define NR 6
#define W48 ((1ULL << 48) - 1)
#define CTL(i) (0xc0010200 + 2 * (i))
#define CTR(i) (0xc0010201 + 2 * (i))
#define K7_CTL(i) (0xc0010000 + (i))
#define K7_CTR(i) (0xc0010004 + (i))
#define G_STATUS 0xc0000300
#define G_CTL 0xc0000301
#define G_CLR 0xc0000302
#define G_SET 0xc0000303
#define GUESTONLY BIT(40)
#define HOSTONLY BIT(41)

static struct {
	u64 ctl[NR], ctr[NR], gctl, status;
	u32 accesses;
} hw;

static u64 *reg(u32 msr)
{
	if (msr >= CTL(0) && msr <= CTR(NR - 1))
		return (msr - CTL(0)) & 1 ? &hw.ctr[(msr - CTL(0)) / 2] :
					    &hw.ctl[(msr - CTL(0)) / 2];
	if (msr >= K7_CTL(0) && msr <= K7_CTL(3))
		return &hw.ctl[msr - K7_CTL(0)];
	if (msr >= K7_CTR(0) && msr <= K7_CTR(3))
		return &hw.ctr[msr - K7_CTR(0)];
	if (msr == G_CTL)
		return &hw.gctl;
	if (msr == G_STATUS)
		return &hw.status;
	return NULL;
}

static u64 hw_rdmsr(u32 msr)
{
	u64 *r = reg(msr);

	hw.accesses++;
	assert_non_null(r);
	return *r;
}

static void hw_wrmsr(u32 msr, u64 val)
{
	u64 *r;

	hw.accesses++;
	if (msr == G_CLR) {
		hw.status &= ~val;
		return;
	}
	if (msr == G_SET) {
		hw.status |= val;
		return;
	}
	assert_int_not_equal(msr, G_STATUS);	/* read-only */
	r = reg(msr);
	assert_non_null(r);
	*r = val;
}

static u64 hw_rdpmc(u32 ecx)
{
	hw.accesses++;
	assert_true(ecx < NR);
	return hw.ctr[ecx];
}

static void hw_write_lvtpc(u32 val)
{
	(void)val;
}

static const struct pmu_hw_ops fake_hw = {
	.rdmsr = hw_rdmsr, .wrmsr = hw_wrmsr, .rdpmc = hw_rdpmc,
	.write_lvtpc = hw_write_lvtpc,
};

const struct pmu_hw_ops *pmu_hw = &fake_hw;

static struct cfg_vm cfg;
static struct vm vm;
static struct vcpu vcpu;
static struct vpmu *p = &vcpu.pmu;

static bool hw_clean(void)
{
	for (u32 i = 0; i < NR; i++)
		if (hw.ctl[i] || hw.ctr[i])
			return false;
	return !hw.gctl && !hw.status;
}

static int setup_vm(enum cfg_pmu on, u32 counters)
{
	memset(&hw, 0, sizeof(hw));
	memset(&fv, 0, sizeof(fv));
	memset(&cfg, 0, sizeof(cfg));
	memset(&vm, 0, sizeof(vm));
	memset(&vcpu, 0, sizeof(vcpu));
	memset(&pmu_host, 0, sizeof(pmu_host));
	pmu_ops = &pmu_amd_ops;
	pmu_host.vendor = PMU_VENDOR_AMD;
	pmu_host.usable = pmu_host.perfmon_v2 = pmu_host.perfctr_core = true;
	pmu_host.nr_gp = NR;
	pmu_host.gp_width = 48;
	fv.cr4 = X86_CR4_PCE;
	cfg.pmu = on;
	cfg.pmu_counters = counters;
	vm.cfg = &cfg;
	assert_int_equal(pmu_vm_init(&vm), 0);
	vcpu.vm = &vm;
	assert_int_equal(pmu_vcpu_init(&vcpu), 0);
	fake_cpl = 3;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_vm(CFG_PMU_DEFAULT, 0);
}

static int teardown(void **state)
{
	(void)state;
	pmu_vcpu_put(&vcpu);
	return 0;
}

static u64 rd(u32 msr)
{
	u64 v = 0xdead;

	assert_int_equal(pmu_msr_read(&vcpu, msr, &v), 0);
	return v;
}

static void wr(u32 msr, u64 val)
{
	assert_int_equal(pmu_msr_write(&vcpu, msr, val), 0);
}

static void test_layout_and_intercepts(void **state)
{
	(void)state;
	assert_true(p->on && p->passthrough);
	assert_false(p->auto_mask);
	assert_int_equal(p->global_ctrl, 0x3f);
	assert_int_equal(fake_intercepted(CTR(5)), 0);
	assert_int_equal(fake_intercepted(K7_CTR(3)), 0);
	assert_int_equal(fake_intercepted(G_CTL), 0);
	assert_int_equal(fake_intercepted(CTL(0)), -1);	/* never opened */
	assert_false(fv.rdpmc_icpt);
	setup_vm(CFG_PMU_DEFAULT, 4);
	assert_false(p->passthrough);
	assert_int_equal(fake_intercepted(CTR(0)), 1);
	assert_int_equal(fake_intercepted(G_STATUS), 1);
	assert_true(fv.rdpmc_icpt);
}

static void test_guestonly_forced(void **state)
{
	u64 sel = PMU_SEL_EN | PMU_SEL_USR | 0x76;

	(void)state;
	pmu_vcpu_load(&vcpu);
	wr(CTL(0), sel);
	assert_int_equal(rd(CTL(0)), sel);
	assert_int_equal(hw.ctl[0], sel | GUESTONLY);
	/* To the guest EFER.SVME = 0: Host/GuestOnly count nothing. */
	wr(CTL(1), sel | HOSTONLY);
	assert_int_equal(rd(CTL(1)), sel | HOSTONLY);
	assert_int_equal(hw.ctl[1], 0);
	wr(K7_CTL(2), sel | GUESTONLY);
	assert_int_equal(hw.ctl[2], 0);
	assert_int_equal(pmu_msr_write(&vcpu, CTL(0), BIT(21)), -EINVAL);
	assert_int_equal(pmu_msr_write(&vcpu, CTL(0), BIT(42)), -EINVAL);
}

static void test_filter_12bit(void **state)
{
	struct pmu_filter f = { .action = PMU_FILTER_DENY, .nr = 1,
				.ev = { { .event = 0x1c2, .any_umask = true } } };

	(void)state;
	p->filter = &f;
	wr(CTL(0), PMU_SEL_EN | PMU_SEL_OS | 0xc2);
	wr(CTL(1), PMU_SEL_EN | PMU_SEL_OS | 0xc2 | (1ULL << 32));
	assert_true(p->sel_hw[0] & PMU_SEL_EN);
	assert_int_equal(p->sel_hw[1], 0);
	assert_int_equal(p->stats.filtered, 1);
	assert_int_equal(p->emu_branch[0], BIT(0));
}

static void test_gp_and_k7(void **state)
{
	u64 v;

	(void)state;
	assert_int_equal(pmu_msr_write(&vcpu, G_STATUS, 0), -EINVAL);
	assert_int_equal(pmu_msr_write(&vcpu, G_CTL, BIT(6)), -EINVAL);
	assert_int_equal(pmu_rdpmc(&vcpu, NR, &v), -EINVAL);
	wr(K7_CTR(1), 0x123456789abcULL | BIT(60));	/* bits 63:48 ignored */
	assert_int_equal(rd(CTR(1)), 0x123456789abcULL);
	setup_vm(CFG_PMU_OFF, 0);
	assert_int_equal(rd(K7_CTR(0)), 0);		/* K7 always exists */
	assert_int_equal(pmu_msr_read(&vcpu, CTR(0), &v), -EINVAL);
	assert_int_equal(pmu_rdpmc(&vcpu, 3, &v), 0);
	assert_int_equal(pmu_rdpmc(&vcpu, 4, &v), -EINVAL);
}

static void test_load_put_clean(void **state)
{
	(void)state;
	wr(CTL(3), PMU_SEL_EN | PMU_SEL_OS | 0x76);
	p->ctr[3] = 1000;
	p->global_status = BIT(2);
	hw.accesses = 0;
	pmu_vcpu_load(&vcpu);
	assert_int_equal(hw.ctr[3], 1000);
	assert_int_equal(hw.status, BIT(2));
	assert_int_equal(hw.gctl, 0x3f);
	hw.ctr[3] = 2000;
	hw.status |= BIT(3);
	pmu_vcpu_put(&vcpu);
	assert_true(hw_clean());
	assert_int_equal(p->ctr[3], 2000);
	assert_int_equal(p->global_status, BIT(2) | BIT(3));
	assert_int_equal(p->global_ctrl, 0x3f);
}

static void test_add_one_overflow(void **state)
{
	(void)state;
	pmu_vcpu_load(&vcpu);
	wr(G_CTL, 0);
	wr(CTL(0), PMU_SEL_EN | PMU_SEL_USR | PMU_SEL_INT | 0xc0);
	wr(CTR(0), W48);
	wr(G_CTL, 1);			/* retires under the old 0 */
	pmu_retired_insn(&vcpu, false);
	assert_int_equal(hw.ctr[0], 0);
	assert_int_equal(hw.status, BIT(0));
	assert_int_equal(p->pmi_pending, 1);
}

static void test_round_trip_no_msr(void **state)
{
	(void)state;
	wr(CTL(0), PMU_SEL_EN | PMU_SEL_USR | 0x76);
	pmu_vcpu_load(&vcpu);
	hw.accesses = 0;
	p->stats.msr_exit = 0;
	for (int i = 0; i < 10; i++) {
		pmu_guest_enter(&vcpu);
		pmu_guest_exit(&vcpu);
		pmu_retired_insn(&vcpu, i & 1);
	}
	assert_int_equal(p->stats.msr_exit, 0);
	assert_int_equal(hw.accesses, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_layout_and_intercepts),
		T(test_guestonly_forced),
		T(test_filter_12bit),
		T(test_gp_and_k7),
		T(test_load_put_clean),
		T(test_add_one_overflow),
		T(test_round_trip_no_msr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
