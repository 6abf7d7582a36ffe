/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the firmware's ACPI tables (ACPI 6.5 ch. 5): RSDP -> XSDT (or
 * RSDT) -> MADT for the CPU list, local APIC and IOAPIC addresses; where
 * the FADT, SPCR, DMAR and IVRS tables are.
 */
#ifndef BOOT_ACPI_H
#define BOOT_ACPI_H

#include <hv/types.h>

#define ACPI_MAX_CPUS    1024
/* DMAR flags (VT-d spec 8.1): the firmware asks the OS to stay in xAPIC. */
#define ACPI_DMAR_X2APIC_OPT_OUT BIT(1)
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_LINT_NMIS 32
/* A local APIC NMI entry's UID that means every processor (5.2.12.7/.13). */
#define ACPI_UID_ALL     0xffffffffu

struct acpi_cpu {
	u32 apic_id;
	u32 uid;		/* ACPI processor UID */
	bool x2apic;		/* came from a type-9 (x2APIC) entry */
};

struct acpi_ioapic {
	u32 id;
	u32 addr;
	u32 gsi_base;
};

/*
 * A local APIC NMI structure (MADT types 4 and 0x0a): which LINT pin of
 * which processor(s) the platform's NMI is wired to, with its polarity
 * and trigger mode (MPS INTI flags, ACPI 6.5 table 5.50).
 */
struct acpi_lint_nmi {
	u32 uid;		/* ACPI processor UID, or ACPI_UID_ALL */
	u16 flags;		/* bits 1:0 polarity, 3:2 trigger mode */
	u8 lint;		/* 0 or 1 */
};

#define ACPI_INTI_POLARITY_MASK 0x3
#define ACPI_INTI_ACTIVE_LOW    0x3

struct acpi_info {
	u64 rsdp;
	u64 sdt;		/* XSDT, or RSDT when there is no XSDT */
	u64 madt;
	u64 fadt;
	u64 spcr;		/* serial console UART (SPCR), or 0 */
	u32 spcr_len;
	u64 dmar;		/* Intel VT-d remapping tables (DMAR), or 0 */
	u64 ivrs;		/* AMD IOMMU tables (IVRS), or 0 */
	u8 dmar_flags;		/* the DMAR's flags byte (ACPI_DMAR_*) */
	u64 lapic_addr;		/* MADT local APIC address (or override) */
	bool pcat_compat;	/* MADT flag: dual 8259s present */
	u32 nr_cpus;		/* enabled or online-capable CPUs */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	u32 nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	u32 nr_lint_nmis;
	struct acpi_lint_nmi lint_nmis[ACPI_MAX_LINT_NMIS];
};

/* Returns a pointer through which @len bytes at physical @phys are read. */
typedef const void *(*acpi_map_fn)(void *ctx, u64 phys, size_t len);

/*
 * Walks the tables from @rsdp. Checks signatures, lengths and checksums.
 * Returns 0, -EINVAL for a broken RSDP/SDT, -ENOENT with no MADT. Disabled
 * CPUs are skipped; the BSP (the first entry) stays first.
 */
int acpi_parse(u64 rsdp, acpi_map_fn map, void *ctx, struct acpi_info *out);

/*
 * Maps the whole table at @phys if its signature is @sig and its length
 * and checksum are right (NULL otherwise); *@len gets the length.
 */
const u8 *acpi_map_table(acpi_map_fn map, void *ctx, u64 phys,
			 const char *sig, u32 *len);

/* Sum of bytes modulo 256: 0 for a valid ACPI table. */
u8 acpi_checksum(const void *p, size_t len);

#endif /* BOOT_ACPI_H */
