/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which local APIC pins (LINT0, LINT1) carry the platform's NMI on a CPU:
 * the MADT's local APIC NMI structures, pure logic (unit-tested).
 */
#ifndef ARCH_X86_NMI_PINS_H
#define ARCH_X86_NMI_PINS_H

#include <hv/types.h>

struct acpi_info;

/*
 * The LVT values for LINT0 and LINT1 of the CPU with @apic_id: NMI
 * delivery (with the entry's polarity) where an MADT NMI structure names
 * this CPU's processor UID or all processors, masked elsewhere. Without
 * any such structure (no MADT, as under Bochs) the PC convention holds:
 * LINT1 is NMI on the boot CPU (@bsp) only. Returns how many pins are NMI.
 */
u32 nmi_pins_plan(const struct acpi_info *acpi, u32 apic_id, bool bsp,
		  u32 lvt[2]);

#endif /* ARCH_X86_NMI_PINS_H */
