/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACPI tables for a guest (ACPI 6.5 ch. 5): RSDP, XSDT, FADT with FACS and
 * DSDT, MADT. Pure logic: the tables are written into a buffer that the
 * caller places at guest-physical `gpa`; the RSDP goes into its own
 * 36-byte buffer (the guest finds it in the BIOS area or the zero page).
 */
#ifndef HV_ACPI_BUILD_H
#define HV_ACPI_BUILD_H

#include <hv/types.h>

#define ACPI_RSDP_LEN      36
#define ACPI_TABLES_SIZE   0x2000	/* what acpi_build() needs at most */

/* The fixed-hardware ports of the guest's PM1 blocks (hv/vpm.c). */
#define ACPI_PM1A_EVT_PORT 0x600	/* status (2 bytes), enable (2) */
#define ACPI_PM1A_CNT_PORT 0x604	/* control (2 bytes) */
#define ACPI_PM_TMR_PORT   0x608	/* PM timer, 32 bits (hv/vpm_timer.c) */
#define ACPI_PM_TMR_HZ     3579545ULL
#define ACPI_SCI_IRQ       9
#define ACPI_S5_TYP        5		/* SLP_TYP of \_S5 */

struct acpi_build_cfg {
	u32 nr_cpus;			/* APIC IDs 0 .. nr_cpus - 1 */
	u64 lapic_base;
	u64 ioapic_base;
	u8 ioapic_id;
};

/*
 * Builds the tables into @tables (@size bytes, at guest-physical @gpa) and
 * the RSDP into @rsdp. Returns the bytes of @tables used, or -ENOSPC.
 */
int acpi_build(void *tables, u64 gpa, size_t size, void *rsdp,
	       const struct acpi_build_cfg *cfg);

#endif /* HV_ACPI_BUILD_H */
