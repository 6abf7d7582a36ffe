/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the UEFI loader (boot/) hands to the hypervisor proper (hv/) once
 * boot services are gone. Everything here lives in EfiLoaderData memory,
 * which the hypervisor keeps.
 */
#ifndef HV_BOOTINFO_H
#define HV_BOOTINFO_H

#include <hv/types.h>
#include <boot/acpi.h>
#include <boot/acpi_power.h>
#include <boot/config.h>
#include <boot/serial_pick.h>

#define BOOT_MAX_MEM 512

enum boot_mem_type {
	BOOT_MEM_FREE,		/* usable by the hypervisor's allocator */
	BOOT_MEM_FIRMWARE_FREE,	/* boot services memory: usable once the
				 * hypervisor runs on its own stack and tables */
	BOOT_MEM_HV,		/* our image, loaded files, boot structures */
	BOOT_MEM_ACPI,		/* ACPI tables and NVS: keep */
	BOOT_MEM_RESERVED,	/* firmware, MMIO, anything else */
};

struct boot_mem {
	u64 start;
	u64 size;
	enum boot_mem_type type;
};

struct boot_file {
	const void *data;	/* NULL if not loaded */
	u64 size;
};

struct boot_vm {
	struct boot_file image;
	struct boot_file initrd;
	bool ok;		/* files loaded; config section valid */
};

struct boot_info {
	struct cfg cfg;
	struct boot_vm vms[CFG_MAX_VMS];
	struct acpi_info acpi;
	struct acpi_power power;	/* FADT, \_S5: poweroff and reboot */
	struct serial_choice console;	/* the console UART and why */
	u32 nr_mem;
	struct boot_mem mem[BOOT_MAX_MEM];
	u64 image_base;		/* where the firmware loaded perfvisor.efi */
	u64 image_size;
	u64 trampoline;		/* a page below 1 MiB for AP start-up */
	u64 tsc_hz;		/* measured against the firmware's Stall() */
	u64 tsc_at_entry;	/* TSC when efi_main ran */
	u64 tsc_at_exit_bs;	/* TSC after ExitBootServices */
	bool secure_boot;	/* the firmware enforced image signatures */
};

extern struct boot_info *boot_info;

__noreturn void hv_main(struct boot_info *bi);

#endif /* HV_BOOTINFO_H */
