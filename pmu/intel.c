// SPDX-License-Identifier: GPL-2.0
/* The Intel side of the mediated PMU: architectural performance monitoring. */
#include <arch/x86/cpu.h>
#include <hv/errno.h>
#include <hv/string.h>
#include <hv/vcpu.h>
#include <pmu/pmu_impl.h>

static void intel_probe(struct pmu_host *h)
{
	strlcpy(h->missing, "an Intel mediated PMU (not written yet)",
		sizeof(h->missing));
}

static void intel_nothing(void)
{
}

static void intel_vcpu_setup(struct vcpu *vcpu, u32 nr_gp)
{
}

static void intel_vcpu(struct vcpu *vcpu)
{
}

static void intel_reset(struct vpmu *p)
{
}

static void intel_cpuid(struct vcpu *vcpu, u32 leaf, u32 sub,
			struct cpuid_regs *r)
{
	if (leaf == 0xa)
		r->eax = r->ebx = r->ecx = r->edx = 0;
}

static int intel_msr_read(struct vcpu *vcpu, u32 msr, u64 *val)
{
	return -ENOENT;
}

static int intel_msr_write(struct vcpu *vcpu, u32 msr, u64 val)
{
	return -ENOENT;
}

static int intel_rdpmc(struct vcpu *vcpu, u32 ecx, u64 *val)
{
	return -EINVAL;
}

static u64 intel_global_ctrl(struct vcpu *vcpu)
{
	return 0;
}

static void intel_add_one(struct vcpu *vcpu, u64 mask)
{
}

static void intel_snapshot(struct vcpu *vcpu, struct pmu_snapshot *s)
{
}

const struct pmu_vendor_ops pmu_intel_ops = {
	.name = "Intel architectural",
	.probe = intel_probe,
	.cpu_init = intel_nothing,
	.vcpu_setup = intel_vcpu_setup,
	.set_intercepts = intel_vcpu,
	.reset = intel_reset,
	.cpuid = intel_cpuid,
	.msr_read = intel_msr_read,
	.msr_write = intel_msr_write,
	.rdpmc = intel_rdpmc,
	.load = intel_vcpu,
	.put = intel_vcpu,
	.add_one = intel_add_one,
	.global_ctrl = intel_global_ctrl,
	.snapshot = intel_snapshot,
};
