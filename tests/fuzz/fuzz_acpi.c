/* sources: boot/acpi.c */
/* flags: -max_len=8192 */
// SPDX-License-Identifier: GPL-2.0
/*
 * The host's walk of the firmware's ACPI tables (boot/acpi.c) on any
 * bytes as physical memory from FUZZ_BASE, the RSDP at its start. Every
 * map is a copy of exactly the bytes asked for, so ASan reports a read
 * past what the walker mapped; the result must be within its limits.
 */
#include "fuzz.h"
#include <boot/acpi.h>

#define FUZZ_BASE 0xe0000ull	/* where a BIOS-area RSDP would be */

struct mem {
	const u8 *data;
	size_t size;
	u32 nr_maps;
};

FUZZ_NOCOV
static const void *map(void *ctx, u64 phys, size_t len)
{
	struct mem *m = ctx;
	u8 *p;

	m->nr_maps++;
	if (phys < FUZZ_BASE || phys - FUZZ_BASE > m->size ||
	    len > m->size - (phys - FUZZ_BASE))
		return NULL;
	p = fuzz_map(len);
	if (p && len)
		memcpy(p, m->data + (phys - FUZZ_BASE), len);
	return p;
}

FUZZ_NOCOV
static bool in_mem(const struct mem *m, u64 phys)
{
	return phys >= FUZZ_BASE && phys - FUZZ_BASE < m->size;
}

FUZZ_NOCOV
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_info info;
	struct mem m = { data, size, 0 };
	int err;

	err = acpi_parse(FUZZ_BASE, map, &m, &info);
	fuzz_unmap_all();
	CHECK(!err || err == -EINVAL || err == -ENOENT);
	/* Bounded work: a table cannot make the walk loop. */
	CHECK(m.nr_maps <= 4 + 2 * 4 * 1024);
	CHECK(info.rsdp == FUZZ_BASE);
	CHECK(info.nr_cpus <= ACPI_MAX_CPUS);
	CHECK(info.nr_ioapics <= ACPI_MAX_IOAPICS);
	for (u32 i = 0; i < info.nr_cpus; i++)
		for (u32 j = 0; j < i; j++)
			CHECK(info.cpus[i].apic_id != info.cpus[j].apic_id);
	if (err) {
		CHECK(!info.madt);
		return 0;
	}
	CHECK(in_mem(&m, info.sdt) && in_mem(&m, info.madt));
	CHECK(!info.fadt || in_mem(&m, info.fadt));
	return 0;
}
