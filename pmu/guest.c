// SPDX-License-Identifier: GPL-2.0
/*
 * What a guest's configuration makes of the host PMU, and the guest-facing
 * entry points the exit handlers call (MSRs, RDPMC, CPUID), which check
 * what is vendor-neutral and hand the rest to the vendor code.
 */
#include <arch/x86/cpu.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/vcpu.h>
#include <pmu/pmu_impl.h>

static void filter_from_cfg(struct pmu_filter *f, const struct cfg_vm *c)
{
	f->action = c->pmu_filter == CFG_PMU_FILTER_ALLOW ? PMU_FILTER_ALLOW :
		    c->pmu_filter == CFG_PMU_FILTER_DENY  ? PMU_FILTER_DENY :
							    PMU_FILTER_NONE;
	f->nr = 0;
	for (u32 i = 0; i < c->pmu_nr_events && i < PMU_FILTER_MAX; i++) {
		f->ev[f->nr].event = c->pmu_events[i].event;
		f->ev[f->nr].umask = c->pmu_events[i].umask;
		f->ev[f->nr].any_umask = c->pmu_events[i].any_umask;
		f->nr++;
	}
	f->fixed = c->pmu_fixed;
}

int pmu_vm_init(struct vm *vm)
{
	const struct cfg_vm *c = vm->cfg;

	filter_from_cfg(&vm->pmu_filter, c);
	vm->pmu_on = false;
	if (c->pmu == CFG_PMU_OFF)
		return 0;
	if (!pmu_host.usable) {
		if (c->pmu == CFG_PMU_ON)
			pr_warn("vm %s: pmu = on, but the host offers no usable PMU (it lacks %s): the guest runs without one\n",
				vm->name, pmu_host.missing);
		return 0;
	}
	if (c->pmu_counters > pmu_guest_max_gp()) {
		if (pmu_host.prof)
			pr_err("vm %s: pmu_counters = %u, but guests have %u counters (the host's %u, one of them the hypervisor's: profile = on)\n",
			       vm->name, c->pmu_counters, pmu_guest_max_gp(),
			       pmu_host.nr_gp);
		else
			pr_err("vm %s: pmu_counters = %u, but the host has %u counters\n",
			       vm->name, c->pmu_counters, pmu_host.nr_gp);
		return -EINVAL;
	}
	vm->pmu_on = true;
	return 0;
}

int pmu_msr_read(struct vcpu *vcpu, u32 msr, u64 *val)
{
	return pmu_ops->msr_read(vcpu, msr, val);
}

int pmu_msr_write(struct vcpu *vcpu, u32 msr, u64 val)
{
	return pmu_ops->msr_write(vcpu, msr, val);
}

int pmu_rdpmc(struct vcpu *vcpu, u32 ecx, u64 *val)
{
	struct vcpu_sregs s;

	vcpu_pmu(vcpu)->stats.rdpmc_exits++;
	/* CR4.PCE = 0 allows RDPMC at CPL 0 only (SDM vol. 2 RDPMC, APM vol. 3). */
	virt->get_sregs(vcpu, &s);
	if (vcpu_cpl(vcpu) && !(s.cr4 & X86_CR4_PCE))
		return -EINVAL;
	return pmu_ops->rdpmc(vcpu, ecx, val);
}

void pmu_cpuid(struct vcpu *vcpu, u32 leaf, u32 sub, struct cpuid_regs *r)
{
	pmu_ops->cpuid(vcpu, leaf, sub, r);
}

u64 pmu_misc_enable(struct vcpu *vcpu)
{
	return pmu_ops->misc_enable ? pmu_ops->misc_enable(vcpu) : 0;
}
