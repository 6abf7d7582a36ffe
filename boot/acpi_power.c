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
 * with the values as ZeroOp, OneOp or Byte/Word/DWord/QWordPrefix
 * constants, and that is what is looked for, bounds-checked at every byte:
 * the tables come from firmware and are untrusted. A \_S5 computed by a
 * method is not understood; poweroff then says so.
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

/* AML opcodes (ACPI 6.5 20.2). */
#define AML_ZERO    0x00
#define AML_ONE     0x01
#define AML_NAME    0x08
#define AML_BYTE    0x0a
#define AML_WORD    0x0b
#define AML_DWORD   0x0c
#define AML_QWORD   0x0e
#define AML_PACKAGE 0x12
#define AML_ROOT    0x5c
#define AML_ONES    0xff

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

int acpi_pkg_length(const u8 *p, u32 avail, u32 *len, u32 *nbytes)
{
	u32 follow, v;

	if (!avail)
		return -EINVAL;
	follow = p[0] >> 6;
	if (follow + 1 > avail)
		return -EINVAL;
	if (!follow) {
		v = p[0] & 0x3f;
	} else {
		/* Bits 5:4 of the lead byte are reserved, must be zero. */
		if (p[0] & 0x30)
			return -EINVAL;
		v = p[0] & 0x0f;
		for (u32 i = 1; i <= follow; i++)
			v |= (u32)p[i] << (4 + 8 * (i - 1));
	}
	if (v < follow + 1)
		return -EINVAL;
	*len = v;
	*nbytes = follow + 1;
	return 0;
}

/* An integer constant at @p (before @end); *@n gets its size. */
static int aml_const(const u8 *p, const u8 *end, u64 *val, u32 *n)
{
	static const u8 size[] = { [AML_BYTE] = 1, [AML_WORD] = 2,
				   [AML_DWORD] = 4, [AML_QWORD] = 8 };
	u32 k;

	if (p >= end)
		return -EINVAL;
	switch (p[0]) {
	case AML_ZERO:
	case AML_ONE:
		*val = p[0];
		*n = 1;
		return 0;
	case AML_ONES:
		*val = ~0ULL;
		*n = 1;
		return 0;
	case AML_BYTE:
	case AML_WORD:
	case AML_DWORD:
	case AML_QWORD:
		k = size[p[0]];
		if ((u64)(end - p) < 1 + k)
			return -EINVAL;
		*val = 0;
		memcpy(val, p + 1, k);	/* little endian */
		*n = 1 + k;
		return 0;
	}
	return -EINVAL;
}

/* The package at @p (just after PackageOp): its first two values. */
static int s5_package(const u8 *p, const u8 *end, u8 *a, u8 *b,
		      const char **why)
{
	u32 plen, nb, nel, n;
	const u8 *pend, *q;
	u64 v[2];

	if (acpi_pkg_length(p, end - p, &plen, &nb)) {
		*why = "\\_S5 package length malformed or truncated";
		return -EINVAL;
	}
	if (plen > (u64)(end - p)) {
		*why = "\\_S5 package runs past the end of the DSDT";
		return -EINVAL;
	}
	pend = p + plen;
	q = p + nb;
	if (q >= pend || !(nel = *q++)) {
		*why = "\\_S5 package has no elements";
		return -EINVAL;
	}
	for (u32 i = 0; i < 2 && i < nel; i++) {
		if (aml_const(q, pend, &v[i], &n)) {
			*why = "\\_S5 element is not an integer constant";
			return -EINVAL;
		}
		if (v[i] > 7) {
			*why = "\\_S5 SLP_TYP value does not fit in 3 bits";
			return -EINVAL;
		}
		q += n;
	}
	if (nel < 2)
		v[1] = v[0];	/* one value: the same for PM1a and PM1b */
	*a = v[0];
	*b = v[1];
	return 0;
}

int acpi_find_s5(const u8 *aml, u32 len, u8 *slp_typa, u8 *slp_typb,
		 const char **why)
{
	const u8 *end = aml + len;
	int err = -ENOENT;

	*why = "no \\_S5 object in the DSDT";
	for (const u8 *p = aml; p + 6 <= end; p++) {
		const u8 *q = p + 1;

		if (p[0] != AML_NAME)
			continue;
		if (*q == AML_ROOT)
			q++;
		if (q + 5 > end || memcmp(q, "_S5_", 4) || q[4] != AML_PACKAGE)
			continue;
		/* A later, well-formed one may still follow a broken one. */
		err = s5_package(q + 5, end, slp_typa, slp_typb, why);
		if (!err)
			return 0;
	}
	return err;
}

static void read_dsdt(const u8 *f, u32 flen, acpi_map_fn map,
		      void *ctx, struct acpi_power *out)
{
	u64 dsdt = 0;
	const u8 *t;
	u32 len;

	if (flen >= FADT_X_DSDT + 8)
		dsdt = acpi_rd64(f + FADT_X_DSDT);
	if (!dsdt)
		dsdt = acpi_rd32(f + FADT_DSDT);
	t = acpi_map_table(map, ctx, dsdt, "DSDT", &len);
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
