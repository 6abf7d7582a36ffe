// SPDX-License-Identifier: GPL-2.0
/*
 * The legacy 8259 pair. The firmware may have left its timer running
 * through it; the hypervisor masks every line so that no device interrupt
 * reaches a CPU.
 */
#include <arch/x86/cpu.h>
#include <drivers/pic.h>
#include <hv/log.h>

#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

void pic_quiesce(const struct acpi_info *acpi)
{
	if (!pic_present(acpi)) {
		pr_info("legacy PIC: none (MADT PCAT_COMPAT clear): its ports left alone\n");
		return;
	}
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	pr_info("legacy PIC: masked%s\n",
		acpi->madt ? "" : " (no MADT: taken for a PC's)");
}
