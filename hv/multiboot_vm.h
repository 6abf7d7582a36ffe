/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_MULTIBOOT_VM_H
#define HV_MULTIBOOT_VM_H

#include <hv/types.h>

struct boot_vm;
struct vm;

/* The image has a Multiboot header (valid or not: then loading says why). */
bool multiboot_vm_is_multiboot(const void *img, size_t len);

/*
 * Loads a Multiboot kernel, the config's initrd as its module, the boot
 * information and the ACPI tables, and puts vCPU 0 into the entry state of
 * the spec (3.2). Returns 0, or a negative errno with *why set.
 */
int multiboot_vm_load(struct vm *vm, const struct boot_vm *bv,
		      const char **why);

#endif /* HV_MULTIBOOT_VM_H */
