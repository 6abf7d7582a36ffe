/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Little-endian fields of ACPI tables, read at any alignment (the tables
 * pack them with no regard for it). For boot/acpi*.c only.
 */
#ifndef BOOT_ACPI_BYTES_H
#define BOOT_ACPI_BYTES_H

#include <hv/string.h>
#include <hv/types.h>

static inline u32 acpi_rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline u64 acpi_rd64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#endif /* BOOT_ACPI_BYTES_H */
