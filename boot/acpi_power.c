// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI power-off and reset information: the FADT's PM1 control blocks,
 * reset register and sleep control register, and the \_S5 package of the
 * DSDT (ACPI 6.5 5.2.9, 7.4.2, 20.2).
 *
 * No AML interpreter: \_S5 is nearly always a plain
 *
 *   NameOp [\] "_S5_" PackageOp PkgLength NumElements SLP_TYPa SLP_TYPb ...
 *
 * in the DSDT's root scope, with the values as integer constants, and
 * that is what boot/acpi_aml.c looks for (it says which AML it follows),
 * bounds-checked at every byte: the tables come from firmware and are
 * untrusted. A \_S5 computed by a method is not understood; poweroff then
 * says so.
 *
 * The DSDT is X_DSDT's when that is a usable table (5.2.9: a nonzero
 * X_DSDT that OSPM can use makes it ignore DSDT), else the 32-bit DSDT
 * field's: an X_DSDT that maps to nothing, or to a table with a wrong
 * signature, length or checksum, falls back to it.
 */
#include <boot/acpi.h>
#include <boot/acpi_bytes.h>
#include <boot/acpi_power.h>
#include <hv/errno.h>
#include <hv/string.h>

/* FADT fields (ACPI 6.5 table 5.9): byte offsets. */
#define FADT_DSDT         40
#define FADT_SMI_CMD      48
#define FADT_ACPI_ENABLE  52
#define FADT_PM1A_CNT     64
#define FADT_PM1B_CNT     68
#define FADT_PM1_CNT_LEN  89
#define FADT_FLAGS        112
#define FADT_RESET_REG    116
#define FADT_RESET_VALUE  128
#define FADT_X_DSDT       140
#define FADT_X_PM1A_CNT   172
#define FADT_X_PM1B_CNT   184
#define FADT_SLEEP_CTL    244
#define GAS_LEN           12

#define FADT_RESET_REG_SUP BIT(10)
#define FADT_HW_REDUCED    BIT(20)

#define SDT_HDR_LEN 36

static void rd_gas(const u8 *p, struct acpi_gas *g)
{
	g->space = p[0];
	g->bit_width = p[1];
	g->bit_offset = p[2];
	g->access_size = p[3];
	g->addr = acpi_rd64(p + 4);
}

/*
 * Fixed-hardware registers (PM1 control, sleep control) live in system
 * I/O or memory space (ACPI 6.5 4.8.3); only the reset register may also
 * be in PCI configuration space (4.8.3.6), where hv/power.c writes one
 * byte, which would drop SLP_EN (bit 13) of a 16-bit PM1 control.
 * None is wider than 32 bits, so a bit offset of 32 or more (which
 * would be an undefined shift) marks a broken table.
 */
static bool gas_usable(const struct acpi_gas *g, bool pci_ok)
{
	/* hv/power.c shifts by the bit offset: one past 31 is nonsense. */
	if (g->bit_offset >= 32)
		return false;
	return g->addr && (g->space == ACPI_GAS_MEM || g->space == ACPI_GAS_IO ||
			   (pci_ok && g->space == ACPI_GAS_PCI));
}

/* A 32-bit PM1 block port as a GAS: 16-bit I/O register. */
static void port_gas(u32 port, struct acpi_gas *g)
{
	*g = (struct acpi_gas){ .space = ACPI_GAS_IO, .bit_width = 16,
				.access_size = 2, .addr = port };
}

static void read_dsdt(const u8 *f, u32 flen, acpi_map_fn map,
		      void *ctx, struct acpi_power *out)
{
	u64 x_dsdt = 0, dsdt = acpi_rd32(f + FADT_DSDT);
	const u8 *t = NULL;
	u32 len;

	if (flen >= FADT_X_DSDT + 8)
		x_dsdt = acpi_rd64(f + FADT_X_DSDT);
	if (x_dsdt) {
		t = acpi_map_table(map, ctx, x_dsdt, "DSDT", &len);
		if (t)
			out->dsdt = x_dsdt;
		else
			out->x_dsdt_bad = x_dsdt;
	}
	if (!t && dsdt && dsdt != x_dsdt) {
		t = acpi_map_table(map, ctx, dsdt, "DSDT", &len);
		if (t)
			out->dsdt = dsdt;
	}
	if (!t) {
		out->s5_error = "no valid DSDT";
		return;
	}
	out->s5 = !acpi_find_s5(t + SDT_HDR_LEN, len - SDT_HDR_LEN,
				&out->slp_typa, &out->slp_typb,
				&out->s5_error);
	if (out->s5)
		out->s5_error = NULL;
}

int acpi_power_parse(u64 fadt, acpi_map_fn map, void *ctx,
		     struct acpi_power *out)
{
	const u8 *f;
	u32 len, flags;

	memset(out, 0, sizeof(*out));
	out->s5_error = "no FADT";
	f = acpi_map_table(map, ctx, fadt, "FACP", &len);
	/* ACPI 1.0's FADT ends at 116; anything shorter is broken. */
	if (!f || len < FADT_RESET_REG)
		return -EINVAL;
	out->fadt = true;
	flags = acpi_rd32(f + FADT_FLAGS);
	out->hw_reduced = flags & FADT_HW_REDUCED;
	out->smi_cmd = acpi_rd32(f + FADT_SMI_CMD);
	out->acpi_enable = f[FADT_ACPI_ENABLE];

	if (f[FADT_PM1_CNT_LEN] >= 2) {
		if (acpi_rd32(f + FADT_PM1A_CNT))
			port_gas(acpi_rd32(f + FADT_PM1A_CNT), &out->pm1a_cnt);
		if (acpi_rd32(f + FADT_PM1B_CNT))
			port_gas(acpi_rd32(f + FADT_PM1B_CNT), &out->pm1b_cnt);
	}
	/* The 64-bit X_ blocks win where they are given (5.2.9). */
	if (len >= FADT_X_PM1A_CNT + GAS_LEN) {
		struct acpi_gas g;

		rd_gas(f + FADT_X_PM1A_CNT, &g);
		if (gas_usable(&g, false))
			out->pm1a_cnt = g;
	}
	if (len >= FADT_X_PM1B_CNT + GAS_LEN) {
		struct acpi_gas g;

		rd_gas(f + FADT_X_PM1B_CNT, &g);
		if (gas_usable(&g, false))
			out->pm1b_cnt = g;
	}
	if (len >= FADT_SLEEP_CTL + GAS_LEN) {
		rd_gas(f + FADT_SLEEP_CTL, &out->sleep_ctl);
		if (!gas_usable(&out->sleep_ctl, false))
			out->sleep_ctl.addr = 0;
	}
	if (!gas_usable(&out->pm1a_cnt, false))
		out->pm1a_cnt.addr = 0;
	if (!gas_usable(&out->pm1b_cnt, false))
		out->pm1b_cnt.addr = 0;

	if (len >= FADT_RESET_VALUE + 1) {
		rd_gas(f + FADT_RESET_REG, &out->reset);
		out->reset_value = f[FADT_RESET_VALUE];
		out->reset_ok = (flags & FADT_RESET_REG_SUP) &&
				gas_usable(&out->reset, true);
	}
	read_dsdt(f, len, map, ctx, out);
	return 0;
}
