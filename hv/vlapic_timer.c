// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual local APIC timer (Intel SDM vol. 3 11.5.4): one-shot,
 * periodic and TSC-deadline modes, counted in APIC bus ticks
 * (VLAPIC_BUS_HZ) converted to and from the host TSC the caller passes.
 */
#include <hv/vlapic.h>
#include <hv/vlapic_impl.h>

/* Shortest periodic timer period accepted: protects the host. */
#define MIN_PERIOD_NS    20000

static u64 bus_ticks_to_tsc(const struct vlapic *vl, u64 ticks)
{
	return (u64)(((unsigned __int128)ticks * vl->bus_to_tsc) >> 32);
}

static u64 tsc_to_bus_ticks(const struct vlapic *vl, u64 tsc)
{
	return (u64)(((unsigned __int128)tsc * vl->tsc_to_bus) >> 24);
}

static u32 timer_divisor(const struct vlapic *vl)
{
	/* Divide configuration bits 0, 1 and 3 (figure 11-10). */
	u32 v = (vl->timer_dcr & 3) | ((vl->timer_dcr >> 1) & 4);

	return v == 7 ? 1 : 2u << v;
}

void vlapic_timer_load(struct vlapic *vl, u32 count, u64 now)
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

u32 vlapic_timer_current(const struct vlapic *vl, u64 now)
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
