/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the Intel mediated PMU's unit tests share (test_pmu_intel.c,
 * test_pmu_intel_msr.c, test_pmu_intel_run.c): a fake architectural PMU
 * (v5, 4 GP + 3 fixed counters of 48 bits, FW_WRITE) behind pmu_hw, and a
 * host, a VM and a vCPU set up afresh for every test. The fake virt is
 * pmu_fake.h's. Included by exactly one file of each test.
 */
#ifndef TESTS_UNIT_PMU_INTEL_FAKE_H
#define TESTS_UNIT_PMU_INTEL_FAKE_H

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

static inline u64 hw_rdmsr(u32 msr)
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

static inline void hw_wrmsr(u32 msr, u64 val)
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

static inline u64 hw_rdpmc(u32 ecx)
{
	hw.accesses++;
	if (ecx & INTEL_RDPMC_FIXED) {
		assert_true((ecx & 0xffff) < HOST_FIXED);
		return hw.fixed[ecx & 0xffff];
	}
	assert_true(ecx < HOST_GP);
	return hw.ctr[ecx];
}

static inline void hw_write_lvtpc(u32 val)
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

static inline bool hw_clean(void)
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

static inline struct intel_cpuid host_id(u32 version)
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

static inline void probe(struct intel_cpuid id, bool load, bool save)
{
	memset(&pmu_host, 0, sizeof(pmu_host));
	virt_caps.perf_global_ctrl = load;
	virt_caps.perf_global_save = save;
	intel_probe_from(&pmu_host, &id, &virt_caps);
}

static inline int setup_vm(u32 counters)
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

static inline int setup(void **state)
{
	(void)state;
	return setup_vm(0);
}

static inline int teardown(void **state)
{
	(void)state;
	pmu_vcpu_put(&vcpu);	/* the CPU's owner must not outlive the test */
	return 0;
}

static inline void load(void)
{
	pmu_vcpu_load(&vcpu);
	assert_true(p->loaded);
}

static inline u64 rd(u32 msr)
{
	u64 v = 0xdeadbeef;

	assert_int_equal(pmu_msr_read(&vcpu, msr, &v), 0);
	return v;
}

static inline void wr(u32 msr, u64 val)
{
	assert_int_equal(pmu_msr_write(&vcpu, msr, val), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

#endif /* TESTS_UNIT_PMU_INTEL_FAKE_H */
