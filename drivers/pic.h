/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRIVERS_PIC_H
#define DRIVERS_PIC_H

#include <boot/acpi.h>

/*
 * Whether the machine has the legacy 8259 pair: the MADT's PCAT_COMPAT
 * flag says so (ACPI 6.5 5.2.12, table 5.20). Without a MADT (Bochs under
 * OVMF publishes none) the machine is taken for a PC, which has them.
 */
static inline bool pic_present(const struct acpi_info *acpi)
{
	return !acpi->madt || acpi->pcat_compat;
}

/*
 * Masks both legacy 8259s where there are some (the hypervisor takes no
 * device interrupts); on a machine without them the ports are not
 * touched: they may belong to something else. Says which on the log.
 */
void pic_quiesce(const struct acpi_info *acpi);

#endif /* DRIVERS_PIC_H */
