/* SPDX-License-Identifier: GPL-2.0 */
/* Guest memory as the hypervisor sees it: physical and linear accesses. */
#ifndef HV_GMEM_H
#define HV_GMEM_H

#include <arch/x86/insn.h>
#include <hv/vm.h>

/*
 * Translates a guest linear address through the guest's own page tables
 * (4-level long mode, PAE or 32-bit, or none), SDM vol. 3 ch. 4. Returns 0
 * with *gpa set, or -EFAULT if not mapped (the guest would #PF).
 */
int gva_to_gpa(struct vm *vm, const struct vcpu_sregs *s, u64 gva,
	       gpa_t *gpa);
/* Reads up to @len instruction bytes at CS:rip; returns bytes read. */
int gva_fetch(struct vcpu *vcpu, const struct vcpu_sregs *s, u64 rip,
	      u8 *buf, int len);
enum insn_mode gmem_insn_mode(const struct vcpu_sregs *s);

#endif /* HV_GMEM_H */
