/* sources: boot/acpi_power.c boot/acpi_aml.c boot/aml_read.c boot/acpi.c */
/* flags: -max_len=4096 */
// SPDX-License-Identifier: GPL-2.0
/*
 * The FADT / \_S5 reader (boot/acpi_power.c) on any bytes: once as
 * physical memory from FUZZ_BASE with the FADT at its start (the DSDT is
 * wherever the FADT says), once as a bare AML body for acpi_find_s5().
 * Maps are exact copies, so ASan catches a read past a table.
 */
#include "fuzz.h"
#include <boot/acpi_power.h>

#define FUZZ_BASE 0x100000ull

struct mem {
	const u8 *data;
	size_t size;
};

FUZZ_NOCOV
static const void *map(void *ctx, u64 phys, size_t len)
{
	struct mem *m = ctx;
	u8 *p;

	if (phys < FUZZ_BASE || phys - FUZZ_BASE > m->size ||
	    len > m->size - (phys - FUZZ_BASE))
		return NULL;
	p = fuzz_map(len);
	if (p && len)
		memcpy(p, m->data + (phys - FUZZ_BASE), len);
	return p;
}

FUZZ_NOCOV
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_power pw;
	struct mem m = { data, size };
	const char *why = NULL;
	u8 a = 0xaa, b = 0xaa, *copy;
	int err;

	err = acpi_power_parse(FUZZ_BASE, map, &m, &pw);
	fuzz_unmap_all();
	CHECK(!err || err == -EINVAL);
	CHECK(!err == pw.fadt);
	CHECK(!pw.s5 || (pw.slp_typa <= 7 && pw.slp_typb <= 7 && !pw.s5_error));
	CHECK(pw.s5 || pw.s5_error);
	/* Fixed hardware only in I/O or memory space (ACPI 6.5 4.8.3). */
	CHECK(!pw.pm1a_cnt.addr || pw.pm1a_cnt.space <= ACPI_GAS_IO);
	CHECK(!pw.pm1b_cnt.addr || pw.pm1b_cnt.space <= ACPI_GAS_IO);
	CHECK(!pw.sleep_ctl.addr || pw.sleep_ctl.space <= ACPI_GAS_IO);
	CHECK(!pw.reset_ok || pw.reset.space <= ACPI_GAS_PCI);

	copy = fuzz_map(size);
	if (copy && size)
		memcpy(copy, data, size);
	err = acpi_find_s5(copy, size, &a, &b, &why);
	fuzz_unmap_all();
	CHECK(!err || err == -EINVAL || err == -ENOENT);
	CHECK(why);
	CHECK(err || (a <= 7 && b <= 7));
	return 0;
}
