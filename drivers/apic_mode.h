/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which mode the host's local APICs run in. perfvisor keeps the mode the
 * firmware handed over, except that it turns x2APIC on when a CPU cannot
 * be reached in xAPIC mode (an APIC ID above 254: the xAPIC ICR has an
 * 8-bit destination and 0xff is the broadcast) or when perfvisor.cfg asks
 * for it (apic = x2apic). It never leaves x2APIC: that would need the
 * APIC disabled first (SDM vol. 3A 11.12.5 "x2APIC State Transitions").
 * Pure logic: drivers/lapic.c gathers the facts and applies the choice.
 */
#ifndef DRIVERS_APIC_MODE_H
#define DRIVERS_APIC_MODE_H

#include <hv/types.h>

/* The highest xAPIC physical destination that is one CPU (0xff: all). */
#define XAPIC_MAX_DEST 0xfeu
/* ... and in x2APIC mode (0xffffffff: all). */
#define X2APIC_MAX_DEST 0xfffffffeu

struct apic_facts {
	u64 apic_base;		/* IA32_APIC_BASE as the firmware left it */
	bool cpu_x2apic;	/* CPUID.01H:ECX[21] */
	bool fw_opt_out;	/* DMAR flags bit 1: X2APIC_OPT_OUT */
	bool want_x2apic;	/* apic = x2apic in perfvisor.cfg */
	u32 max_apic_id;	/* highest APIC ID among the MADT's CPUs */
};

struct apic_choice {
	bool x2apic;		/* the mode the host runs in */
	bool switched;		/* perfvisor turned x2APIC on */
	bool enabled;		/* perfvisor enabled an APIC left disabled */
	const char *mode;	/* for the banner: "x2APIC (firmware)", ... */
	const char *warn;	/* a problem to report, or NULL */
};

void apic_choose(const struct apic_facts *f, struct apic_choice *c);

/* The highest APIC ID an IPI can address in the chosen mode. */
static inline u32 apic_max_dest(bool x2apic)
{
	return x2apic ? X2APIC_MAX_DEST : XAPIC_MAX_DEST;
}

#endif /* DRIVERS_APIC_MODE_H */
