// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel guest's PMU MSRs and RDPMC, as architectural version 2 with
 * full-width writes defines them (SDM vol. 3 21.2.1-21.2.2, 21.2.4 for
 * IA32_A_PMCx; vol. 4 table 2-2):
 *
 *   IA32_PMCx          0xC1 + i   legacy: a write sign-extends bit 31
 *   IA32_A_PMCx        0x4C1 + i  full width: bits beyond it #GP
 *   IA32_PERFEVTSELx   0x186 + i  bit 21 (AnyThread, v3) and 63:32 #GP
 *   IA32_FIXED_CTRx    0x309 + i
 *   FIXED_CTR_CTRL     0x38D      4 bits per counter: OS, USR, (Any), PMI
 *   GLOBAL_STATUS      0x38E      read-only
 *   GLOBAL_CTRL        0x38F      reset: the GP counters enabled
 *   GLOBAL_OVF_CTRL    0x390      write 1 to clear; reads 0
 *   PERF_CAPABILITIES  0x345      FW_WRITE only; read-only
 *
 * Counters beyond the guest's count and the v4 registers (STATUS_SET,
 * INUSE) #GP, as they would on a CPU with this CPUID. Selectors and
 * FIXED_CTR_CTRL always exit: the guest reads back what it wrote, the
 * hardware gets a copy without AnyThread and pin control, with the event
 * filter applied by disabling. Everything else exits only when the guest's
 * layout is not the hardware's and is then served from the live hardware
 * (or the saved state), through pmu/intel.c.
 */
#include <hv/errno.h>
#include <hv/vcpu.h>
#include <hv/virt.h>
#include <pmu/intel.h>

enum intel_reg {
	REG_NONE, REG_PMC, REG_A_PMC, REG_SEL, REG_FIXED, REG_FIXED_CTRL,
	REG_STATUS, REG_CTRL, REG_OVF_CTRL, REG_V4, REG_CAPS,
};

/* Which register @msr is, and its counter index. */
static enum intel_reg reg_of(u32 msr, u32 *i)
{
	if (msr >= INTEL_PMC(0) && msr < INTEL_PMC(PMU_MAX_GP)) {
		*i = msr - INTEL_PMC(0);
		return REG_PMC;
	}
	if (msr >= INTEL_A_PMC(0) && msr < INTEL_A_PMC(PMU_MAX_GP)) {
		*i = msr - INTEL_A_PMC(0);
		return REG_A_PMC;
	}
	if (msr >= INTEL_PERFEVTSEL(0) && msr < INTEL_PERFEVTSEL(PMU_MAX_GP)) {
		*i = msr - INTEL_PERFEVTSEL(0);
		return REG_SEL;
	}
	if (msr >= INTEL_FIXED_CTR(0) && msr < INTEL_FIXED_CTR(PMU_MAX_FIXED)) {
		*i = msr - INTEL_FIXED_CTR(0);
		return REG_FIXED;
	}
	*i = 0;
	switch (msr) {
	case INTEL_FIXED_CTR_CTRL:
		return REG_FIXED_CTRL;
	case INTEL_GLOBAL_STATUS:
		return REG_STATUS;
	case INTEL_GLOBAL_CTRL:
		return REG_CTRL;
	case INTEL_GLOBAL_OVF_CTRL:
		return REG_OVF_CTRL;
	case INTEL_GLOBAL_STATUS_SET:
	case INTEL_GLOBAL_INUSE:
		return REG_V4;
	case INTEL_PERF_CAPABILITIES:
		return REG_CAPS;
	}
	return REG_NONE;
}

static void emu_clear(struct vpmu *p, u64 bit)
{
	for (u32 u = 0; u < 2; u++) {
		p->emu_insn[u] &= ~bit;
		p->emu_branch[u] &= ~bit;
	}
}

/*
 * The hardware copy of guest selector @i, and which emulated events it
 * takes (emu_insn/emu_branch bit @i). AnyThread would count the sibling
 * thread (another guest, the hypervisor): never given to the hardware,
 * whatever the guest version. Pin control (bit 19) is meaningless in a VM.
 */
u64 intel_sel_hw(struct vpmu *p, u32 i, u64 sel)
{
	u64 hw = sel & 0xffffffffULL & ~(PMU_SEL_ANY | INTEL_SEL_PC);
	u8 ev = sel & PMU_SEL_EVENT, umask = (sel & PMU_SEL_UMASK) >> 8;

	if ((hw & PMU_SEL_EN) && !pmu_filter_allows(p->filter, ev, umask)) {
		hw &= ~PMU_SEL_EN;
		p->stats.filtered++;
	}
	emu_clear(p, BIT(i));
	if (!(hw & PMU_SEL_EN))
		return 0;
	/*
	 * Plain counts only; CMASK 1 (cycles with at least one) is the same
	 * thing one instruction at a time. Edge, invert, larger CMASKs no.
	 */
	if (umask == 0 && !(hw & (PMU_SEL_EDGE | PMU_SEL_INV)) &&
	    ((hw & PMU_SEL_CMASK) >> 24) <= 1) {
		u64 *m = ev == INTEL_EV_INSNS ? p->emu_insn :
			 ev == INTEL_EV_BRANCHES ? p->emu_branch : NULL;

		if (m && (hw & PMU_SEL_OS))
			m[0] |= BIT(i);
		if (m && (hw & PMU_SEL_USR))
			m[1] |= BIT(i);
	}
	return hw;
}

u64 intel_fixed_ctrl_valid(const struct vpmu *p)
{
	u64 v = 0;

	for (u32 i = 0; i < p->nr_fixed; i++)
		v |= INTEL_FIXED_FIELD(i, INTEL_FIXED_OS | INTEL_FIXED_USR |
					  INTEL_FIXED_PMI);
	return v;
}

/*
 * The hardware FIXED_CTR_CTRL: AnyThread cleared, a counter the filter
 * refuses disabled (its field 0). Fixed counter 0 counts instructions
 * retired (SDM 21.2.2 table), so it takes emulated instructions.
 */
u64 intel_fixed_ctrl_hw(struct vpmu *p, u64 ctrl)
{
	u64 hw = 0;

	emu_clear(p, BIT(32));
	for (u32 i = 0; i < p->nr_fixed; i++) {
		u64 f = (ctrl >> (4 * i)) & (INTEL_FIXED_OS | INTEL_FIXED_USR |
					     INTEL_FIXED_PMI);

		if (!(f & (INTEL_FIXED_OS | INTEL_FIXED_USR)))
			continue;
		if (!pmu_filter_allows_fixed(p->filter, i)) {
			p->stats.filtered++;
			continue;
		}
		hw |= INTEL_FIXED_FIELD(i, f);
		if (i == 0 && (f & INTEL_FIXED_OS))
			p->emu_insn[0] |= BIT(32);
		if (i == 0 && (f & INTEL_FIXED_USR))
			p->emu_insn[1] |= BIT(32);
	}
	return hw;
}

static void write_sel(struct vpmu *p, u32 i, u64 val)
{
	u64 hw;

	p->sel[i] = val;
	hw = intel_sel_hw(p, i, val);
	if (p->loaded && hw != p->sel_hw[i])
		pmu_wrmsr(p, INTEL_PERFEVTSEL(i), hw);
	p->sel_hw[i] = hw;
}

static void write_fixed_ctrl(struct vpmu *p, u64 val)
{
	u64 hw;

	p->fixed_ctrl = val;
	hw = intel_fixed_ctrl_hw(p, val);
	if (p->loaded && hw != p->fixed_ctrl_hw)
		pmu_wrmsr(p, INTEL_FIXED_CTR_CTRL, hw);
	p->fixed_ctrl_hw = hw;
}

/* Does the guest have this register (index included)? */
static bool exists(const struct vpmu *p, enum intel_reg r, u32 i)
{
	switch (r) {
	case REG_PMC:
	case REG_A_PMC:		/* FW_WRITE is always offered */
	case REG_SEL:
		return i < p->nr_gp;
	case REG_FIXED:
		return i < p->nr_fixed;
	case REG_FIXED_CTRL:
	case REG_STATUS:
	case REG_CTRL:
	case REG_OVF_CTRL:
	case REG_CAPS:
		return true;
	default:
		return false;	/* the v4 registers: not in a v2 PMU */
	}
}

int intel_msr_read(struct vcpu *vcpu, u32 msr, u64 *val)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	enum intel_reg r;
	u32 i;

	r = reg_of(msr, &i);
	if (r == REG_NONE)
		return -ENOENT;
	p->stats.guest_msr_exits++;
	*val = 0;
	/* Without a PMU CPUID says version 0 and no PDCM: none exists. */
	if (!p->on || !exists(p, r, i))
		return -EINVAL;
	switch (r) {
	case REG_PMC:
	case REG_A_PMC:
		*val = intel_read_ctr(p, i);
		break;
	case REG_SEL:
		*val = p->sel[i];
		break;
	case REG_FIXED:
		*val = intel_read_ctr(p, 32 + i);
		break;
	case REG_FIXED_CTRL:
		*val = p->fixed_ctrl;
		break;
	case REG_STATUS:
		*val = intel_global_status(p) & p->global_valid;
		break;
	case REG_CTRL:
		*val = intel_guest_global_ctrl(vcpu);
		break;
	case REG_CAPS:
		/* LBR format 0, no PEBS, no PERF_METRICS (21.2.4, 21.6.2.4). */
		*val = INTEL_CAP_FW_WRITE;
		break;
	default:		/* OVF_CTRL reads 0 */
		break;
	}
	return 0;
}

/* Would hardware refuse (#GP) this write? Reserved bits, read-only. */
static bool refused(const struct vpmu *p, enum intel_reg r, u64 val)
{
	switch (r) {
	case REG_PMC:
		return false;	/* bits 63:32 ignored, bit 31 sign-extends */
	case REG_A_PMC:
		return val & ~p->ctr_mask;
	case REG_SEL:
		return val & ~INTEL_SEL_VALID;
	case REG_FIXED:
		return val & ~p->fixed_mask;
	case REG_FIXED_CTRL:
		return val & ~intel_fixed_ctrl_valid(p);
	case REG_CTRL:
		return val & ~p->global_valid;
	case REG_OVF_CTRL:
		return val & ~(p->global_valid | INTEL_STATUS_OVF_BUF |
			       INTEL_STATUS_COND_CHGD);
	default:		/* GLOBAL_STATUS, PERF_CAPABILITIES: read-only */
		return true;
	}
}

int intel_msr_write(struct vcpu *vcpu, u32 msr, u64 val)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	enum intel_reg r;
	u32 i;

	r = reg_of(msr, &i);
	if (r == REG_NONE)
		return -ENOENT;
	p->stats.guest_msr_exits++;
	if (!p->on || !exists(p, r, i) || refused(p, r, val))
		return -EINVAL;
	/* The WRMSR retires under the old settings, then applies. */
	pmu_retired_insn(vcpu, false);
	switch (r) {
	case REG_PMC:
		/* SDM 21.2.4: bits 31:0 written, bit 31 fills the rest. */
		intel_write_ctr(p, i, (u64)(s64)(s32)(u32)val);
		break;
	case REG_A_PMC:
		intel_write_ctr(p, i, val);
		break;
	case REG_SEL:
		write_sel(p, i, val);
		break;
	case REG_FIXED:
		intel_write_ctr(p, 32 + i, val);
		break;
	case REG_FIXED_CTRL:
		write_fixed_ctrl(p, val);
		break;
	case REG_CTRL:
		p->global_ctrl = val;
		if (p->loaded)
			virt->pmu_global_ctrl_set(vcpu, val);
		break;
	case REG_OVF_CTRL:
		intel_status_clear(p, val & p->global_valid);
		break;
	default:
		break;
	}
	return 0;
}

/*
 * RDPMC (SDM vol. 2): ECX[30] selects the fixed counters, the low bits
 * the index; any other bit, an index beyond the guest's counters, and
 * ECX[31] (fast 32-bit reads, which current CPUs no longer offer) #GP.
 * The value is the whole counter, as wide as CPUID.0AH says.
 */
int intel_rdpmc(struct vcpu *vcpu, u32 ecx, u64 *val)
{
	struct vpmu *p = vcpu_pmu(vcpu);
	u32 i = ecx & ~INTEL_RDPMC_FIXED;

	if (!p->on || (ecx & INTEL_RDPMC_FAST))
		return -EINVAL;
	if (ecx & INTEL_RDPMC_FIXED) {
		if (i >= p->nr_fixed)
			return -EINVAL;
		*val = intel_read_ctr(p, 32 + i);
		return 0;
	}
	if (i >= p->nr_gp)
		return -EINVAL;
	*val = intel_read_ctr(p, i);
	return 0;
}
