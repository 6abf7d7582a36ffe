// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual local APIC register logic (see hv/vlapic.h). Section numbers are
 * those of the Intel SDM vol. 3, chapter 11.
 */
#include <hv/errno.h>
#include <hv/string.h>
#include <hv/vlapic.h>

/* Writable bits of each LVT entry (11.5.1, figure 11-8). */
static const u32 lvt_mask[NR_LVT] = {
	[LVT_TIMER] = 0x700ff,		/* vector, mask, timer mode */
	[LVT_THERMAL] = 0x107ff,
	[LVT_PERF] = 0x107ff,		/* vector, delivery mode, mask */
	[LVT_LINT0] = 0x1a7ff,		/* + polarity, trigger mode */
	[LVT_LINT1] = 0x1a7ff,
	[LVT_ERROR] = 0x100ff,
};

#define ESR_SEND_ILLEGAL BIT(5)
#define ESR_RECV_ILLEGAL BIT(6)
#define ICR_LO_WRITABLE  0x000ccfffu	/* 11.6.1: not delivery status */
/* Shortest periodic timer period accepted: protects the host. */
#define MIN_PERIOD_NS    20000

static bool test_vec(const u32 *v, u8 vec)
{
	return __atomic_load_n(&v[vec >> 5], __ATOMIC_RELAXED) &
	       (1u << (vec & 31));
}

static void set_vec(u32 *v, u8 vec)
{
	__atomic_fetch_or(&v[vec >> 5], 1u << (vec & 31), __ATOMIC_RELEASE);
}

static void clear_vec(u32 *v, u8 vec)
{
	__atomic_fetch_and(&v[vec >> 5], ~(1u << (vec & 31)),
			   __ATOMIC_RELEASE);
}

/* Highest set vector, or -1. */
static int highest(const u32 *v)
{
	for (int i = 7; i >= 0; i--) {
		u32 w = __atomic_load_n(&v[i], __ATOMIC_ACQUIRE);

		if (w)
			return i * 32 + 31 - __builtin_clz(w);
	}
	return -1;
}

static u64 bus_ticks_to_tsc(const struct vlapic *vl, u64 ticks)
{
	return (u64)(((unsigned __int128)ticks * vl->bus_to_tsc) >> 32);
}

static u64 tsc_to_bus_ticks(const struct vlapic *vl, u64 tsc)
{
	return (u64)(((unsigned __int128)tsc * vl->tsc_to_bus) >> 24);
}

void vlapic_init(struct vlapic *vl, u32 id, bool bsp, u64 tsc_hz,
		 const struct vlapic_ops *ops, void *owner)
{
	memset(vl, 0, sizeof(*vl));
	vl->ops = ops;
	vl->owner = owner;
	vl->id = id;
	vl->version = VLAPIC_VERSION;
	vl->base_msr = VLAPIC_DEFAULT_BASE | APIC_BASE_MSR_EN |
		       (bsp ? APIC_BASE_MSR_BSP : 0);
	/* Split so that no intermediate value overflows 64 bits. */
	vl->bus_to_tsc = ((tsc_hz / VLAPIC_BUS_HZ) << 32) +
			 ((tsc_hz % VLAPIC_BUS_HZ) << 32) / VLAPIC_BUS_HZ;
	vl->tsc_to_bus = (VLAPIC_BUS_HZ << 24) / (tsc_hz ? tsc_hz : 1);
	vlapic_reset(vl);
}

void vlapic_reset(struct vlapic *vl)
{
	vl->tpr = vl->ldr = vl->esr = vl->esr_pending = 0;
	vl->icr_lo = vl->icr_hi = 0;
	vl->dfr = 0xffffffff;
	vl->svr = 0xff;
	for (int i = 0; i < NR_LVT; i++)
		vl->lvt[i] = APIC_LVT_MASKED;
	memset(vl->isr, 0, sizeof(vl->isr));
	memset(vl->irr, 0, sizeof(vl->irr));
	memset(vl->tmr, 0, sizeof(vl->tmr));
	vl->timer_icr = vl->timer_dcr = 0;
	vl->timer_period = vl->timer_expiry = vl->tsc_deadline = 0;
	if (vlapic_x2apic(vl))
		vl->ldr = ((vl->id >> 4) << 16) | (1u << (vl->id & 0xf));
}

bool vlapic_hw_enabled(const struct vlapic *vl)
{
	return vl->base_msr & APIC_BASE_MSR_EN;
}

bool vlapic_x2apic(const struct vlapic *vl)
{
	return vlapic_hw_enabled(vl) && (vl->base_msr & APIC_BASE_MSR_EXTD);
}

bool vlapic_xapic(const struct vlapic *vl)
{
	return vlapic_hw_enabled(vl) && !(vl->base_msr & APIC_BASE_MSR_EXTD);
}

static bool sw_enabled(const struct vlapic *vl)
{
	return vl->svr & APIC_SVR_ENABLE;
}

u32 vlapic_ppr(const struct vlapic *vl)
{
	int isrv = highest(vl->isr);
	u32 isr_class = isrv < 0 ? 0 : (u32)isrv & 0xf0;

	/* 11.8.3.1 */
	if ((vl->tpr & 0xf0) >= isr_class)
		return vl->tpr & 0xff;
	return isr_class;
}

int vlapic_pending_vector(const struct vlapic *vl)
{
	int irrv;

	if (!vlapic_hw_enabled(vl) || !sw_enabled(vl))
		return -1;
	irrv = highest(vl->irr);
	if (irrv < 0 || ((u32)irrv & 0xf0) <= (vlapic_ppr(vl) & 0xf0))
		return -1;
	return irrv;
}

int vlapic_tpr_held_class(const struct vlapic *vl)
{
	int irrv, isrv;

	if (!vlapic_hw_enabled(vl) || !sw_enabled(vl))
		return -1;
	irrv = highest(vl->irr);
	isrv = highest(vl->isr);
	if (irrv < 0 || (isrv >= 0 && (irrv >> 4) <= (isrv >> 4)) ||
	    (u32)(irrv >> 4) > (vl->tpr >> 4))
		return -1;
	return irrv >> 4;
}

int vlapic_irq_check(const struct vlapic *vl, int *held)
{
	int irrv, isrv;
	u32 isr_class, ppr_class;

	*held = -1;
	if (!vlapic_hw_enabled(vl) || !sw_enabled(vl))
		return -1;
	irrv = highest(vl->irr);
	if (irrv < 0)
		return -1;
	isrv = highest(vl->isr);
	isr_class = isrv < 0 ? 0 : (u32)isrv & 0xf0;
	ppr_class = MAX(vl->tpr & 0xf0, isr_class);	/* 11.8.3.1 */
	if (((u32)irrv & 0xf0) > ppr_class)
		return irrv;
	if ((isrv < 0 || (irrv >> 4) > (isrv >> 4)) &&
	    (u32)(irrv >> 4) <= (vl->tpr >> 4))
		*held = irrv >> 4;
	return -1;
}

void vlapic_ack(struct vlapic *vl, u8 vector)
{
	clear_vec(vl->irr, vector);
	set_vec(vl->isr, vector);
}

bool vlapic_accept(struct vlapic *vl, u8 vector, bool level)
{
	if (!vlapic_hw_enabled(vl))
		return false;
	if (vector < 16) {
		/* 11.5.3: vectors 0-15 are illegal. */
		__atomic_fetch_or(&vl->esr_pending, ESR_RECV_ILLEGAL,
				  __ATOMIC_RELAXED);
		return false;
	}
	if (level)
		set_vec(vl->tmr, vector);
	else
		clear_vec(vl->tmr, vector);
	set_vec(vl->irr, vector);
	return true;
}

static void eoi(struct vlapic *vl)
{
	int v = highest(vl->isr);

	if (v < 0)
		return;
	clear_vec(vl->isr, v);
	if (test_vec(vl->tmr, v) && vl->ops && vl->ops->eoi_level)
		vl->ops->eoi_level(vl, v);
}

bool vlapic_deliver_lvt(struct vlapic *vl, enum vlapic_lvt lvt)
{
	u32 e = vl->lvt[lvt];

	if ((e & APIC_LVT_MASKED) || !vlapic_hw_enabled(vl))
		return false;
	switch ((e & APIC_DM_MASK) >> APIC_DM_SHIFT) {
	case APIC_DM_NMI:
		__atomic_store_n(&vl->pending_nmi, 1, __ATOMIC_RELEASE);
		return true;
	case APIC_DM_FIXED:
		return vlapic_accept(vl, e & 0xff,
				     lvt >= LVT_LINT0 && lvt <= LVT_LINT1 &&
				     (e & APIC_ICR_LEVEL));
	default:
		return false;	/* SMI, INIT, ExtINT: not modelled */
	}
}

/* Timer (11.5.4). */

static u32 timer_mode(const struct vlapic *vl)
{
	return (vl->lvt[LVT_TIMER] >> 17) & 3;
}

static u32 timer_divisor(const struct vlapic *vl)
{
	/* Divide configuration bits 0, 1 and 3 (figure 11-10). */
	u32 v = (vl->timer_dcr & 3) | ((vl->timer_dcr >> 1) & 4);

	return v == 7 ? 1 : 2u << v;
}

static void timer_load(struct vlapic *vl, u32 count, u64 now)
{
	u64 min;

	if (timer_mode(vl) == APIC_TIMER_DEADLINE)
		return;		/* no effect in TSC-deadline mode */
	vl->timer_icr = count;
	vl->timer_expiry = 0;
	if (!count)
		return;
	vl->timer_period = bus_ticks_to_tsc(vl, (u64)count *
					    timer_divisor(vl));
	if (timer_mode(vl) == APIC_TIMER_PERIODIC) {
		min = bus_ticks_to_tsc(vl, MIN_PERIOD_NS * VLAPIC_BUS_HZ /
					   1000000000ULL);
		if (vl->timer_period < min)
			vl->timer_period = min;
	}
	if (!vl->timer_period)
		vl->timer_period = 1;
	vl->timer_expiry = now + vl->timer_period;
}

static u32 timer_current(const struct vlapic *vl, u64 now)
{
	if (timer_mode(vl) == APIC_TIMER_DEADLINE || !vl->timer_expiry ||
	    now >= vl->timer_expiry)
		return 0;
	return tsc_to_bus_ticks(vl, vl->timer_expiry - now) /
	       timer_divisor(vl);
}

u64 vlapic_timer_check(struct vlapic *vl, u64 now)
{
	if (!vl->timer_expiry || now < vl->timer_expiry)
		return vl->timer_expiry;
	vlapic_deliver_lvt(vl, LVT_TIMER);
	switch (timer_mode(vl)) {
	case APIC_TIMER_PERIODIC:
		vl->timer_expiry += vl->timer_period;
		if (vl->timer_expiry <= now)	/* fell behind: skip ticks */
			vl->timer_expiry = now + vl->timer_period;
		break;
	case APIC_TIMER_DEADLINE:
		vl->tsc_deadline = 0;
		vl->timer_expiry = 0;
		break;
	default:
		vl->timer_expiry = 0;
		break;
	}
	return vl->timer_expiry;
}

u64 vlapic_get_tsc_deadline(const struct vlapic *vl)
{
	return timer_mode(vl) == APIC_TIMER_DEADLINE ? vl->tsc_deadline : 0;
}

/* The host TSC at which the guest's TSC reaches the deadline; 0: none. */
static void deadline_expiry(struct vlapic *vl)
{
	u64 host = vl->tsc_deadline - vl->tsc_offset;

	vl->timer_expiry = !vl->tsc_deadline ? 0 : host ? host : 1;
}

void vlapic_set_tsc_deadline(struct vlapic *vl, u64 val)
{
	/* Ignored outside TSC-deadline mode (11.5.4.1). */
	if (timer_mode(vl) != APIC_TIMER_DEADLINE)
		return;
	vl->tsc_deadline = val;
	deadline_expiry(vl);
}

void vlapic_set_tsc_offset(struct vlapic *vl, u64 offset)
{
	vl->tsc_offset = offset;
	if (timer_mode(vl) == APIC_TIMER_DEADLINE)
		deadline_expiry(vl);
}

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
		return timer_current(vl, now);
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
		eoi(vl);
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
		timer_load(vl, val, now);
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

int vlapic_set_base(struct vlapic *vl, u64 val)
{
	bool en = val & APIC_BASE_MSR_EN, x2 = val & APIC_BASE_MSR_EXTD;
	bool was_en = vlapic_hw_enabled(vl), was_x2 = vlapic_x2apic(vl);
	u64 keep_bsp = vl->base_msr & APIC_BASE_MSR_BSP;

	/* Bits 0-7, 9 and above MAXPHYADDR (taken as 52) are reserved. */
	if (val & (0xffULL | BIT(9) | (~0ULL << 52)))
		return -EINVAL;
	/* Invalid transitions of figure 11-26 (11.12.5). */
	if (x2 && !en)
		return -EINVAL;
	if (was_x2 && en && !x2)
		return -EINVAL;
	if (!was_en && x2)
		return -EINVAL;
	vl->base_msr = (val & ~APIC_BASE_MSR_BSP) | keep_bsp;
	if (!en) {
		vlapic_reset(vl);	/* disabling resets the APIC */
	} else if (x2 && !was_x2) {
		vl->ldr = ((vl->id >> 4) << 16) | (1u << (vl->id & 0xf));
		vl->dfr = 0xffffffff;
	}
	return 0;
}
