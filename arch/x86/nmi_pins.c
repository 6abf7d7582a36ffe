// SPDX-License-Identifier: GPL-2.0
/*
 * The platform NMI (an NMI button, PCI SERR#, IOCHK#, a chipset watchdog)
 * reaches the CPUs through LINT0 or LINT1 of their local APICs, as the
 * MADT's local APIC NMI structures say (ACPI 6.5 5.2.12.7 and 5.2.12.13).
 * The LVT entry takes NMI delivery and the input polarity; NMIs are edge
 * triggered whatever the trigger bit says (SDM vol. 3 11.5.1).
 */
#include <arch/x86/nmi_pins.h>
#include <boot/acpi.h>
#include <drivers/lapic.h>

static bool uid_of(const struct acpi_info *acpi, u32 apic_id, u32 *uid)
{
	for (u32 i = 0; i < acpi->nr_cpus; i++) {
		if (acpi->cpus[i].apic_id == apic_id) {
			*uid = acpi->cpus[i].uid;
			return true;
		}
	}
	return false;
}

u32 nmi_pins_plan(const struct acpi_info *acpi, u32 apic_id, bool bsp,
		  u32 lvt[2])
{
	u32 uid = 0, n = 0;
	bool known = uid_of(acpi, apic_id, &uid);

	lvt[0] = lvt[1] = LVT_MASK;
	if (!acpi->nr_lint_nmis) {
		if (bsp)
			lvt[1] = LVT_DM_NMI;
		return bsp;
	}
	for (u32 i = 0; i < acpi->nr_lint_nmis; i++) {
		const struct acpi_lint_nmi *e = &acpi->lint_nmis[i];
		u32 v = LVT_DM_NMI;

		if (e->uid != ACPI_UID_ALL && (!known || e->uid != uid))
			continue;
		if ((e->flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_ACTIVE_LOW)
			v |= LVT_ACTIVE_LOW;
		if (lvt[e->lint] == LVT_MASK)
			n++;
		lvt[e->lint] = v;
	}
	return n;
}
