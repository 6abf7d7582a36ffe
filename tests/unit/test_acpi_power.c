/* sources: boot/acpi_power.c boot/acpi_aml.c boot/aml_read.c boot/acpi.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the ACPI power-off/reset reader (boot/acpi_power.c):
 * the FADT fields (q35, variants, broken tables), the X_DSDT fallback,
 * and \_S5 found through the DSDT the FADT names (the AML reader
 * itself: test_acpi_s5.c).
 */
#include "unit.h"
#include <boot/acpi.h>
#include <boot/acpi_power.h>

#define BASE  0x10000ULL
#define ARENA 0x4000
#define FADT  0x10000ULL
#define DSDT  0x11000ULL
#define DSDT2 0x12000ULL

static u8 arena[ARENA];

static const void *map(void *ctx, u64 phys, size_t len)
{
	(void)ctx;
	if (phys < BASE || phys - BASE > ARENA || len > ARENA - (phys - BASE))
		return NULL;
	return arena + (phys - BASE);
}

static u8 *at(u64 phys)
{
	return arena + (phys - BASE);
}

static void wr32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void wr64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

static void table(u64 phys, const char *sig, u32 len)
{
	u8 *t = at(phys);

	memcpy(t, sig, 4);
	wr32(t + 4, len);
	t[8] = 2;
	t[9] = 0;
	t[9] = (u8)(0x100 - acpi_checksum(t, len));
}

/* A DSDT whose body is @aml. */
static void dsdt(u64 phys, const u8 *aml, u32 n)
{
	memset(at(phys), 0, 36 + n);
	memcpy(at(phys) + 36, aml, n);
	table(phys, "DSDT", 36 + n);
}

static void gas(u8 *p, u8 space, u8 width, u64 addr)
{
	p[0] = space;
	p[1] = width;
	p[2] = 0;
	p[3] = 1;
	wr64(p + 4, addr);
}

/* A 276-byte FADT like QEMU's q35: PM1a at 0x604, reset 0xcf9 <- 6. */
static void fadt(u32 len, u32 flags)
{
	u8 *f = at(FADT);

	memset(f, 0, 276);
	wr32(f + 40, (u32)DSDT);
	wr32(f + 48, 0xb2);
	f[52] = 0xf1;
	wr32(f + 64, 0x604);
	f[89] = 2;
	wr32(f + 112, flags);
	gas(f + 116, ACPI_GAS_IO, 8, 0xcf9);
	f[128] = 6;
	table(FADT, "FACP", len);
}

static const u8 qemu_s5[] = {
	0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
};

static void test_fadt_qemu(void **state)
{
	struct acpi_power p;

	(void)state;
	dsdt(DSDT, qemu_s5, sizeof(qemu_s5));
	fadt(276, BIT(10));
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_true(p.fadt);
	assert_false(p.hw_reduced);
	assert_int_equal(p.pm1a_cnt.space, ACPI_GAS_IO);
	assert_int_equal(p.pm1a_cnt.addr, 0x604);
	assert_int_equal(p.pm1b_cnt.addr, 0);
	assert_true(p.reset_ok);
	assert_int_equal(p.reset.addr, 0xcf9);
	assert_int_equal(p.reset_value, 6);
	assert_int_equal(p.smi_cmd, 0xb2);
	assert_int_equal(p.acpi_enable, 0xf1);
	assert_true(p.s5);
	assert_null(p.s5_error);
}

static void test_fadt_variants(void **state)
{
	static const u8 s5_23[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x02,
		0x0a, 0x03,
	};
	struct acpi_power p;

	(void)state;
	/* No RESET_REG_SUP: the register is not used. */
	dsdt(DSDT, qemu_s5, sizeof(qemu_s5));
	fadt(276, 0);
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_false(p.reset_ok);

	/* X_DSDT and X_PM1a/b win over the 32-bit fields. */
	dsdt(DSDT2, s5_23, sizeof(s5_23));
	fadt(276, BIT(10));
	wr64(at(FADT) + 140, DSDT2);
	gas(at(FADT) + 172, ACPI_GAS_IO, 16, 0x1004);
	gas(at(FADT) + 184, ACPI_GAS_MEM, 16, 0xfed00000);
	table(FADT, "FACP", 276);
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_int_equal(p.pm1a_cnt.addr, 0x1004);
	assert_int_equal(p.pm1b_cnt.space, ACPI_GAS_MEM);
	assert_int_equal(p.pm1b_cnt.addr, 0xfed00000);
	assert_true(p.s5);
	assert_int_equal(p.slp_typa, 2);
	assert_int_equal(p.slp_typb, 3);

	/* An ACPI 1.0 FADT (116 bytes): no reset register. */
	fadt(116, BIT(10));
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_false(p.reset_ok);
	assert_int_equal(p.pm1a_cnt.addr, 0x604);
	assert_true(p.s5);

	/* Hardware-reduced: the sleep control register. */
	fadt(276, BIT(20));
	gas(at(FADT) + 244, ACPI_GAS_IO, 8, 0x400);
	table(FADT, "FACP", 276);
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_true(p.hw_reduced);
	assert_int_equal(p.sleep_ctl.addr, 0x400);

	/*
	 * Fixed hardware in PCI config space is not used (4.8.3): the
	 * 32-bit PM1a port stays, no PM1b, no sleep control register. The
	 * reset register may be there (4.8.3.6).
	 */
	fadt(276, BIT(10) | BIT(20));
	gas(at(FADT) + 172, ACPI_GAS_PCI, 16, 0x1f0040);
	gas(at(FADT) + 184, ACPI_GAS_PCI, 16, 0x1f0044);
	gas(at(FADT) + 244, ACPI_GAS_PCI, 8, 0x1f0048);
	gas(at(FADT) + 116, ACPI_GAS_PCI, 8, 0x1f0080);
	table(FADT, "FACP", 276);
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_int_equal(p.pm1a_cnt.space, ACPI_GAS_IO);
	assert_int_equal(p.pm1a_cnt.addr, 0x604);
	assert_int_equal(p.pm1b_cnt.addr, 0);
	assert_int_equal(p.sleep_ctl.addr, 0);
	assert_true(p.reset_ok);
	assert_int_equal(p.reset.space, ACPI_GAS_PCI);

	/* A bit offset of 64 is not shifted by: that register is unused. */
	fadt(276, BIT(10));
	gas(at(FADT) + 172, ACPI_GAS_IO, 16, 0x1004);
	at(FADT)[172 + 2] = 64;
	gas(at(FADT) + 116, ACPI_GAS_IO, 8, 0xcf9);
	at(FADT)[116 + 2] = 64;
	table(FADT, "FACP", 276);
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_int_equal(p.pm1a_cnt.addr, 0x604);
	assert_false(p.reset_ok);

	/* PM1_CNT_LEN below 2: no PM1 control block. */
	fadt(276, 0);
	at(FADT)[89] = 1;
	table(FADT, "FACP", 276);
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_int_equal(p.pm1a_cnt.addr, 0);
}

/*
 * An X_DSDT that is no usable table falls back to the 32-bit DSDT field
 * (ACPI 6.5 5.2.9: only an X_DSDT OSPM can use overrides DSDT).
 */
static void test_x_dsdt_fallback(void **state)
{
	static const u8 s5_45[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x04,
		0x0a, 0x05,
	};
	struct acpi_power p;

	(void)state;
	for (int bad = 0; bad < 5; bad++) {
		dsdt(DSDT, s5_45, sizeof(s5_45));
		dsdt(DSDT2, qemu_s5, sizeof(qemu_s5));
		switch (bad) {
		case 0:			/* zero length */
			wr32(at(DSDT2) + 4, 0);
			break;
		case 1:			/* signature */
			memcpy(at(DSDT2), "SSDT", 4);
			table(DSDT2, "SSDT", 36 + sizeof(qemu_s5));
			break;
		case 2:			/* checksum */
			at(DSDT2)[40] ^= 0x40;
			break;
		case 3:			/* length past the table's memory */
			wr32(at(DSDT2) + 4, ARENA);
			break;
		}
		fadt(276, BIT(10));
		wr64(at(FADT) + 140, bad == 4 ? 0x7fff0000ULL : DSDT2);
		table(FADT, "FACP", 276);
		assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
		assert_true(p.s5);
		assert_int_equal(p.slp_typa, 4);
		assert_int_equal(p.slp_typb, 5);
		assert_int_equal(p.dsdt, DSDT);
		assert_int_equal(p.x_dsdt_bad, bad == 4 ? 0x7fff0000ULL : DSDT2);
	}

	/* A usable X_DSDT wins, and nothing is said to be wrong. */
	dsdt(DSDT2, qemu_s5, sizeof(qemu_s5));
	fadt(276, BIT(10));
	wr64(at(FADT) + 140, DSDT2);
	table(FADT, "FACP", 276);
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_int_equal(p.dsdt, DSDT2);
	assert_int_equal(p.x_dsdt_bad, 0);
	assert_int_equal(p.slp_typa, 0);

	/* Both unusable: no DSDT. */
	at(DSDT2)[40] ^= 0x40;
	wr32(at(FADT) + 40, 0);
	table(FADT, "FACP", 276);
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_false(p.s5);
	assert_int_equal(p.dsdt, 0);
	assert_true(unit_contains(p.s5_error, "no valid DSDT"));
}

static void test_fadt_broken(void **state)
{
	struct acpi_power p;

	(void)state;
	dsdt(DSDT, qemu_s5, sizeof(qemu_s5));
	fadt(276, BIT(10));
	at(FADT)[100] ^= 1;		/* checksum */
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), -EINVAL);
	assert_false(p.fadt);
	fadt(100, 0);			/* too short */
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), -EINVAL);
	assert_int_equal(acpi_power_parse(0, map, NULL, &p), -EINVAL);

	/* A broken DSDT: the FADT is still good, \_S5 is not. */
	fadt(276, BIT(10));
	at(DSDT)[40] ^= 1;
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_true(p.reset_ok);
	assert_false(p.s5);
	assert_true(unit_contains(p.s5_error, "DSDT"));

	/* A DSDT without \_S5. */
	dsdt(DSDT, (const u8 *)"\x08_S3_\x12\x03\x01\x00", 8);
	assert_int_equal(acpi_power_parse(FADT, map, NULL, &p), 0);
	assert_false(p.s5);
	assert_true(unit_contains(p.s5_error, "no \\_S5"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fadt_qemu),
		cmocka_unit_test(test_x_dsdt_fallback),
		cmocka_unit_test(test_fadt_variants),
		cmocka_unit_test(test_fadt_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
