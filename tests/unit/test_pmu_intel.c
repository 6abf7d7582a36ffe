/* sources: pmu/intel.c pmu/rules.c hv/hw_record.c pmu/intel_msr.c pmu/core.c pmu/emulated.c pmu/filter.c pmu/guest.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the Intel mediated PMU (pmu/intel.c): probe and the
 * PERF_GLOBAL_CTRL controls chosen, CPUID and MISC_ENABLE, and the MSR
 * intercepts, on pmu_intel_fake.h's fake PMU and pmu_fake.h's fake virt.
 */
#include "pmu_intel_fake.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_probe_controls),
		T(test_vcpu_enables_switch),
		T(test_no_pmu_guest),
		T(test_cpuid),
		T(test_intercepts_passthrough),
		T(test_intercepts_fewer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
