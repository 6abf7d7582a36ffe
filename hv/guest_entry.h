/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_GUEST_ENTRY_H
#define HV_GUEST_ENTRY_H

#include <hv/vm.h>

/*
 * Prepares @vcpu to start in 64-bit mode at @rip with @rsp: writes a boot
 * GDT (selectors 0x10 code, 0x18 data, as the Linux boot protocol wants)
 * and identity page tables for the low 4 GiB into guest memory, and sets
 * the control and segment registers to match.
 */
int guest_enter_long_mode(struct vcpu *vcpu, u64 rip, u64 rsp);

#endif /* HV_GUEST_ENTRY_H */
