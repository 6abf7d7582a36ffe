/* SPDX-License-Identifier: GPL-2.0 */
/* The guest's CPUID (hv/cpuid.c), and what follows from it. */
#ifndef HV_CPUID_H
#define HV_CPUID_H

#include <arch/x86/cpu.h>

struct vcpu;

/* What CPUID @leaf/@sub gives @vcpu. */
void cpuid_policy(struct vcpu *vcpu, u32 leaf, u32 sub, struct cpuid_regs *r);

#endif /* HV_CPUID_H */
