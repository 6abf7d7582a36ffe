/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the machine needs to power off and reset through ACPI, read from
 * the FADT (ACPI 6.5 5.2.9) and the \_S5 package of the DSDT (7.4.2): the
 * PM1 control blocks (or the hardware-reduced sleep control register),
 * the reset register and its value, and S5's SLP_TYP values. Read once at
 * boot, while the firmware's tables are known to be intact.
 */
#ifndef BOOT_ACPI_POWER_H
#define BOOT_ACPI_POWER_H

#include <boot/acpi.h>
#include <hv/types.h>

/* Generic Address Structure address spaces (ACPI 6.5 5.2.3.2). */
#define ACPI_GAS_MEM 0
#define ACPI_GAS_IO  1
#define ACPI_GAS_PCI 2		/* PCI config space of segment 0, bus 0 */

struct acpi_gas {
	u8 space;
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;		/* 0 undefined, 1 byte ... 4 qword */
	u64 addr;		/* 0: no register */
};

struct acpi_power {
	bool fadt;			/* a valid FADT was read */
	bool hw_reduced;		/* HW_REDUCED_ACPI: no PM1 blocks */
	struct acpi_gas pm1a_cnt;	/* PM1a control: SLP_TYP 12:10, SLP_EN 13 */
	struct acpi_gas pm1b_cnt;	/* addr 0: none */
	struct acpi_gas sleep_ctl;	/* hardware-reduced: SLP_TYP 4:2, SLP_EN 5 */
	u32 smi_cmd;			/* port to switch to ACPI mode, or 0 */
	u8 acpi_enable;			/* ...and the value to write there */
	bool reset_ok;			/* RESET_REG_SUP and a usable register */
	struct acpi_gas reset;
	u8 reset_value;
	u64 dsdt;			/* the DSDT read, 0: none valid */
	u64 x_dsdt_bad;			/* an unusable X_DSDT, DSDT tried instead */
	bool s5;			/* \_S5 found in the DSDT */
	u8 slp_typa, slp_typb;		/* its SLP_TYPa / SLP_TYPb */
	const char *s5_error;		/* why not, when !s5 */
};

/*
 * Reads the FADT at @fadt and its DSDT. Returns 0, or -EINVAL for a
 * missing/broken FADT (out->fadt false). A DSDT without a usable \_S5 is
 * no error: out->s5 is false and out->s5_error says why.
 */
int acpi_power_parse(u64 fadt, acpi_map_fn map, void *ctx,
		     struct acpi_power *out);

/*
 * A PkgLength (ACPI 6.5 20.2.4) at @p with @avail bytes readable: *@len
 * is the package length (which counts the PkgLength bytes themselves),
 * *@nbytes how many bytes the encoding took. -EINVAL if it is truncated,
 * sets reserved bits, or is shorter than its own encoding.
 */
int acpi_pkg_length(const u8 *p, u32 avail, u32 *len, u32 *nbytes);

/*
 * Finds Name(\_S5, Package() { SLP_TYPa, SLP_TYPb, ... }) in the root
 * scope of the AML body @aml (@len bytes; boot/acpi_aml.c says which AML
 * it follows) and gives its two values. -ENOENT if there is none there,
 * -EINVAL if the one found is malformed (*@why says how).
 */
int acpi_find_s5(const u8 *aml, u32 len, u8 *slp_typa, u8 *slp_typb,
		 const char **why);

#endif /* BOOT_ACPI_POWER_H */
