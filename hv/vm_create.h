/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_VM_CREATE_H
#define HV_VM_CREATE_H

struct boot_info;

/*
 * Creates every guest the configuration names and the loader could read.
 * A guest that cannot be created is reported and skipped.
 */
void vms_create(struct boot_info *bi);

#endif /* HV_VM_CREATE_H */
