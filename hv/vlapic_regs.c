// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual local APIC's registers (Intel SDM vol. 3 ch. 11): reads and
 * writes of the xAPIC page, the ICR's IPIs, and the x2APIC MSRs (11.12)
 * over the same registers.
 */
#include <hv/errno.h>
#include <hv/vlapic.h>
#include <hv/vlapic_impl.h>

#define ICR_LO_WRITABLE  0x000ccfffu	/* 11.6.1: not delivery status */

/* Writable bits of each LVT entry (11.5.1, figure 11-8). */
static const u32 lvt_mask[NR_LVT] = {
	[LVT_TIMER] = 0x700ff,		/* vector, mask, timer mode */
	[LVT_THERMAL] = 0x107ff,
	[LVT_PERF] = 0x107ff,		/* vector, delivery mode, mask */
	[LVT_LINT0] = 0x1a7ff,		/* + polarity, trigger mode */
	[LVT_LINT1] = 0x1a7ff,
	[LVT_ERROR] = 0x100ff,
};

static void write_lvt(struct vlapic *vl, enum vlapic_lvt lvt, u32 val)
{
	u32 old_mode = timer_mode(vl);

	val &= lvt_mask[lvt];
	if (!sw_enabled(vl))
		val |= APIC_LVT_MASKED;	/* 11.4.7.2 */
	if (lvt == LVT_TIMER && ((val >> 17) & 3) == 3)
		val &= ~(3u << 17);	/* reserved mode: keep one-shot */
	vl->lvt[lvt] = val;
	/* A mode change disarms the timer (11.5.4.1). */
	if (lvt == LVT_TIMER && timer_mode(vl) != old_mode) {
		vl->timer_expiry = 0;
		vl->timer_icr = 0;
		vl->tsc_deadline = 0;
	}
}

static int lvt_index(u32 off)
{
	switch (off) {
	case APIC_REG_LVT_TIMER: return LVT_TIMER;
	case APIC_REG_LVT_THERM: return LVT_THERMAL;
	case APIC_REG_LVT_PERF: return LVT_PERF;
	case APIC_REG_LVT_LINT0: return LVT_LINT0;
	case APIC_REG_LVT_LINT1: return LVT_LINT1;
	case APIC_REG_LVT_ERROR: return LVT_ERROR;
	}
	return -1;
}

u32 vlapic_read(struct vlapic *vl, u32 off, u64 now)
{
	int lvt = lvt_index(off);

	if (lvt >= 0)
		return vl->lvt[lvt];
	if (off >= APIC_REG_ISR && off < APIC_REG_ISR + 0x80)
		return __atomic_load_n(&vl->isr[(off - APIC_REG_ISR) >> 4],
				       __ATOMIC_ACQUIRE);
	if (off >= APIC_REG_TMR && off < APIC_REG_TMR + 0x80)
		return __atomic_load_n(&vl->tmr[(off - APIC_REG_TMR) >> 4],
				       __ATOMIC_ACQUIRE);
	if (off >= APIC_REG_IRR && off < APIC_REG_IRR + 0x80)
		return __atomic_load_n(&vl->irr[(off - APIC_REG_IRR) >> 4],
				       __ATOMIC_ACQUIRE);
	switch (off) {
	case APIC_REG_ID:
		return vlapic_x2apic(vl) ? vl->id : vl->id << 24;
	case APIC_REG_VERSION:
		return vl->version | ((NR_LVT - 1) << 16);
	case APIC_REG_TPR:
		return vl->tpr;
	case APIC_REG_PPR:
		return vlapic_ppr(vl);
	case APIC_REG_LDR:
		return vl->ldr;
	case APIC_REG_DFR:
		return vl->dfr;
	case APIC_REG_SVR:
		return vl->svr;
	case APIC_REG_ESR:
		return vl->esr;
	case APIC_REG_ICR:
		return vl->icr_lo;
	case APIC_REG_ICR2:
		return vl->icr_hi;
	case APIC_REG_TMICT:
		return vl->timer_icr;
	case APIC_REG_TMCCT:
		return vlapic_timer_current(vl, now);
	case APIC_REG_TDCR:
		return vl->timer_dcr;
	}
	return 0;	/* APR, RRD, EOI and holes */
}

static void send_icr(struct vlapic *vl)
{
	u32 dm = (vl->icr_lo & APIC_DM_MASK) >> APIC_DM_SHIFT;
	u32 dest = vlapic_x2apic(vl) ? vl->icr_hi : vl->icr_hi >> 24;

	if ((dm == APIC_DM_FIXED || dm == APIC_DM_LOWEST) &&
	    (vl->icr_lo & 0xff) < 16) {
		vl->esr_pending |= ESR_SEND_ILLEGAL;
		return;
	}
	if (vl->ops && vl->ops->send_ipi)
		vl->ops->send_ipi(vl, vl->icr_lo, dest);
}

void vlapic_write(struct vlapic *vl, u32 off, u32 val, u64 now)
{
	int lvt = lvt_index(off);

	if (lvt >= 0) {
		write_lvt(vl, lvt, val);
		return;
	}
	switch (off) {
	case APIC_REG_TPR:
		vl->tpr = val & 0xff;
		break;
	case APIC_REG_EOI:
		vlapic_eoi(vl);
		break;
	case APIC_REG_LDR:
		if (!vlapic_x2apic(vl))
			vl->ldr = val & 0xff000000;
		break;
	case APIC_REG_DFR:
		if (!vlapic_x2apic(vl))
			vl->dfr = val | 0x0fffffff;
		break;
	case APIC_REG_SVR:
		vl->svr = val & 0x3ff;
		if (!sw_enabled(vl))
			for (int i = 0; i < NR_LVT; i++)
				vl->lvt[i] |= APIC_LVT_MASKED;
		break;
	case APIC_REG_ESR:
		/* A write latches the errors seen since the last one. */
		vl->esr = __atomic_exchange_n(&vl->esr_pending, 0,
					      __ATOMIC_RELAXED);
		break;
	case APIC_REG_ICR:
		vl->icr_lo = val & ICR_LO_WRITABLE;
		send_icr(vl);
		break;
	case APIC_REG_ICR2:
		vl->icr_hi = val & 0xff000000;
		break;
	case APIC_REG_TMICT:
		vlapic_timer_load(vl, val, now);
		break;
	case APIC_REG_TDCR:
		vl->timer_dcr = val & 0xb;
		break;
	case APIC_REG_SELF_IPI:
		if (vlapic_x2apic(vl))
			vlapic_accept(vl, val & 0xff, false);
		break;
	}
	/* ID, version, PPR, ISR/TMR/IRR, current count: read-only. */
}

/* x2APIC (11.12.1.2, table 11-6). */

static bool x2_readable(u32 off)
{
	switch (off) {
	case APIC_REG_APR: case APIC_REG_EOI: case APIC_REG_RRD:
	case APIC_REG_DFR: case APIC_REG_ICR2: case APIC_REG_SELF_IPI:
		return false;
	}
	if (off >= 0x400)
		return false;
	if ((off >= 0x040 && off < 0x080) || (off >= 0x290 && off < 0x300) ||
	    (off >= 0x3a0 && off < 0x3e0) || off < APIC_REG_ID)
		return false;
	return true;
}

static bool x2_writable(u32 off)
{
	if (lvt_index(off) >= 0)
		return true;
	switch (off) {
	case APIC_REG_TPR: case APIC_REG_EOI: case APIC_REG_SVR:
	case APIC_REG_ESR: case APIC_REG_ICR: case APIC_REG_TMICT:
	case APIC_REG_TDCR: case APIC_REG_SELF_IPI:
		return true;
	}
	return false;
}

int vlapic_msr_read(struct vlapic *vl, u32 msr, u64 now, u64 *val)
{
	u32 off = (msr - MSR_X2APIC_FIRST) << 4;

	if (!vlapic_x2apic(vl) || msr < MSR_X2APIC_FIRST ||
	    msr > MSR_X2APIC_LAST || !x2_readable(off))
		return -EINVAL;
	*val = vlapic_read(vl, off, now);
	if (off == APIC_REG_ICR)
		*val |= (u64)vl->icr_hi << 32;
	return 0;
}

int vlapic_msr_write(struct vlapic *vl, u32 msr, u64 val, u64 now)
{
	u32 off = (msr - MSR_X2APIC_FIRST) << 4;

	if (!vlapic_x2apic(vl) || msr < MSR_X2APIC_FIRST ||
	    msr > MSR_X2APIC_LAST || !x2_writable(off))
		return -EINVAL;
	/* Reserved bits must be zero: EOI, ESR, self IPI (11.12.9). */
	if ((off == APIC_REG_EOI || off == APIC_REG_ESR) && val)
		return -EINVAL;
	if (off == APIC_REG_SELF_IPI && (val >> 8))
		return -EINVAL;
	if (off != APIC_REG_ICR && (val >> 32))
		return -EINVAL;
	if (off == APIC_REG_ICR) {
		vl->icr_hi = val >> 32;
		vl->icr_lo = (u32)val & ICR_LO_WRITABLE;
		send_icr(vl);
		return 0;
	}
	vlapic_write(vl, off, (u32)val, now);
	return 0;
}
