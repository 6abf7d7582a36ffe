// SPDX-License-Identifier: GPL-2.0
/*
 * Instructions the hypervisor retires for the guest. An intercepted
 * instruction (CPUID, RDMSR/WRMSR, port I/O, HLT, MMIO, hypercalls, ...)
 * never retires in the hardware: the exit happens instead, and the
 * hypervisor moves RIP past it. On bare metal it would have counted, so
 * every counter whose hardware control counts retired instructions (or
 * branches, for a branch) at the guest's current CPL gets one more, through
 * the guest's GLOBAL_CTRL and the event filter (a filtered selector is
 * disabled in its hardware copy, so it is not in the masks), with
 * overflow, status and PMI as the hardware would (pmu_impl.h add_one).
 *
 * Which events match is the vendor's business: the masks in struct vpmu
 * are kept by the vendor code whenever a selector changes. With no such
 * counter this costs two loads and a branch and no MSR access.
 */
#include <hv/vcpu.h>
#include <pmu/pmu_impl.h>

void pmu_retired_insn(struct vcpu *vcpu, bool branch)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	u64 any = p->emu_insn[0] | p->emu_insn[1];
	u64 mask;
	u32 user;

	if (branch)
		any |= p->emu_branch[0] | p->emu_branch[1];
	if (!p->on || !any)
		return;
	user = vcpu_cpl(vcpu) ? 1 : 0;
	mask = p->emu_insn[user] | (branch ? p->emu_branch[user] : 0);
	if (!mask)
		return;
	mask &= pmu_ops->global_ctrl(vcpu);
	if (!mask)
		return;
	p->stats.emulated++;
	pmu_ops->add_one(vcpu, mask);
}
