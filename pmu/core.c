// SPDX-License-Identifier: GPL-2.0
/*
 * The vendor-neutral core of the mediated PMU: which vCPU's PMU each CPU's
 * hardware holds, loading and saving it, the per-exit hooks, PMI delivery
 * through the guest's LVTPC and console snapshots.
 *
 * Lazy switching: a vCPU's PMU state is loaded when vcpu_run() starts on
 * its CPU and saved (and the hardware zeroed) when it returns (the vCPU
 * stopped, its VM stops, resets or restarts). In between it stays in the
 * hardware across every exit: on Intel the VM-exit control loads
 * PERF_GLOBAL_CTRL = 0, on AMD every hardware selector is GuestOnly, so
 * nothing the hypervisor executes is counted and an exit needs no PMU MSR
 * access.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/vcpu.h>
#include <hv/vlapic.h>
#include <pmu/pmu_impl.h>

/* The vCPU whose PMU each CPU's hardware holds. */
static struct vcpu *owner[MAX_CPUS];

struct vpmu *vcpu_pmu(struct vcpu *vcpu)
{
	return &vcpu->pmu;
}

struct vcpu *pmu_owner(u32 cpu)
{
	return cpu < MAX_CPUS ? __atomic_load_n(&owner[cpu], __ATOMIC_ACQUIRE) :
				NULL;
}

static u32 cpu_index(void)
{
	return this_cpu_index();
}

int pmu_vcpu_init(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	const struct cfg_vm *c = vcpu->vm->cfg;

	p->msr_ctx = &p->stats.msr_exit;
	p->filter = &vcpu->vm->pmu_filter;
	p->on = vcpu->vm->pmu_on;
	if (p->on)
		pmu_ops->vcpu_setup(vcpu, c->pmu_counters ? c->pmu_counters :
							    pmu_guest_max_gp());
	pmu_ops->set_intercepts(vcpu);
	pmu_ops->reset(p);
	return 0;
}

void pmu_vcpu_reset(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	/* Saved and zeroed when its vcpu_run() returned. */
	pmu_ops->reset(p);
	p->pmi_pending = 0;
}

static void write_lvtpc(struct vpmu *p, u32 val)
{
	if (p->lvtpc_hw != val) {
		pmu_hw->write_lvtpc(val);
		p->lvtpc_hw = val;
	}
}

/* The host LVTPC: our vector, masked when the guest's LVTPC is. */
static u32 lvtpc_mirror(struct vcpu *vcpu)
{
	u32 guest = vcpu->lapic.lvt[LVT_PERF];

	if (!vlapic_hw_enabled(&vcpu->lapic))
		guest |= APIC_LVT_MASKED;
	return VEC_PMI | (guest & APIC_LVT_MASKED);
}

void pmu_vcpu_load(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	u32 cpu = cpu_index();
	struct vcpu *old = owner[cpu];

	if (!p->on)
		return;
	if (old && old != vcpu)
		pmu_vcpu_put(old);
	p->msr_ctx = &p->stats.msr_switch;
	pmu_ops->load(vcpu);
	p->msr_ctx = &p->stats.msr_exit;
	p->lvtpc_hw = ~0u;
	write_lvtpc(p, lvtpc_mirror(vcpu));
	p->loaded = true;
	p->exit_hook = pmu_ops->after_exit != NULL;
	p->stats.loads++;
	__atomic_store_n(&owner[cpu], vcpu, __ATOMIC_RELEASE);
}

void pmu_vcpu_put(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	u32 cpu = cpu_index();

	if (!p->loaded)
		return;
	p->msr_ctx = &p->stats.msr_switch;
	pmu_ops->put(vcpu);
	p->msr_ctx = &p->stats.msr_exit;
	pmu_hw->write_lvtpc(VEC_PMI | PMU_LVTPC_MASKED);
	p->loaded = false;
	p->exit_hook = false;
	p->stats.saves++;
	__atomic_store_n(&owner[cpu], NULL, __ATOMIC_RELEASE);
	/* A snapshot request now finds the saved state: answer it. */
	p->snap_done = p->snap_req;
}

void pmu_raise_pmi(struct vcpu *vcpu)
{
	__atomic_store_n(&vcpu_pmu(vcpu)->pmi_pending, 1, __ATOMIC_RELEASE);
}

/*
 * An overflow becomes a local interrupt through the guest's LVTPC, in its
 * delivery mode (Linux programs NMI). Intel's local APIC sets the LVTPC
 * mask when it delivers a PMI (SDM vol. 3 21.6.3.5.8 / 11.5.1 note); AMD's
 * does not, and Linux's PerfMonV2 handler never unmasks, so the auto-mask
 * is for Intel guests only, and only when the interrupt was delivered.
 */
static void deliver_pmi(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	struct vlapic *vl = &vcpu->lapic;

	if (!__atomic_exchange_n(&p->pmi_pending, 0, __ATOMIC_ACQUIRE))
		return;
	if (vlapic_deliver_lvt(vl, LVT_PERF)) {
		p->stats.pmis++;
		if (p->auto_mask)
			vl->lvt[LVT_PERF] |= APIC_LVT_MASKED;
	} else {
		p->stats.pmis_masked++;
	}
}

static void answer_snapshot(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	u32 req = __atomic_load_n(&p->snap_req, __ATOMIC_ACQUIRE);

	if (req == p->snap_done)
		return;
	memset(&p->snap, 0, sizeof(p->snap));
	if (p->loaded) {
		p->msr_ctx = &p->stats.msr_console;
		pmu_ops->snapshot(vcpu, &p->snap);
		p->msr_ctx = &p->stats.msr_exit;
		p->snap.live = true;
	}
	__atomic_store_n(&p->snap_done, req, __ATOMIC_RELEASE);
}

void pmu_vcpu_poll(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	if (!p->on)
		return;
	deliver_pmi(vcpu);
	answer_snapshot(vcpu);
}

void pmu_guest_enter(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	if (p->loaded)
		write_lvtpc(p, lvtpc_mirror(vcpu));
}

void pmu_guest_exit(struct vcpu *vcpu)
{
	if (vcpu_pmu(vcpu)->exit_hook)
		pmu_ops->after_exit(vcpu);
}

/*
 * VEC_PMI: an overflow of the PMU this CPU holds. It may arrive after the
 * exit that followed the overflowing instruction (skid) or while the CPU
 * idles in the hypervisor; either way it belongs to the owner, and the
 * flag is consumed exactly once, by deliver_pmi(). The local APIC may have
 * masked its LVTPC (Intel does): rewrite it before the next entry.
 */
void pmu_host_pmi(void)
{
	u32 cpu = cpu_index();
	struct vcpu *v = cpu < MAX_CPUS ? owner[cpu] : NULL;

	if (v) {
		v->pmu.stats.host_pmis++;
		v->pmu.lvtpc_hw = ~0u;
		pmu_raise_pmi(v);
	} else {
		pr_warn("PMI with no guest PMU loaded\n");
	}
}

int pmu_snapshot(struct vcpu *vcpu, struct vpmu *out)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	u32 req;
	u64 deadline;

	if (!p->on) {
		*out = *p;
		return 0;
	}
	req = __atomic_add_fetch(&p->snap_req, 1, __ATOMIC_ACQ_REL);
	if (p->loaded) {
		/* The vCPU's CPU answers at the top of its loop: kick it. */
		sched_kick(pcpus[vcpu->pcpu]);
		deadline = rdtsc() + us_to_tsc(500000);
		while (__atomic_load_n(&p->snap_done, __ATOMIC_ACQUIRE) != req) {
			if (rdtsc() > deadline) {
				*out = *p;	/* the saved state, for what it is worth */
				out->snap.live = false;
				return -ETIMEDOUT;
			}
			cpu_relax();
		}
	}
	*out = *p;
	return 0;
}
