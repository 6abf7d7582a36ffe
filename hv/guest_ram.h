/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a guest's RAM lies in its guest-physical address space, as on a
 * PC: the first GUEST_RAM_LOW_MAX bytes at 0, the rest from 4 GiB up, so
 * that [3 GiB, 4 GiB) stays a hole for the local APIC (0xfee00000), the
 * IOAPIC (0xfec00000) and whatever else a PC has there (PCI windows, the
 * firmware's flash). The host backs both parts with one contiguous block:
 * guest-physical [0, low) is its first `low` bytes, [4 GiB, 4 GiB + high)
 * the rest. The e820 map a Linux guest gets (hv/linux_layout.c) and the
 * Multiboot memory map (hv/multiboot.c) describe exactly this.
 *
 * Pure: used by the hypervisor (hv/gmem.c, hv/mmio.c, hv/vm_create.c) and
 * the unit tests.
 */
#ifndef HV_GUEST_RAM_H
#define HV_GUEST_RAM_H

#include <hv/types.h>

#define GUEST_RAM_LOW_MAX	0xC0000000ull	/* the hole starts at 3 GiB */
#define GUEST_RAM_HIGH_BASE	0x100000000ull	/* the rest from 4 GiB */

/* Bytes of RAM at guest-physical 0. */
static inline u64 guest_ram_low(u64 ram_size)
{
	return ram_size < GUEST_RAM_LOW_MAX ? ram_size : GUEST_RAM_LOW_MAX;
}

/* Bytes of RAM from GUEST_RAM_HIGH_BASE up (0: none). */
static inline u64 guest_ram_high(u64 ram_size)
{
	return ram_size - guest_ram_low(ram_size);
}

/* First guest-physical address past the RAM. */
static inline u64 guest_ram_end(u64 ram_size)
{
	return guest_ram_high(ram_size) ?
	       GUEST_RAM_HIGH_BASE + guest_ram_high(ram_size) :
	       guest_ram_low(ram_size);
}

/*
 * If [gpa, gpa + len) lies in one part of the RAM, its offset in the host
 * block in *off and true; false otherwise (outside RAM, in the hole, or
 * across the hole: the two parts are not contiguous in guest-physical
 * space). @gpa itself must be RAM even when @len is 0.
 */
static inline bool guest_ram_offset(u64 ram_size, u64 gpa, u64 len, u64 *off)
{
	u64 low = guest_ram_low(ram_size), high = guest_ram_high(ram_size);

	if (gpa < low) {
		if (len > low - gpa)
			return false;
		*off = gpa;
		return true;
	}
	if (gpa < GUEST_RAM_HIGH_BASE || gpa - GUEST_RAM_HIGH_BASE >= high)
		return false;
	gpa -= GUEST_RAM_HIGH_BASE;
	if (len > high - gpa)
		return false;
	*off = low + gpa;
	return true;
}

/* Does [gpa, gpa + len) touch the RAM anywhere (no overflow)? */
static inline bool guest_ram_overlaps(u64 ram_size, u64 gpa, u64 len)
{
	u64 low = guest_ram_low(ram_size), high = guest_ram_high(ram_size);

	if (!len)
		return false;
	if (gpa < low)
		return true;
	if (high && gpa < GUEST_RAM_HIGH_BASE)
		return len > GUEST_RAM_HIGH_BASE - gpa;
	return high && gpa - GUEST_RAM_HIGH_BASE < high;
}

#endif /* HV_GUEST_RAM_H */
