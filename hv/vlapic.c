// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual local APIC (see hv/vlapic.h): its state and modes, the interrupt
 * state (IRR/ISR/TMR, PPR, acceptance, EOI), LVT delivery and
 * IA32_APIC_BASE. The timer is in hv/vlapic_timer.c, register and MSR
 * access in hv/vlapic_regs.c. Section numbers are those of the Intel SDM
 * vol. 3, chapter 11.
 */
#include <hv/errno.h>
#include <hv/string.h>
#include <hv/vlapic.h>
#include <hv/vlapic_impl.h>

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

void vlapic_eoi(struct vlapic *vl)
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
