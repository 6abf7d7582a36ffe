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
 * are served from the live hardware here.
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
#include <pmu/pmu_impl.h>
#include <pmu/rules.h>

#define AMD_CTL(i)         (0xc0010200 + 2 * (i))
#define AMD_CTR(i)         (0xc0010201 + 2 * (i))
#define AMD_EXT_FIRST      0xc0010200
#define AMD_EXT_LAST       0xc001022f
#define AMD_K7_CTL(i)      (0xc0010000 + (i))
#define AMD_K7_CTR(i)      (0xc0010004 + (i))
#define AMD_K7_FIRST       0xc0010000
#define AMD_K7_LAST        0xc0010007
#define AMD_GLOBAL_STATUS  0xc0000300
#define AMD_GLOBAL_CTL     0xc0000301
#define AMD_GLOBAL_CLR     0xc0000302
#define AMD_GLOBAL_SET     0xc0000303

#define AMD_SEL_EVENT_HI   (0xfULL << 32)
#define AMD_SEL_GUESTONLY  BIT(40)
#define AMD_SEL_HOSTONLY   BIT(41)
/* Reserved: bits 19, 21, 39:36, 63:42 (APM 13.2.1 figure 13-7). */
#define AMD_SEL_VALID      (0xffffULL | PMU_SEL_USR | PMU_SEL_OS | \
			    PMU_SEL_EDGE | PMU_SEL_INT | PMU_SEL_EN | \
			    PMU_SEL_INV | PMU_SEL_CMASK | AMD_SEL_EVENT_HI | \
			    AMD_SEL_GUESTONLY | AMD_SEL_HOSTONLY)

#define AMD_EV_RETIRED_INSNS    0xc0
#define AMD_EV_RETIRED_BRANCHES 0xc2

#define AMD_CTR_WIDTH      PMU_AMD_CTR_WIDTH

static u64 counters_mask(const struct vpmu *p)
{
	return (1ULL << p->nr_gp) - 1;
}

static u16 sel_event(u64 sel)
{
	return (sel & PMU_SEL_EVENT) | ((sel & AMD_SEL_EVENT_HI) >> 24);
}

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
	p->global_valid = counters_mask(p);
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
	p->global_ctrl = p->on ? counters_mask(p) : 0;	/* 13.2.2 reset */
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

/* The hardware copy of a guest selector, and which emulated events it takes. */
static u64 sanitise(struct vcpu *vcpu, u32 i, u64 sel)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	u64 hw = sel & ~(AMD_SEL_GUESTONLY | AMD_SEL_HOSTONLY);
	u16 ev = sel_event(sel);
	u64 bit = BIT(i);

	if (sel & (AMD_SEL_GUESTONLY | AMD_SEL_HOSTONLY))
		hw &= ~PMU_SEL_EN;	/* guest EFER.SVME = 0: counts nothing */
	if ((hw & PMU_SEL_EN) &&
	    !pmu_filter_allows(p->filter, ev, (sel >> 8) & 0xff)) {
		hw &= ~PMU_SEL_EN;
		p->stats.filtered++;
	}
	for (u32 u = 0; u < 2; u++) {
		p->emu_insn[u] &= ~bit;
		p->emu_branch[u] &= ~bit;
	}
	if (!(hw & PMU_SEL_EN))
		return 0;
	/*
	 * Emulated instructions add to plain event counts; CMASK 1 counts
	 * cycles with at least one event, the same thing at one instruction
	 * at a time. EDGE, INV and larger CMASKs are not emulated.
	 */
	if (!(hw & (PMU_SEL_EDGE | PMU_SEL_INV)) &&
	    ((hw & PMU_SEL_CMASK) >> 24) <= 1) {
		u64 *m = ev == AMD_EV_RETIRED_INSNS ? p->emu_insn :
			 ev == AMD_EV_RETIRED_BRANCHES ? p->emu_branch : NULL;

		if (m && (hw & PMU_SEL_OS))
			m[0] |= bit;
		if (m && (hw & PMU_SEL_USR))
			m[1] |= bit;
	}
	return hw | AMD_SEL_GUESTONLY;
}

static u64 read_ctr(struct vpmu *p, u32 i)
{
	return p->loaded ? pmu_rdpmc_hw(p, i) & p->ctr_mask : p->ctr[i];
}

static void write_ctr(struct vpmu *p, u32 i, u64 val)
{
	val &= p->ctr_mask;	/* bits 63:48 are ignored */
	if (p->loaded)
		pmu_wrmsr(p, AMD_CTR(i), val);
	else
		p->ctr[i] = val;
}

static void write_sel(struct vcpu *vcpu, u32 i, u64 val)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	u64 hw;

	p->sel[i] = val;
	hw = sanitise(vcpu, i, val);
	if (p->loaded && hw != p->sel_hw[i])
		pmu_wrmsr(p, AMD_CTL(i), hw);
	p->sel_hw[i] = hw;
}

static u64 global_ctl(struct vpmu *p)
{
	return p->loaded ? pmu_rdmsr(p, AMD_GLOBAL_CTL) & p->global_valid :
			   p->global_ctrl;
}

static u64 global_status(struct vpmu *p)
{
	return p->loaded ? pmu_rdmsr(p, AMD_GLOBAL_STATUS) : p->global_status;
}

static void status_set(struct vpmu *p, u64 bits)
{
	if (!bits)
		return;
	if (p->loaded)
		pmu_wrmsr(p, AMD_GLOBAL_SET, bits);
	else
		p->global_status |= bits;
}

static void status_clear(struct vpmu *p, u64 bits)
{
	if (!bits)
		return;
	if (p->loaded)
		pmu_wrmsr(p, AMD_GLOBAL_CLR, bits);
	else
		p->global_status &= ~bits;
}

/*
 * Which counter an MSR names: *ctl is set for a selector. -ENOENT if it is
 * not a core-counter MSR at all.
 */
static int counter_of(u32 msr, u32 *idx, bool *ctl, bool *legacy)
{
	if (msr >= AMD_EXT_FIRST && msr <= AMD_EXT_LAST) {
		*idx = (msr - AMD_EXT_FIRST) / 2;
		*ctl = !((msr - AMD_EXT_FIRST) & 1);
		*legacy = false;
		return 0;
	}
	if (msr >= AMD_K7_FIRST && msr <= AMD_K7_LAST) {
		*idx = (msr - AMD_K7_FIRST) & 3;
		*ctl = msr < AMD_K7_CTR(0);
		*legacy = true;
		return 0;
	}
	return -ENOENT;
}

static bool is_global(u32 msr)
{
	return msr >= AMD_GLOBAL_STATUS && msr <= AMD_GLOBAL_SET;
}

static int amd_msr_read(struct vcpu *vcpu, u32 msr, u64 *val)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	bool ctl = false, legacy = false;
	u32 i;

	if (counter_of(msr, &i, &ctl, &legacy) && !is_global(msr))
		return -ENOENT;
	p->stats.guest_msr_exits++;
	if (!p->on) {
		/*
		 * Every AMD CPU has the four K7 counters: without a guest PMU
		 * they read 0 and ignore writes; the rest does not exist.
		 */
		*val = 0;
		return legacy ? 0 : -EINVAL;
	}
	if (is_global(msr)) {
		switch (msr) {
		case AMD_GLOBAL_STATUS:
			*val = global_status(p) & p->global_valid;
			return 0;
		case AMD_GLOBAL_CTL:
			*val = global_ctl(p);
			return 0;
		default:
			*val = 0;	/* Clr and Set read as zero */
			return 0;
		}
	}
	if (i >= p->nr_gp)
		return -EINVAL;
	*val = ctl ? p->sel[i] : read_ctr(p, i);
	return 0;
}

static int amd_msr_write(struct vcpu *vcpu, u32 msr, u64 val)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	bool ctl = false, legacy = false;
	u32 i;

	if (counter_of(msr, &i, &ctl, &legacy) && !is_global(msr))
		return -ENOENT;
	p->stats.guest_msr_exits++;
	if (!p->on) {
		if (!legacy)
			return -EINVAL;
		pmu_retired_insn(vcpu, false);
		return 0;
	}
	if (is_global(msr)) {
		if (msr == AMD_GLOBAL_STATUS)
			return -EINVAL;
		/*
		 * GlobalCtl has no bits beyond the counters. Clr and Set take
		 * any value and act on the counters' bits only: Linux's
		 * PerfMonV2 handler writes ~status to Clr after every PMI.
		 */
		if (msr == AMD_GLOBAL_CTL && (val & ~p->global_valid))
			return -EINVAL;
		/* The WRMSR retires under the old settings, then applies. */
		pmu_retired_insn(vcpu, false);
		val &= p->global_valid;
		if (msr == AMD_GLOBAL_CTL) {
			if (p->loaded)
				pmu_wrmsr(p, AMD_GLOBAL_CTL,
					  val | pmu_prof_ctrl());
			else
				p->global_ctrl = val;
		} else if (msr == AMD_GLOBAL_CLR) {
			status_clear(p, val);
		} else {
			status_set(p, val);
		}
		return 0;
	}
	if (i >= p->nr_gp || (ctl && (val & ~AMD_SEL_VALID)))
		return -EINVAL;
	pmu_retired_insn(vcpu, false);
	if (ctl)
		write_sel(vcpu, i, val);
	else
		write_ctr(p, i, val);
	return 0;
}

static int amd_rdpmc(struct vcpu *vcpu, u32 ecx, u64 *val)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	if (!p->on) {
		/* The K7 counters exist and read 0 (see amd_msr_read). */
		*val = 0;
		return ecx < 4 ? 0 : -EINVAL;
	}
	if (ecx >= p->nr_gp)
		return -EINVAL;
	*val = read_ctr(p, ecx);
	return 0;
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
	return global_ctl(vcpu_pmu(vcpu));
}

static void amd_add_one(struct vcpu *vcpu, u64 mask)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	for (u32 i = 0; i < p->nr_gp; i++) {
		u64 c;

		if (!(mask & BIT(i)))
			continue;
		c = (read_ctr(p, i) + 1) & p->ctr_mask;
		write_ctr(p, i, c);
		if (c)
			continue;
		/* Carry out of bit 47: overflow (13.2.1). */
		status_set(p, BIT(i));
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
