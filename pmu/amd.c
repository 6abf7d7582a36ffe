// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD side of the mediated PMU: PerfMonV2 core counters (AMD APM
 * vol. 2 13.2, "Performance Monitoring Counters"; PerfCtrExtCore and the
 * global registers of 13.2.2). The guest sees the host's counters:
 *
 *   PERF_CTLn / PERF_CTRn  0xC0010200 + 2n / 0xC0010201 + 2n
 *   legacy K7 aliases      0xC0010000..3 (CTL), 0xC0010004..7 (CTR)
 *   PerfCntrGlobalStatus   0xC0000300 (read-only)
 *   PerfCntrGlobalCtl      0xC0000301 (reset: every counter enabled)
 *   ...GlobalStatusClr/Set 0xC0000302 / 0xC0000303 (write-only)
 *
 * Selectors always exit: the guest reads back what it wrote, the hardware
 * gets a copy with GuestOnly set and HostOnly clear, so with EFER.SVME = 1
 * nothing counts while the hypervisor runs (APM 13.2.1, Host/Guest Only
 * bits) and the state can stay loaded across exits. To the guest EFER.SVME
 * is 0, and there a selector with either bit set counts nothing: its
 * hardware copy is disabled. With the host's counter count the counters,
 * the global registers and RDPMC pass through; with fewer they exit and
 * are served from the live hardware (pmu/amd_msr.c has the MSR and RDPMC
 * handlers, this file the rest).
 *
 * profile = on: the highest counter is the hypervisor's, its selector
 * HostOnly (counts only with EFER.SVME = 1 outside guest mode, APM 13.2.1)
 * and its PerfCntrGlobalCtl bit always set: GlobalCtl is not switched by
 * VMRUN, so every value written to it carries that bit (pmu_prof_ctrl())
 * and every value read from it loses it. Guests then have fewer counters
 * than the hardware, so their counters and global registers exit.
 */
#include <arch/x86/cpu.h>
#include <hv/errno.h>
#include <hv/string.h>
#include <hv/vcpu.h>
#include <hv/virt.h>
#include <pmu/amd.h>
#include <pmu/rules.h>

static void amd_probe(struct pmu_host *h)
{
	struct pmu_amd_cpuid id = { 0 };
	struct cpuid_regs r;

	cpuid_count(0x80000000, 0, &r);
	id.max_ext = r.eax;
	if (id.max_ext >= 0x80000001) {
		cpuid_count(0x80000001, 0, &r);
		id.e1_ecx = r.ecx;
	}
	if (id.max_ext >= 0x80000022) {
		cpuid_count(0x80000022, 0, &r);
		id.e22_eax = r.eax;
		id.e22_ebx = r.ebx;
	}
	pmu_amd_rules(h, &id);
}

static void amd_cpu_init(void)
{
	wrmsr(AMD_GLOBAL_CTL, 0);
	for (u32 i = 0; i < pmu_host.nr_gp; i++) {
		wrmsr(AMD_CTL(i), 0);
		wrmsr(AMD_CTR(i), 0);
	}
	wrmsr(AMD_GLOBAL_CLR, rdmsr(AMD_GLOBAL_STATUS));
	if (pmu_host.prof) {
		wrmsr(AMD_CTL(pmu_host.prof_ctr),
		      PMU_PROF_SEL | AMD_SEL_HOSTONLY);
		wrmsr(AMD_GLOBAL_CTL, pmu_prof_ctrl());
	}
}

static void amd_vcpu_setup(struct vcpu *vcpu, u32 nr_gp)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	p->nr_gp = nr_gp;
	p->nr_fixed = 0;
	p->version = 2;
	p->ctr_mask = (1ULL << AMD_CTR_WIDTH) - 1;
	p->global_valid = amd_counters_mask(p);
	p->passthrough = nr_gp == pmu_host.nr_gp;
	p->auto_mask = false;	/* AMD's APIC does not mask LVTPC */
}

static void amd_set_intercepts(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	bool pass = p->on && p->passthrough;

	for (u32 i = 0; i < p->nr_gp; i++) {
		virt->msr_intercept(vcpu, AMD_CTR(i), !pass);
		if (i < 4)
			virt->msr_intercept(vcpu, AMD_K7_CTR(i), !pass);
	}
	virt->msr_intercept(vcpu, AMD_GLOBAL_STATUS, !pass);
	virt->msr_intercept(vcpu, AMD_GLOBAL_CTL, !pass);
	virt->msr_intercept(vcpu, AMD_GLOBAL_CLR, !pass);
	virt->msr_intercept(vcpu, AMD_GLOBAL_SET, !pass);
	/*
	 * RDPMC: with passthrough the CPU checks CR4.PCE/CPL and the index
	 * itself (those #GPs take priority over the intercept anyway).
	 */
	virt->rdpmc_intercept(vcpu, !pass);
}

static void amd_reset(struct vpmu *p)
{
	for (u32 i = 0; i < PMU_MAX_GP; i++)
		p->sel[i] = p->sel_hw[i] = p->ctr[i] = 0;
	p->global_ctrl = p->on ? amd_counters_mask(p) : 0;	/* 13.2.2 reset */
	p->global_status = 0;
	for (u32 i = 0; i < 2; i++)
		p->emu_insn[i] = p->emu_branch[i] = 0;
}

static void amd_cpuid(struct vcpu *vcpu, u32 leaf, u32 sub,
		      struct cpuid_regs *r)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	(void)sub;		/* no sub-leaves */
	switch (leaf) {
	case 0x80000001:
		r->ecx &= ~BIT(23);
		if (p->on)
			r->ecx |= BIT(23);	/* PerfCtrExtCore */
		break;
	case 0x80000022:
		r->eax = r->ebx = r->ecx = r->edx = 0;
		if (p->on) {
			r->eax = BIT(0);	/* PerfMonV2; no LBR, no freeze */
			r->ebx = p->nr_gp;	/* core counters; no NB/UMC */
		}
		break;
	}
}

u64 amd_read_ctr(struct vpmu *p, u32 i)
{
	return p->loaded ? pmu_rdpmc_hw(p, i) & p->ctr_mask : p->ctr[i];
}

void amd_write_ctr(struct vpmu *p, u32 i, u64 val)
{
	val &= p->ctr_mask;	/* bits 63:48 are ignored */
	if (p->loaded)
		pmu_wrmsr(p, AMD_CTR(i), val);
	else
		p->ctr[i] = val;
}

u64 amd_global_ctl(struct vpmu *p)
{
	return p->loaded ? pmu_rdmsr(p, AMD_GLOBAL_CTL) & p->global_valid :
			   p->global_ctrl;
}

u64 amd_global_status(struct vpmu *p)
{
	return p->loaded ? pmu_rdmsr(p, AMD_GLOBAL_STATUS) : p->global_status;
}

void amd_status_set(struct vpmu *p, u64 bits)
{
	if (!bits)
		return;
	if (p->loaded)
		pmu_wrmsr(p, AMD_GLOBAL_SET, bits);
	else
		p->global_status |= bits;
}

void amd_status_clear(struct vpmu *p, u64 bits)
{
	if (!bits)
		return;
	if (p->loaded)
		pmu_wrmsr(p, AMD_GLOBAL_CLR, bits);
	else
		p->global_status &= ~bits;
}

/*
 * Load into clean hardware (all zero since pmu_cpu_init() or the last
 * put): only non-zero values need writing. GlobalCtl last, although
 * GuestOnly would keep the counters still until VMRUN anyway.
 */
static void amd_load(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	for (u32 i = 0; i < p->nr_gp; i++) {
		if (p->ctr[i])
			pmu_wrmsr(p, AMD_CTR(i), p->ctr[i]);
		if (p->sel_hw[i])
			pmu_wrmsr(p, AMD_CTL(i), p->sel_hw[i]);
	}
	if (p->global_status)
		pmu_wrmsr(p, AMD_GLOBAL_SET, p->global_status);
	if (p->global_ctrl)
		pmu_wrmsr(p, AMD_GLOBAL_CTL, p->global_ctrl | pmu_prof_ctrl());
}

/*
 * Save and leave the hardware clean: GlobalCtl first, so nothing moves
 * (but the profile counter, which is not the guest's).
 */
static void amd_put(struct vcpu *vcpu)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	u64 host = pmu_prof_ctrl(), v;

	v = pmu_rdmsr(p, AMD_GLOBAL_CTL);
	p->global_ctrl = v & p->global_valid;
	if (v != host)
		pmu_wrmsr(p, AMD_GLOBAL_CTL, host);
	v = pmu_rdmsr(p, AMD_GLOBAL_STATUS);
	p->global_status = v & p->global_valid;
	if (v)
		pmu_wrmsr(p, AMD_GLOBAL_CLR, v);
	for (u32 i = 0; i < p->nr_gp; i++) {
		p->ctr[i] = pmu_rdpmc_hw(p, i) & p->ctr_mask;
		if (p->ctr[i])
			pmu_wrmsr(p, AMD_CTR(i), 0);
		if (p->sel_hw[i])
			pmu_wrmsr(p, AMD_CTL(i), 0);
	}
}

static u64 amd_global_ctrl(struct vcpu *vcpu)
{
	return amd_global_ctl(vcpu_pmu(vcpu));
}

static void amd_add_one(struct vcpu *vcpu, u64 mask)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	for (u32 i = 0; i < p->nr_gp; i++) {
		u64 c;

		if (!(mask & BIT(i)))
			continue;
		c = (amd_read_ctr(p, i) + 1) & p->ctr_mask;
		amd_write_ctr(p, i, c);
		if (c)
			continue;
		/* Carry out of bit 47: overflow (13.2.1). */
		amd_status_set(p, BIT(i));
		if (p->sel[i] & PMU_SEL_INT)
			pmu_raise_pmi(vcpu);
	}
}

static void amd_snapshot(struct vcpu *vcpu, struct pmu_snapshot *s)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	for (u32 i = 0; i < p->nr_gp; i++) {
		s->ctr[i] = pmu_rdpmc_hw(p, i) & p->ctr_mask;
		s->sel_hw_read[i] = pmu_rdmsr(p, AMD_CTL(i));
	}
	s->global_ctrl = pmu_rdmsr(p, AMD_GLOBAL_CTL);
	s->global_status = pmu_rdmsr(p, AMD_GLOBAL_STATUS);
}

const struct pmu_vendor_ops pmu_amd_ops = {
	.name = "AMD PerfMonV2",
	.probe = amd_probe,
	.cpu_init = amd_cpu_init,
	.vcpu_setup = amd_vcpu_setup,
	.set_intercepts = amd_set_intercepts,
	.reset = amd_reset,
	.cpuid = amd_cpuid,
	.msr_read = amd_msr_read,
	.msr_write = amd_msr_write,
	.rdpmc = amd_rdpmc,
	.load = amd_load,
	.put = amd_put,
	.add_one = amd_add_one,
	.global_ctrl = amd_global_ctrl,
	.snapshot = amd_snapshot,
};
