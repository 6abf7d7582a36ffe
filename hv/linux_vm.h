/* SPDX-License-Identifier: GPL-2.0 */
/* Loading a Linux bzImage into a VM (boot protocol in hv/linux_boot.h). */
#ifndef HV_LINUX_VM_H
#define HV_LINUX_VM_H

#include <hv/types.h>

struct vm;
struct boot_vm;

/* True if @img looks like a bzImage we can boot. */
bool linux_vm_is_bzimage(const void *img, size_t len);
/*
 * Places the kernel, initrd, command line and zero page in the VM's RAM
 * and sets vCPU 0 up for the 64-bit entry. Returns 0 or a negative errno,
 * with *why set to a reason.
 */
int linux_vm_load(struct vm *vm, const struct boot_vm *bv, const char **why);

#endif /* HV_LINUX_VM_H */
