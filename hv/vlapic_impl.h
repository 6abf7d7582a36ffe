/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual local APIC's private helpers and the calls between its
 * files: hv/vlapic.c (state, IRR/ISR/TMR, PPR, LVT delivery, APIC base),
 * hv/vlapic_timer.c (the timer) and hv/vlapic_regs.c (xAPIC registers,
 * x2APIC MSRs). Nothing else includes this.
 */
#ifndef HV_VLAPIC_IMPL_H
#define HV_VLAPIC_IMPL_H

#include <hv/vlapic.h>

#define ESR_SEND_ILLEGAL BIT(5)
#define ESR_RECV_ILLEGAL BIT(6)

/* The 256-bit vector sets (IRR, ISR, TMR): eight 32-bit words. */
static inline bool test_vec(const u32 *v, u8 vec)
{
	return __atomic_load_n(&v[vec >> 5], __ATOMIC_RELAXED) &
	       (1u << (vec & 31));
}

static inline void set_vec(u32 *v, u8 vec)
{
	__atomic_fetch_or(&v[vec >> 5], 1u << (vec & 31), __ATOMIC_RELEASE);
}

static inline void clear_vec(u32 *v, u8 vec)
{
	__atomic_fetch_and(&v[vec >> 5], ~(1u << (vec & 31)),
			   __ATOMIC_RELEASE);
}

/* Highest set vector, or -1. */
static inline int highest(const u32 *v)
{
	for (int i = 7; i >= 0; i--) {
		u32 w = __atomic_load_n(&v[i], __ATOMIC_ACQUIRE);

		if (w)
			return i * 32 + 31 - __builtin_clz(w);
	}
	return -1;
}

static inline bool sw_enabled(const struct vlapic *vl)
{
	return vl->svr & APIC_SVR_ENABLE;
}

static inline u32 timer_mode(const struct vlapic *vl)
{
	return (vl->lvt[LVT_TIMER] >> 17) & 3;
}

/* vlapic.c: EOI of the highest in-service vector (11.8.5). */
void vlapic_eoi(struct vlapic *vl);

/* vlapic_timer.c (11.5.4): a write of the initial count; the current one. */
void vlapic_timer_load(struct vlapic *vl, u32 count, u64 now);
u32 vlapic_timer_current(const struct vlapic *vl, u64 now);

#endif /* HV_VLAPIC_IMPL_H */
