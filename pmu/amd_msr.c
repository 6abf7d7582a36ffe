// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD guest's PMU MSRs and RDPMC (the layout in pmu/amd.c's header):
 * selectors are kept as written and sanitised into their hardware copy
 * (GuestOnly set, the event filter applied by disabling, the emulated
 * events noted); counters and the global registers are served here only
 * when they exit, i.e. when the guest has fewer counters than the
 * hardware (profile = on) or no PMU at all.
 */
#include <hv/errno.h>
#include <hv/vcpu.h>
#include <hv/virt.h>
#include <pmu/amd.h>

static u16 sel_event(u64 sel)
{
	return (sel & PMU_SEL_EVENT) | ((sel & AMD_SEL_EVENT_HI) >> 24);
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

int amd_msr_read(struct vcpu *vcpu, u32 msr, u64 *val)
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
			*val = amd_global_status(p) & p->global_valid;
			return 0;
		case AMD_GLOBAL_CTL:
			*val = amd_global_ctl(p);
			return 0;
		default:
			*val = 0;	/* Clr and Set read as zero */
			return 0;
		}
	}
	if (i >= p->nr_gp)
		return -EINVAL;
	*val = ctl ? p->sel[i] : amd_read_ctr(p, i);
	return 0;
}

int amd_msr_write(struct vcpu *vcpu, u32 msr, u64 val)
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
			amd_status_clear(p, val);
		} else {
			amd_status_set(p, val);
		}
		return 0;
	}
	if (i >= p->nr_gp || (ctl && (val & ~AMD_SEL_VALID)))
		return -EINVAL;
	pmu_retired_insn(vcpu, false);
	if (ctl)
		write_sel(vcpu, i, val);
	else
		amd_write_ctr(p, i, val);
	return 0;
}

int amd_rdpmc(struct vcpu *vcpu, u32 ecx, u64 *val)
{
	struct vpmu *p = vcpu_pmu(vcpu);

	if (!p->on) {
		/* The K7 counters exist and read 0 (see amd_msr_read). */
		*val = 0;
		return ecx < 4 ? 0 : -EINVAL;
	}
	if (ecx >= p->nr_gp)
		return -EINVAL;
	*val = amd_read_ctr(p, ecx);
	return 0;
}
