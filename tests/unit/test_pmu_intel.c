/* sources: pmu/intel.c pmu/rules.c hv/hw_record.c pmu/intel_msr.c pmu/core.c pmu/emulated.c pmu/filter.c pmu/guest.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the Intel mediated PMU (pmu/intel.c, pmu/intel_msr.c)
 * against a fake architectural PMU (v5, 4 GP + 3 fixed counters of 48
 * bits, FW_WRITE) behind pmu_hw and a fake virt recording the intercepts,
 * the PERF_GLOBAL_CTRL controls and the VMCS guest field.
 */
#include "pmu_fake.h"
#include <pmu/intel.h>

#define W48 ((1ULL << 48) - 1)
#define HOST_GP 4
#define HOST_FIXED 3

/* ---- the fake Intel PMU ---- */

static struct {
	u64 ctr[8], sel[8], fixed[4];
	u64 fixed_ctrl, global_ctrl, status;
	u64 perf_caps;
	u32 accesses;		/* every rdmsr/wrmsr/rdpmc */
	u32 status_set_writes, ovf_writes;
	u32 lvtpc;
} hw;

static u64 hw_rdmsr(u32 msr)
{
	hw.accesses++;
	if (msr >= INTEL_PMC(0) && msr < INTEL_PMC(HOST_GP))
		return hw.ctr[msr - INTEL_PMC(0)];
	if (msr >= INTEL_A_PMC(0) && msr < INTEL_A_PMC(HOST_GP))
		return hw.ctr[msr - INTEL_A_PMC(0)];
	if (msr >= INTEL_PERFEVTSEL(0) && msr < INTEL_PERFEVTSEL(HOST_GP))
		return hw.sel[msr - INTEL_PERFEVTSEL(0)];
	if (msr >= INTEL_FIXED_CTR(0) && msr < INTEL_FIXED_CTR(HOST_FIXED))
		return hw.fixed[msr - INTEL_FIXED_CTR(0)];
	switch (msr) {
	case INTEL_FIXED_CTR_CTRL: return hw.fixed_ctrl;
	case INTEL_GLOBAL_STATUS: return hw.status;
	case INTEL_GLOBAL_CTRL: return hw.global_ctrl;
	case INTEL_GLOBAL_OVF_CTRL: return 0;
	case INTEL_PERF_CAPABILITIES: return hw.perf_caps;
	}
	fail_msg("rdmsr %#x: not in the fake PMU", msr);
	return 0;
}

static void hw_wrmsr(u32 msr, u64 val)
{
	hw.accesses++;
	if (msr >= INTEL_PMC(0) && msr < INTEL_PMC(HOST_GP)) {
		hw.ctr[msr - INTEL_PMC(0)] = (u64)(s64)(s32)(u32)val & W48;
		return;
	}
	if (msr >= INTEL_A_PMC(0) && msr < INTEL_A_PMC(HOST_GP)) {
		assert_int_equal(val & ~W48, 0);	/* hardware: #GP */
		hw.ctr[msr - INTEL_A_PMC(0)] = val;
		return;
	}
	if (msr >= INTEL_PERFEVTSEL(0) && msr < INTEL_PERFEVTSEL(HOST_GP)) {
		hw.sel[msr - INTEL_PERFEVTSEL(0)] = val;
		return;
	}
	if (msr >= INTEL_FIXED_CTR(0) && msr < INTEL_FIXED_CTR(HOST_FIXED)) {
		assert_int_equal(val & ~W48, 0);
		hw.fixed[msr - INTEL_FIXED_CTR(0)] = val;
		return;
	}
	switch (msr) {
	case INTEL_FIXED_CTR_CTRL: hw.fixed_ctrl = val; return;
	case INTEL_GLOBAL_CTRL: hw.global_ctrl = val; return;
	case INTEL_GLOBAL_OVF_CTRL: hw.status &= ~val; hw.ovf_writes++; return;
	case INTEL_GLOBAL_STATUS_SET: hw.status |= val; hw.status_set_writes++; return;
	}
	fail_msg("wrmsr %#x: not writable in the fake PMU", msr);
}

static u64 hw_rdpmc(u32 ecx)
{
	hw.accesses++;
	if (ecx & INTEL_RDPMC_FIXED) {
		assert_true((ecx & 0xffff) < HOST_FIXED);
		return hw.fixed[ecx & 0xffff];
	}
	assert_true(ecx < HOST_GP);
	return hw.ctr[ecx];
}

static void hw_write_lvtpc(u32 val)
{
	hw.lvtpc = val;
}

static const struct pmu_hw_ops fake_hw = {
	.rdmsr = hw_rdmsr,
	.wrmsr = hw_wrmsr,
	.rdpmc = hw_rdpmc,
	.write_lvtpc = hw_write_lvtpc,
};

const struct pmu_hw_ops *pmu_hw = &fake_hw;

static bool hw_clean(void)
{
	for (u32 i = 0; i < HOST_GP; i++)
		if (hw.ctr[i] || hw.sel[i])
			return false;
	for (u32 i = 0; i < HOST_FIXED; i++)
		if (hw.fixed[i])
			return false;
	return !hw.fixed_ctrl && !hw.global_ctrl && !hw.status;
}

/* ---- a host, a VM, a vCPU ---- */

static struct cfg_vm cfg;
static struct vm vm;
static struct vcpu vcpu;
static struct vpmu *p = &vcpu.pmu;

static struct intel_cpuid host_id(u32 version)
{
	struct intel_cpuid id = {
		.max_leaf = 0x20,
		.a_eax = version | HOST_GP << 8 | 48 << 16 | 7 << 24,
		.a_ebx = 0x40,	/* branch mispredicts unavailable */
		.a_edx = HOST_FIXED | 48 << 5,
		.leaf1_ecx = BIT(15),
		.leaf7_edx = 0,
	};
	return id;
}

static void probe(struct intel_cpuid id, bool load, bool save)
{
	memset(&pmu_host, 0, sizeof(pmu_host));
	virt_caps.perf_global_ctrl = load;
	virt_caps.perf_global_save = save;
	intel_probe_from(&pmu_host, &id, &virt_caps);
}

static int setup_vm(u32 counters)
{
	memset(&hw, 0, sizeof(hw));
	memset(&fv, 0, sizeof(fv));
	fv.cr4 = X86_CR4_PCE;
	memset(&cfg, 0, sizeof(cfg));
	memset(&vm, 0, sizeof(vm));
	memset(&vcpu, 0, sizeof(vcpu));
	hw.perf_caps = INTEL_CAP_FW_WRITE | 0x4;	/* FW_WRITE, some LBR fmt */
	pmu_ops = &pmu_intel_ops;
	probe(host_id(5), true, true);
	assert_true(pmu_host.usable);
	cfg.pmu_counters = counters;
	cfg.pmu_fixed = 0xffffffff;
	vm.cfg = &cfg;
	strlcpy(vm.name, "t", sizeof(vm.name));
	assert_int_equal(pmu_vm_init(&vm), 0);
	vcpu.vm = &vm;
	assert_int_equal(pmu_vcpu_init(&vcpu), 0);
	hw.accesses = 0;
	fake_cpl = 3;
	pmis_delivered = 0;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_vm(0);
}

static int teardown(void **state)
{
	(void)state;
	pmu_vcpu_put(&vcpu);	/* the CPU's owner must not outlive the test */
	return 0;
}

static void load(void)
{
	pmu_vcpu_load(&vcpu);
	assert_true(p->loaded);
}

static u64 rd(u32 msr)
{
	u64 v = 0xdeadbeef;

	assert_int_equal(pmu_msr_read(&vcpu, msr, &v), 0);
	return v;
}

static void wr(u32 msr, u64 val)
{
	assert_int_equal(pmu_msr_write(&vcpu, msr, val), 0);
}

/* ---- probe and controls ---- */

static void test_probe_controls(void **state)
{
	(void)state;
	hw.perf_caps = INTEL_CAP_FW_WRITE;

	probe(host_id(5), true, true);		/* SPR: save control */
	assert_true(pmu_host.usable);
	assert_true(pmu_host.gctrl_switch && pmu_host.gctrl_save);
	assert_int_equal(pmu_host.nr_gp, HOST_GP);
	assert_int_equal(pmu_host.nr_fixed, HOST_FIXED);
	assert_int_equal(pmu_host.gp_width, 48);
	assert_true(pmu_host.fw_write);

	probe(host_id(4), true, false);		/* SKL: MSR-store list */
	assert_true(pmu_host.usable);
	assert_true(pmu_host.gctrl_switch);
	assert_false(pmu_host.gctrl_save);

	probe(host_id(5), false, false);	/* no load controls: no PMU */
	assert_false(pmu_host.usable);
	assert_non_null(strstr(pmu_host.missing, "PERF_GLOBAL_CTRL"));

	probe(host_id(3), true, true);
	assert_false(pmu_host.usable);
	assert_non_null(strstr(pmu_host.missing, "version 4"));

	hw.perf_caps = 0;
	probe(host_id(5), true, true);
	assert_false(pmu_host.usable);
	assert_non_null(strstr(pmu_host.missing, "full-width"));
	hw.perf_caps = INTEL_CAP_FW_WRITE;

	{
		struct intel_cpuid id = host_id(5);

		id.leaf7_edx = BIT(15);
		probe(id, true, true);
		assert_false(pmu_host.usable);
		assert_non_null(strstr(pmu_host.missing, "hybrid"));
		id = host_id(5);
		id.leaf1_ecx = 0;
		probe(id, true, true);
		assert_false(pmu_host.usable);
		assert_non_null(strstr(pmu_host.missing, "PDCM"));
	}
}

static void test_vcpu_enables_switch(void **state)
{
	(void)state;
	assert_true(p->on);
	assert_true(fv.enabled);
	assert_true(p->auto_mask);	/* Intel guests: LVTPC auto-mask */
	assert_int_equal(p->version, 2);
	/* Reset: GP counters enabled, fixed ones not (SDM 21.2.2). */
	assert_int_equal(p->global_ctrl, 0xf);
	assert_int_equal(rd(INTEL_GLOBAL_CTRL), 0xf);
	/* Loading puts it into the VMCS guest field, not the MSR. */
	load();
	assert_int_equal(fv.guest_field, 0xf);
	assert_int_equal(hw.global_ctrl, 0);
}

static void test_no_pmu_guest(void **state)
{
	struct cpuid_regs r = { 0xa, 0xb, 0xc, 0xd };
	u64 v;

	(void)state;
	cfg.pmu = CFG_PMU_OFF;
	memset(&fv, 0, sizeof(fv));
	pmu_vm_init(&vm);
	pmu_vcpu_init(&vcpu);
	assert_false(p->on);
	assert_false(fv.enabled);
	assert_true(fv.rdpmc_icpt);
	pmu_cpuid(&vcpu, 0xa, 0, &r);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	assert_int_equal(pmu_msr_read(&vcpu, INTEL_PMC(0), &v), -EINVAL);
	assert_int_equal(pmu_msr_read(&vcpu, INTEL_PERF_CAPABILITIES, &v), -EINVAL);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_GLOBAL_CTRL, 0), -EINVAL);
	assert_int_equal(pmu_rdpmc(&vcpu, 0, &v), -EINVAL);
	assert_int_equal(pmu_msr_read(&vcpu, 0x10, &v), -ENOENT);
	pmu_vcpu_load(&vcpu);
	assert_false(p->loaded);
	assert_int_equal(hw.accesses, 0);
}

/* ---- CPUID and MISC_ENABLE ---- */

static void test_cpuid(void **state)
{
	struct cpuid_regs r = { 0, 0, 0, 0 };

	(void)state;
	pmu_cpuid(&vcpu, 0xa, 0, &r);
	assert_int_equal(r.eax, 2 | HOST_GP << 8 | 48 << 16 | 7 << 24);
	assert_int_equal(r.ebx, 0x40);
	assert_int_equal(r.ecx, 0);
	assert_int_equal(r.edx, HOST_FIXED | 48 << 5 | BIT(15));
	r = (struct cpuid_regs){ 0, 0, BIT(2) | BIT(4), BIT(21) };
	pmu_cpuid(&vcpu, 1, 0, &r);
	assert_int_equal(r.ecx, BIT(15));	/* PDCM; no DTES64, DS-CPL */
	assert_int_equal(r.edx, 0);		/* no DS */
	assert_int_equal(rd(INTEL_PERF_CAPABILITIES), INTEL_CAP_FW_WRITE);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_PERF_CAPABILITIES,
				       INTEL_CAP_FW_WRITE), -EINVAL);
	assert_int_equal(pmu_misc_enable(&vcpu), BIT(7) | BIT(11) | BIT(12));
}

/* ---- intercepts ---- */

static void test_intercepts_passthrough(void **state)
{
	(void)state;
	assert_true(p->passthrough);
	for (u32 i = 0; i < HOST_GP; i++) {
		assert_int_equal(fake_intercepted(INTEL_PMC(i)), 0);
		assert_int_equal(fake_intercepted(INTEL_A_PMC(i)), 0);
		assert_int_equal(fake_intercepted(INTEL_PERFEVTSEL(i)), 1);
	}
	for (u32 i = 0; i < HOST_FIXED; i++)
		assert_int_equal(fake_intercepted(INTEL_FIXED_CTR(i)), 0);
	assert_int_equal(fake_intercepted(INTEL_FIXED_CTR_CTRL), 1);
	assert_int_equal(fake_intercepted(INTEL_GLOBAL_CTRL), 0);
	assert_int_equal(fake_intercepted(INTEL_GLOBAL_STATUS), 0);
	assert_int_equal(fake_intercepted(INTEL_GLOBAL_OVF_CTRL), 0);
	assert_int_equal(fake_intercepted(INTEL_GLOBAL_STATUS_SET), 1);
	assert_int_equal(fake_intercepted(INTEL_PERF_CAPABILITIES), 1);
	assert_false(fv.rdpmc_icpt);
}

static void test_intercepts_fewer(void **state)
{
	u64 v;

	(void)state;
	setup_vm(2);
	assert_false(p->passthrough);
	for (u32 i = 0; i < HOST_GP; i++) {
		assert_int_equal(fake_intercepted(INTEL_PMC(i)), 1);
		assert_int_equal(fake_intercepted(INTEL_A_PMC(i)), 1);
	}
	assert_int_equal(fake_intercepted(INTEL_GLOBAL_CTRL), 1);
	assert_int_equal(fake_intercepted(INTEL_GLOBAL_STATUS), 1);
	assert_true(fv.rdpmc_icpt);
	/* Counters beyond the guest's: #GP, even though the host has them. */
	assert_int_equal(pmu_msr_read(&vcpu, INTEL_PMC(2), &v), -EINVAL);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_A_PMC(3), 0), -EINVAL);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_PERFEVTSEL(2), 0), -EINVAL);
	assert_int_equal(pmu_rdpmc(&vcpu, 2, &v), -EINVAL);
	assert_int_equal(pmu_msr_write(&vcpu, INTEL_GLOBAL_CTRL, 0x4), -EINVAL);
	assert_int_equal(p->global_ctrl, 0x3);
	/* Served from the live hardware. */
	load();
	wr(INTEL_GLOBAL_CTRL, 0x1 | BIT(33));
	assert_int_equal(fv.guest_field, 0x1 | BIT(33));
	hw.status = 0x2;
	assert_int_equal(rd(INTEL_GLOBAL_STATUS), 0x2);
	wr(INTEL_GLOBAL_OVF_CTRL, 0x2);
	assert_int_equal(hw.status, 0);
	hw.ctr[1] = 1234;
	assert_int_equal(pmu_rdpmc(&vcpu, 1, &v), 0);
	assert_int_equal(v, 1234);
}

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

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_probe_controls),
		T(test_vcpu_enables_switch),
		T(test_no_pmu_guest),
		T(test_cpuid),
		T(test_intercepts_passthrough),
		T(test_intercepts_fewer),
		T(test_widths_saved),
		T(test_widths_live),
		T(test_gp_cases),
		T(test_anythread_stripped),
		T(test_filter),
		T(test_emu_masks),
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
