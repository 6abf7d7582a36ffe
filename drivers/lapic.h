/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host local APIC: xAPIC (MMIO) or x2APIC (MSRs), as the firmware left it
 * or switched to x2APIC when xAPIC cannot reach every CPU (apic_mode.h).
 */
#ifndef DRIVERS_LAPIC_H
#define DRIVERS_LAPIC_H

#include <hv/types.h>

struct acpi_info;
struct apic_choice;

/* ICR fields (SDM vol. 3 11.6.1). */
#define ICR_DM_FIXED   (0 << 8)
#define ICR_DM_NMI     (4 << 8)
#define ICR_DM_INIT    (5 << 8)
#define ICR_DM_STARTUP (6 << 8)
#define ICR_LEVEL_ASSERT BIT(14)
#define ICR_TRIGGER_LEVEL BIT(15)
#define ICR_BUSY       BIT(12)

/*
 * Chooses the host's APIC mode from IA32_APIC_BASE, CPUID, the MADT's
 * APIC IDs, the DMAR opt-out flag and @want_x2apic (apic = x2apic), and
 * puts the boot CPU in it; call once on the BSP, before anything else
 * touches the APIC. *@choice says what and why, for the banner.
 */
void lapic_init_global(const struct acpi_info *acpi, bool want_x2apic,
		       struct apic_choice *choice);
/* Puts this CPU's APIC in the host's mode, enables it, masks its LVTs. */
void lapic_init_cpu(void);
u32 lapic_id(void);
bool lapic_x2apic(void);
/* The xAPIC page to map, or 0 in x2APIC mode (no MMIO interface). */
u64 lapic_mmio_base(void);
/* Whether an IPI can address @apic_id in the host's mode. */
bool lapic_can_reach(u32 apic_id);
void lapic_eoi(void);
/*
 * Sends an IPI; -EINVAL for a destination the mode cannot address (an ID
 * above 254 in xAPIC mode), -ETIMEDOUT if an xAPIC never accepts it.
 */
int lapic_send_ipi(u32 apic_id, u32 icr);

/* LVT fields (SDM vol. 3 11.5.1). */
#define LVT_DM_NMI      (4 << 8)
#define LVT_ACTIVE_LOW  BIT(13)	/* LINT0/1 input polarity */
#define LVT_MASK        BIT(16)

/* The calling CPU's LINT0 (@pin 0) or LINT1 LVT entry. */
void lapic_write_lint(u32 pin, u32 val);

/* The calling CPU's performance-counter LVT entry (the mediated PMU's). */
void lapic_write_lvtpc(u32 val);

/* The APIC timer of the calling CPU, as a one-shot wake-up (VEC_TIMER). */
void lapic_timer_calibrate(void);
void lapic_timer_oneshot_us(u64 us);

/*
 * The initial count for a one-shot of @us at @per_ms timer ticks per ms:
 * at least 1, and the longest the 32-bit count can wait (the caller
 * re-arms when it fires) for anything further. @us may be up to 2^64 - 1
 * (a guest's TSC deadline far away): no product may wrap to a short wait.
 */
static inline u32 lapic_timer_ticks(u64 us, u64 per_ms)
{
	u64 max_us = 0xffffffffULL * 1000 / (per_ms ? per_ms : 1);
	u64 ticks;

	if (us >= max_us)
		return 0xffffffffU;
	ticks = us * per_ms / 1000;
	return ticks ? (u32)ticks : 1;
}
void lapic_timer_stop(void);

#endif /* DRIVERS_LAPIC_H */
