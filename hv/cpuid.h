/* SPDX-License-Identifier: GPL-2.0 */
/* The guest's CPUID (hv/cpuid.c), and what follows from it. */
#ifndef HV_CPUID_H
#define HV_CPUID_H

#include <arch/x86/cpu.h>

struct vcpu;

/* What CPUID @leaf/@sub gives @vcpu. */
void cpuid_policy(struct vcpu *vcpu, u32 leaf, u32 sub, struct cpuid_regs *r);
/* The CR4 bits whose features CPUID offers @vcpu: the others #GP. */
u64 cpuid_cr4_allowed(struct vcpu *vcpu);

#endif /* HV_CPUID_H */
