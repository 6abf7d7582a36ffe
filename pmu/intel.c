// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel side of the mediated PMU: architectural performance monitoring
 * (SDM vol. 3 ch. 21, 21.2 "Architectural Performance Monitoring"). This
 * file has the host probe, the guest's layout and CPUID, the intercepts,
 * load/put and emulated-instruction counting; pmu/intel_msr.c has the
 * guest's MSR and RDPMC accesses.
 *
 * The host needs version 4 (GLOBAL_STATUS_SET 0x391 restores overflow
 * status exactly, SDM 21.2.4), full-width counter writes (PERF_CAPABILITIES
 * bit 13: legacy PMC writes are sign-extended 32-bit values, so a 48-bit
 * count could not be restored), no hybrid cores (CPUID.07H EDX[15]: P- and
 * E-cores have different counters) and the VMX "load IA32_PERF_GLOBAL_CTRL"
 * entry and exit controls (SDM vol. 3 25.7.1, 25.8.1): VM exit loads the
 * host value 0, so nothing the hypervisor executes is counted and the
 * state stays loaded across exits. The exit control that saves the guest's
 * value (bit 30, Sapphire Rapids on) is optional: without it the backend
 * stores 0x38F through the VM-exit MSR-store list (hv/virt.h; all of that
 * is the backend's, arch/x86/).
 *
 * The guest gets architectural version 2 (INTEL_GUEST_VERSION), the host's
 * counters and widths, full-width writes and no PEBS, LBR, BTS or DS area.
 * Why 2, as KVM: it is the highest version whose every register we can
 * give faithfully.
 *  - v3 adds AnyThread (PERFEVTSEL bit 21, FIXED_CTR_CTRL bits 2/6/10),
 *    which counts the sibling hyper-thread, i.e. another guest or the
 *    hypervisor: it must be refused, and a v3 PMU that silently ignores a
 *    defined bit is not v3. In v2 those bits are reserved and #GP.
 *  - v4 adds GLOBAL_STATUS_SET and GLOBAL_INUSE, status bits for LBR/
 *    counter freeze, ASCI and uncore, and the streamlined freeze-on-PMI of
 *    DEBUGCTL (SDM 21.2.4.1), which needs the guest's DEBUGCTL and LBRs.
 *  - v5 adds the fixed-counter bitmap (CPUID.0AH ECX) and deprecates
 *    AnyThread; nothing a v2 guest lacks to run perf.
 * Everything perf needs (GLOBAL_CTRL/STATUS/OVF_CTRL, fixed counters,
 * counter widths from CPUID) is in v2.
 */
#include <arch/x86/cpu.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <hv/vcpu.h>
#include <hv/virt.h>
#include <pmu/intel.h>
#include <pmu/rules.h>

/* The host's raw layout (pmu_host holds it capped to PMU_MAX_*). */
static struct {
	u32 nr_gp, nr_fixed;
	u32 ev_len, ev_unavail;		/* CPUID.0AH EAX[31:24], EBX */
} hw;

static u64 gp_bits(u32 n)
{
	return (1ULL << n) - 1;
}

void intel_probe_from(struct pmu_host *h, const struct intel_cpuid *id,
		      const struct virt_caps *vc)
{
	u64 perf_caps = 0;

	hw.nr_gp = hw.nr_fixed = hw.ev_len = hw.ev_unavail = 0;
	if (id->max_leaf >= 0xa) {
		hw.nr_gp = (id->a_eax >> 8) & 0xff;
		hw.ev_len = id->a_eax >> 24;
		hw.ev_unavail = id->a_ebx;
		if ((id->a_eax & 0xff) > 1)
			hw.nr_fixed = id->a_edx & 0x1f;
	}
	if (id->leaf1_ecx & BIT(15))
		perf_caps = pmu_hw->rdmsr(INTEL_PERF_CAPABILITIES);
	pmu_intel_rules(h, id, perf_caps, vc);
}

static void intel_probe(struct pmu_host *h)
{
	struct intel_cpuid id = { 0 };
	struct cpuid_regs r;

	cpuid_count(0, 0, &r);
	id.max_leaf = r.eax;
	cpuid_count(1, 0, &r);
	id.leaf1_ecx = r.ecx;
	if (id.max_leaf >= 7) {
		cpuid_count(7, 0, &r);
		id.leaf7_edx = r.edx;
	}
	if (id.max_leaf >= 0xa) {
		cpuid_count(0xa, 0, &r);
		id.a_eax = r.eax;
		id.a_ebx = r.ebx;
		id.a_edx = r.edx;
	}
	intel_probe_from(h, &id, &virt_caps);
}

/* Every counter of the hardware stopped, zeroed, no overflow pending. */
static void intel_cpu_init(void)
{
	u64 status;

	pmu_hw->wrmsr(INTEL_GLOBAL_CTRL, 0);
	pmu_hw->wrmsr(INTEL_FIXED_CTR_CTRL, 0);
	for (u32 i = 0; i < hw.nr_gp; i++) {
		pmu_hw->wrmsr(INTEL_PERFEVTSEL(i), 0);
		pmu_hw->wrmsr(INTEL_A_PMC(i), 0);
	}
	for (u32 i = 0; i < hw.nr_fixed; i++)
		pmu_hw->wrmsr(INTEL_FIXED_CTR(i), 0);
	status = pmu_hw->rdmsr(INTEL_GLOBAL_STATUS);
	if (status)
		pmu_hw->wrmsr(INTEL_GLOBAL_OVF_CTRL, status);
	if (pmu_host.prof) {
		pmu_hw->wrmsr(INTEL_PERFEVTSEL(pmu_host.prof_ctr), PMU_PROF_SEL);
		pmu_hw->wrmsr(INTEL_GLOBAL_CTRL, pmu_prof_ctrl());
	}
}

/*
 * profile = on: VM exits load the profile counter's bit into GLOBAL_CTRL
 * and VM entries the guest's value (without that bit: the guest has fewer
 * counters), so it counts exactly the hypervisor's instructions. Every
 * guest then needs the GLOBAL_CTRL switch, even one without a PMU
 * (intel_set_intercepts()), which the probe already required.
 */
static int intel_prof_setup(u32 ctr)
{
	if (!virt->pmu_host_global_ctrl)
		return -ENODEV;
	virt->pmu_host_global_ctrl(BIT(ctr));
	return 0;
}

static void intel_vcpu_setup(struct vcpu *vcpu, u32 nr_gp)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	p->nr_gp = nr_gp;
	p->nr_fixed = pmu_host.nr_fixed;
	p->version = INTEL_GUEST_VERSION;
	p->ctr_mask = gp_bits(pmu_host.gp_width);
	p->fixed_mask = gp_bits(pmu_host.fixed_width);
	p->global_valid = gp_bits(p->nr_gp) | (gp_bits(p->nr_fixed) << 32);
	/* Widths are always the host's; the counts decide (SDM 21.2.2). */
	p->passthrough = nr_gp == hw.nr_gp && p->nr_fixed == hw.nr_fixed;
	p->auto_mask = true;	/* Intel's APIC masks LVTPC on a PMI */
}

/*
 * Counters, GLOBAL_STATUS/CTRL/OVF_CTRL and RDPMC reach the hardware when
 * the guest's layout is the hardware's; otherwise they exit and are served
 * from the live hardware (pmu/intel_msr.c). Selectors, FIXED_CTR_CTRL,
 * PERF_CAPABILITIES and the v4 registers the guest lacks always exit.
 */
static void intel_set_intercepts(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	bool pass;

	if (virt->pmu_global_ctrl_enable &&
	    virt->pmu_global_ctrl_enable(vcpu, p->on || pmu_host.prof) &&
	    p->on) {
		pr_warn("vm %s: the backend cannot switch PERF_GLOBAL_CTRL: no guest PMU\n",
			vcpu->vm->name);
		p->on = false;
	}
	pass = p->on && p->passthrough;
	for (u32 i = 0; i < pmu_host.nr_gp; i++) {
		bool mine = pass && i < p->nr_gp;

		virt->msr_intercept(vcpu, INTEL_PMC(i), !mine);
		virt->msr_intercept(vcpu, INTEL_A_PMC(i), !mine);
		virt->msr_intercept(vcpu, INTEL_PERFEVTSEL(i), true);
	}
	for (u32 i = 0; i < pmu_host.nr_fixed; i++)
		virt->msr_intercept(vcpu, INTEL_FIXED_CTR(i),
				    !(pass && i < p->nr_fixed));
	virt->msr_intercept(vcpu, INTEL_FIXED_CTR_CTRL, true);
	virt->msr_intercept(vcpu, INTEL_GLOBAL_STATUS, !pass);
	virt->msr_intercept(vcpu, INTEL_GLOBAL_CTRL, !pass);
	virt->msr_intercept(vcpu, INTEL_GLOBAL_OVF_CTRL, !pass);
	virt->msr_intercept(vcpu, INTEL_GLOBAL_STATUS_SET, true);
	virt->msr_intercept(vcpu, INTEL_GLOBAL_INUSE, true);
	virt->msr_intercept(vcpu, INTEL_PERF_CAPABILITIES, true);
	/*
	 * RDPMC passes through with the layout: the CPU then checks CR4.PCE,
	 * CPL and the index itself, and those #GPs come before the exit
	 * (SDM vol. 3 26.1.1), so the intercept changes nothing for them.
	 */
	virt->rdpmc_intercept(vcpu, !pass);
}

/* Power-up values (SDM 21.2.2: GLOBAL_CTRL enables the GP counters). */
static void intel_reset(struct vpmu *p)
{
	for (u32 i = 0; i < PMU_MAX_GP; i++)
		p->sel[i] = p->sel_hw[i] = p->ctr[i] = 0;
	for (u32 i = 0; i < PMU_MAX_FIXED; i++)
		p->fixed_ctr[i] = 0;
	p->fixed_ctrl = p->fixed_ctrl_hw = 0;
	p->global_ctrl = p->on ? gp_bits(p->nr_gp) : 0;
	p->global_status = 0;
	for (u32 i = 0; i < 2; i++)
		p->emu_insn[i] = p->emu_branch[i] = 0;
}

static void intel_cpuid(struct vcpu *vcpu, u32 leaf, u32 sub,
			struct cpuid_regs *r)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	u32 len;

	(void)sub;
	switch (leaf) {
	case 1:
		/* No DS area: no BTS, no PEBS (DS, DTES64, DS-CPL). */
		r->edx &= ~BIT(21);
		r->ecx &= ~(BIT(2) | BIT(4) | BIT(15));
		if (p->on)
			r->ecx |= BIT(15);	/* PDCM: PERF_CAPABILITIES */
		break;
	case 0xa:
		r->eax = r->ebx = r->ecx = r->edx = 0;
		if (!p->on)
			break;
		/* The 8 architectural events of table 21-1 at most. */
		len = hw.ev_len < 8 ? hw.ev_len : 8;
		r->eax = INTEL_GUEST_VERSION | (u32)p->nr_gp << 8 |
			 pmu_host.gp_width << 16 | len << 24;
		r->ebx = hw.ev_unavail & (u32)gp_bits(len);
		/* ECX (v5 fixed-counter bitmap) stays 0; EDX[15]: no AnyThread. */
		r->edx = p->nr_fixed | pmu_host.fixed_width << 5 | BIT(15);
		break;
	}
}

/*
 * IA32_MISC_ENABLE bits the PMU owns (SDM vol. 4 table 2-2): bit 7
 * performance monitoring available, bit 11 BTS unavailable, bit 12 PEBS
 * unavailable. Linux decides BTS and PEBS from bits 11/12 alone.
 */
static u64 intel_misc_enable(struct vcpu *vcpu)
{
	return (vcpu_pmu(vcpu)->on ? BIT(7) : 0) | BIT(11) | BIT(12);
}

/* Counter @idx in GLOBAL_CTRL layout: GP at 0.., fixed at 32... */
static u32 rdpmc_index(u32 idx)
{
	return idx >= 32 ? INTEL_RDPMC_FIXED | (idx - 32) : idx;
}

static u32 ctr_msr(u32 idx)
{
	return idx >= 32 ? INTEL_FIXED_CTR(idx - 32) : INTEL_A_PMC(idx);
}

static u64 width_of(const struct vpmu *p, u32 idx)
{
	return idx >= 32 ? p->fixed_mask : p->ctr_mask;
}

u64 intel_read_ctr(struct vpmu *p, u32 idx)
{
	if (p->loaded)
		return pmu_rdpmc_hw(p, rdpmc_index(idx)) & width_of(p, idx);
	return idx >= 32 ? p->fixed_ctr[idx - 32] : p->ctr[idx];
}

void intel_write_ctr(struct vpmu *p, u32 idx, u64 val)
{
	val &= width_of(p, idx);
	if (p->loaded)
		pmu_wrmsr(p, ctr_msr(idx), val);
	else if (idx >= 32)
		p->fixed_ctr[idx - 32] = val;
	else
		p->ctr[idx] = val;
}

u64 intel_global_status(struct vpmu *p)
{
	return p->loaded ? pmu_rdmsr(p, INTEL_GLOBAL_STATUS) : p->global_status;
}

void intel_status_set(struct vpmu *p, u64 bits)
{
	if (!bits)
		return;
	if (p->loaded)
		pmu_wrmsr(p, INTEL_GLOBAL_STATUS_SET, bits);
	else
		p->global_status |= bits;
}

void intel_status_clear(struct vpmu *p, u64 bits)
{
	if (!bits)
		return;
	if (p->loaded)
		pmu_wrmsr(p, INTEL_GLOBAL_OVF_CTRL, bits);
	else
		p->global_status &= ~bits;
}

/*
 * Into clean hardware (zero since pmu_cpu_init() or the last put; the
 * hardware GLOBAL_CTRL is 0 while the hypervisor runs): only non-zero
 * values are written. GLOBAL_STATUS is made the guest's exactly: what the
 * hardware has and the guest does not is cleared through OVF_CTRL, what
 * the guest has is set through STATUS_SET (v4). The guest's GLOBAL_CTRL
 * goes to the backend (virt->pmu_global_ctrl_set), loaded by the next VM entry.
 */
static void intel_load(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	u64 hw_status, toggle;

	for (u32 i = 0; i < p->nr_gp; i++) {
		if (p->ctr[i])
			pmu_wrmsr(p, INTEL_A_PMC(i), p->ctr[i]);
		if (p->sel_hw[i])
			pmu_wrmsr(p, INTEL_PERFEVTSEL(i), p->sel_hw[i]);
	}
	for (u32 i = 0; i < p->nr_fixed; i++)
		if (p->fixed_ctr[i])
			pmu_wrmsr(p, INTEL_FIXED_CTR(i), p->fixed_ctr[i]);
	if (p->fixed_ctrl_hw)
		pmu_wrmsr(p, INTEL_FIXED_CTR_CTRL, p->fixed_ctrl_hw);
	hw_status = pmu_rdmsr(p, INTEL_GLOBAL_STATUS);
	toggle = hw_status ^ p->global_status;
	if (hw_status & toggle)
		pmu_wrmsr(p, INTEL_GLOBAL_OVF_CTRL, hw_status & toggle);
	if (p->global_status & toggle)
		pmu_wrmsr(p, INTEL_GLOBAL_STATUS_SET, p->global_status & toggle);
	virt->pmu_global_ctrl_set(vcpu, p->global_ctrl);
}

/*
 * Save and leave the hardware clean. The hardware GLOBAL_CTRL is already
 * 0 (VM exit loaded it), so nothing moves while the counters are read.
 */
static void intel_put(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	p->global_ctrl = virt->pmu_global_ctrl_get(vcpu);
	p->global_status = pmu_rdmsr(p, INTEL_GLOBAL_STATUS);
	if (p->global_status)
		pmu_wrmsr(p, INTEL_GLOBAL_OVF_CTRL, p->global_status);
	p->global_status &= p->global_valid;
	if (p->fixed_ctrl_hw)
		pmu_wrmsr(p, INTEL_FIXED_CTR_CTRL, 0);
	for (u32 i = 0; i < p->nr_gp; i++) {
		p->ctr[i] = pmu_rdpmc_hw(p, i) & p->ctr_mask;
		if (p->ctr[i])
			pmu_wrmsr(p, INTEL_A_PMC(i), 0);
		if (p->sel_hw[i])
			pmu_wrmsr(p, INTEL_PERFEVTSEL(i), 0);
	}
	for (u32 i = 0; i < p->nr_fixed; i++) {
		p->fixed_ctr[i] = pmu_rdpmc_hw(p, INTEL_RDPMC_FIXED | i) &
				  p->fixed_mask;
		if (p->fixed_ctr[i])
			pmu_wrmsr(p, INTEL_FIXED_CTR(i), 0);
	}
}

/* The guest may have written GLOBAL_CTRL without an exit: the backend has it. */
static void intel_after_exit(struct vcpu *vcpu)
{
	vcpu_pmu(vcpu)->global_ctrl = virt->pmu_global_ctrl_get(vcpu);
}

/*
 * Loaded, the backend's copy is the current one even for exits vmx.c
 * handles itself (CR accesses, XSETBV), which see no after_exit: a memory
 * read, no MSR access.
 */
u64 intel_guest_global_ctrl(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	return p->loaded ? virt->pmu_global_ctrl_get(vcpu) : p->global_ctrl;
}

static bool pmi_enabled(const struct vpmu *p, u32 idx)
{
	if (idx >= 32)
		return p->fixed_ctrl & INTEL_FIXED_FIELD(idx - 32, INTEL_FIXED_PMI);
	return p->sel[idx] & PMU_SEL_INT;
}

/* One more event on the counters in @mask, with overflow (SDM 21.2.2). */
static void intel_add_one(struct vcpu *vcpu, u64 mask)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	mask &= p->global_valid;
	while (mask) {
		u32 idx = __builtin_ctzll(mask);
		u64 c;

		mask &= mask - 1;
		c = (intel_read_ctr(p, idx) + 1) & width_of(p, idx);
		intel_write_ctr(p, idx, c);
		if (c)
			continue;
		intel_status_set(p, BIT(idx));
		if (pmi_enabled(p, idx))
			pmu_raise_pmi(vcpu);
	}
}

static void intel_snapshot(struct vcpu *vcpu, struct pmu_snapshot *s)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	for (u32 i = 0; i < p->nr_gp; i++) {
		s->ctr[i] = pmu_rdpmc_hw(p, i) & p->ctr_mask;
		s->sel_hw_read[i] = pmu_rdmsr(p, INTEL_PERFEVTSEL(i));
	}
	for (u32 i = 0; i < p->nr_fixed; i++)
		s->fixed_ctr[i] = pmu_rdpmc_hw(p, INTEL_RDPMC_FIXED | i) &
				  p->fixed_mask;
	s->fixed_ctrl_hw_read = pmu_rdmsr(p, INTEL_FIXED_CTR_CTRL);
	/* The hardware register is 0 in the hypervisor: the backend has it. */
	s->global_ctrl = virt->pmu_global_ctrl_get(vcpu);
	s->global_status = pmu_rdmsr(p, INTEL_GLOBAL_STATUS);
}

const struct pmu_vendor_ops pmu_intel_ops = {
	.name = "Intel architectural",
	.probe = intel_probe,
	.cpu_init = intel_cpu_init,
	.vcpu_setup = intel_vcpu_setup,
	.set_intercepts = intel_set_intercepts,
	.reset = intel_reset,
	.cpuid = intel_cpuid,
	.misc_enable = intel_misc_enable,
	.msr_read = intel_msr_read,
	.msr_write = intel_msr_write,
	.rdpmc = intel_rdpmc,
	.load = intel_load,
	.put = intel_put,
	.after_exit = intel_after_exit,
	.add_one = intel_add_one,
	.global_ctrl = intel_guest_global_ctrl,
	.snapshot = intel_snapshot,
	.prof_setup = intel_prof_setup,
};
