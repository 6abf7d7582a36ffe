/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_VM_CREATE_H
#define HV_VM_CREATE_H

#include <hv/types.h>

struct boot_info;
struct boot_vm;
struct vm;

/*
 * Creates every guest the configuration names and the loader could read.
 * A guest that cannot be created is reported and skipped.
 */
void vms_create(struct boot_info *bi);

/*
 * Builds the guest's ACPI tables (hv/acpi_build.c) at @tables_gpa (@size
 * bytes of RAM) and the RSDP at @rsdp_gpa. Returns 0, -EFAULT or -ENOSPC.
 */
int vm_write_acpi(struct vm *vm, u64 tables_gpa, u64 size, u64 rsdp_gpa);

/* Loads the VM's image into its RAM and sets vCPU 0's entry state. */
int vm_load_image(struct vm *vm, const struct boot_vm *bv);

#endif /* HV_VM_CREATE_H */
