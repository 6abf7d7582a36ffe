// SPDX-License-Identifier: GPL-2.0
/* The final UEFI memory map and ExitBootServices. */
#include <boot/efi.h>
#include <hv/log.h>
#include <arch/x86/cpu.h>

static enum boot_mem_type classify(UINT32 type)
{
	switch (type) {
	case EfiConventionalMemory:
		return BOOT_MEM_FREE;
	case EfiBootServicesCode:
	case EfiBootServicesData:
		return BOOT_MEM_FIRMWARE_FREE;
	case EfiLoaderCode:
	case EfiLoaderData:
		return BOOT_MEM_HV;
	case EfiACPIReclaimMemory:
	case EfiACPIMemoryNVS:
		return BOOT_MEM_ACPI;
	default:
		return BOOT_MEM_RESERVED;
	}
}

/* Appends a region, merging with the previous one when contiguous. */
static void add_region(struct boot_info *bi, u64 start, u64 size,
		       enum boot_mem_type type)
{
	struct boot_mem *last = bi->nr_mem ? &bi->mem[bi->nr_mem - 1] : NULL;

	if (last && last->type == type && last->start + last->size == start) {
		last->size += size;
		return;
	}
	if (bi->nr_mem == BOOT_MAX_MEM) {
		/* Dropping a region only loses memory, never corrupts. */
		return;
	}
	bi->mem[bi->nr_mem++] = (struct boot_mem){ start, size, type };
}

EFI_STATUS efi_exit_boot_services(EFI_HANDLE image, struct boot_info *bi)
{
	UINTN map_size = 0, key, desc_size;
	UINT32 desc_ver;
	u8 *map = NULL;
	u64 cap = 0;
	EFI_STATUS s;

	for (int tries = 0; tries < 8; tries++) {
		map_size = cap;
		s = efi_bs->GetMemoryMap(&map_size, (EFI_MEMORY_DESCRIPTOR *)map,
					 &key, &desc_size, &desc_ver);
		if (s == EFI_BUFFER_TOO_SMALL) {
			/* Room for the descriptors our allocation adds. */
			cap = map_size + 16 * PAGE_SIZE / 8;
			map = efi_alloc_pages(cap, 0);
			if (!map)
				return EFI_OUT_OF_RESOURCES;
			continue;
		}
		if (EFI_ERROR(s))
			return s;
		s = efi_bs->ExitBootServices(image, key);
		if (!EFI_ERROR(s))
			break;
		/* The map changed under us (UEFI 2.10 7.4.6): fetch again. */
	}
	if (EFI_ERROR(s))
		return s;

	bi->tsc_at_exit_bs = rdtsc();
	bi->nr_mem = 0;
	for (UINTN off = 0; off + desc_size <= map_size; off += desc_size) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)(map + off);

		add_region(bi, d->PhysicalStart, d->NumberOfPages * PAGE_SIZE,
			   classify(d->Type));
	}
	return EFI_SUCCESS;
}
