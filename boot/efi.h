/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UEFI side of perfvisor. Only the type definitions of gnu-efi are used;
 * its library (libefi) is not linked, so that the hypervisor owns every
 * symbol it runs. Boot services are called directly through the system
 * table with the MS ABI (GNU_EFI_USE_MS_ABI).
 */
#ifndef BOOT_EFI_H
#define BOOT_EFI_H

#include <efi.h>
#include <hv/bootinfo.h>

extern EFI_SYSTEM_TABLE *efi_st;
extern EFI_BOOT_SERVICES *efi_bs;

/* Opens the volume perfvisor.efi was loaded from. */
EFI_STATUS efi_open_boot_volume(EFI_HANDLE image, EFI_FILE_HANDLE *root);
/*
 * Reads a whole file (ASCII path, '/' or '\\' separators) into fresh
 * EfiLoaderData pages. On failure logs why and returns an error status.
 */
EFI_STATUS efi_read_file(EFI_FILE_HANDLE root, const char *path, void **data,
			 u64 *size);
/* Allocates zeroed EfiLoaderData pages; kept by the hypervisor. */
void *efi_alloc_pages(u64 size, u64 max_addr);

/* Finds the ACPI RSDP in the configuration table; 0 if none. */
u64 efi_find_rsdp(void);

/*
 * Fetches the final memory map and exits boot services, converting the map
 * into @bi->mem. Returns only on success.
 */
EFI_STATUS efi_exit_boot_services(EFI_HANDLE image, struct boot_info *bi);

const char *efi_status_str(EFI_STATUS s);

#endif /* BOOT_EFI_H */
