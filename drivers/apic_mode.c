// SPDX-License-Identifier: GPL-2.0
/*
 * The host APIC mode (drivers/apic_mode.h). Without a firmware request
 * perfvisor stays in xAPIC mode when every CPU can be reached there: the
 * host takes no device interrupts, so x2APIC's only gain would be
 * reaching more CPUs. A firmware that sets X2APIC_OPT_OUT in the DMAR
 * table (VT-d spec 8.1) asks the OS not to turn x2APIC on, usually
 * because its SMM code expects the xAPIC page: perfvisor obeys, and the
 * CPUs that xAPIC cannot reach stay offline, with that reason.
 */
#include <arch/x86/cpu.h>
#include <drivers/apic_mode.h>

void apic_choose(const struct apic_facts *f, struct apic_choice *c)
{
	bool en = f->apic_base & APIC_BASE_ENABLE;
	bool extd = f->apic_base & APIC_BASE_X2APIC;
	bool need = f->max_apic_id > XAPIC_MAX_DEST;

	c->switched = false;
	c->warn = NULL;
	/* EN=0 with EXTD=1 cannot be entered (#GP): treat it as disabled. */
	c->enabled = !en;
	if (en && extd) {
		c->x2apic = true;
		c->mode = "x2APIC (firmware)";
		return;
	}
	c->x2apic = false;
	c->mode = en ? "xAPIC (firmware)" :
		       "xAPIC (enabled by perfvisor: the firmware left the APIC disabled)";
	if (!need && !f->want_x2apic)
		return;
	if (!f->cpu_x2apic) {
		c->warn = need ? "CPUs with APIC IDs above 254 stay offline: this CPU has no x2APIC (CPUID 1 ECX[21]) and xAPIC cannot address them" :
				 "apic = x2apic: this CPU has no x2APIC (CPUID 1 ECX[21]): staying in xAPIC mode";
		return;
	}
	if (f->fw_opt_out) {
		c->warn = need ? "CPUs with APIC IDs above 254 stay offline: the firmware opts out of x2APIC (DMAR flags bit 1) and xAPIC cannot address them" :
				 "apic = x2apic: the firmware opts out of x2APIC (DMAR flags bit 1): staying in xAPIC mode";
		return;
	}
	c->x2apic = true;
	c->switched = true;
	c->mode = need ? "x2APIC (switched by perfvisor: the MADT has APIC IDs above 254)" :
			 "x2APIC (switched by perfvisor: apic = x2apic in perfvisor.cfg)";
}
