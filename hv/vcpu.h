/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <hv/vm.h>

/* Runs @vcpu on this CPU until it or its VM stops. */
void vcpu_run(struct vcpu *vcpu);

/*
 * Retires the instruction that caused @exit: RIP moves past it and the
 * guest's PMU counts it (pmu_retired_insn()), as the hardware would have;
 * RF is cleared and, with TF set, the single-step #DB trap raised.
 */
int vcpu_skip_insn(struct vcpu *vcpu, const struct vm_exit *exit);
/* The same without the count, for a caller that counted it already. */
int vcpu_advance_rip(struct vcpu *vcpu, const struct vm_exit *exit);
/* Retires an emulated instruction of @len bytes (@narrow: 32-bit RIP). */
void vcpu_retire(struct vcpu *vcpu, u64 len, bool narrow);

/* Injects an exception (with an error code where the vector has one). */
void vcpu_inject_exception(struct vcpu *vcpu, u8 vector, u32 error);
static inline void vcpu_inject_gp(struct vcpu *vcpu)
{
	vcpu_inject_exception(vcpu, 13, 0);
}
static inline void vcpu_inject_ud(struct vcpu *vcpu)
{
	vcpu_inject_exception(vcpu, 6, 0);
}

/* The guest's current privilege level and execution mode. */
u32 vcpu_cpl(struct vcpu *vcpu);

#endif /* HV_VCPU_H */
