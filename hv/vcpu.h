/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <arch/x86/cpu.h>
#include <hv/vm.h>
#include <pmu/pmu.h>

/* Runs @vcpu on this CPU until it or its VM stops. */
void vcpu_run(struct vcpu *vcpu);

/*
 * An instruction the hypervisor retired completes as on hardware: RF is
 * cleared once it completes (SDM vol. 3 18.3.1.1), and with TF set (none
 * of the emulated instructions changes TF) the single-step trap follows,
 * RIP past the instruction, DR6.BS (18.3.1.4). A MOV SS / POP SS before it
 * held its own trap back; that one merges into this (6.8.3), so one #DB
 * either way. STI does not hold traps back.
 */
static inline void vcpu_insn_completed(struct vcpu *vcpu)
{
	vcpu->regs.rflags &= ~X86_RFLAGS_RF;
	if (unlikely(vcpu->regs.rflags & X86_RFLAGS_TF))
		virt->debug_trap(vcpu, X86_DR6_BS);
}

/* vcpu_skip_insn() without a length from the CPU: fetched and decoded. */
int vcpu_skip_insn_decode(struct vcpu *vcpu, const struct vm_exit *exit);

/*
 * Retires the instruction that caused @exit: RIP moves past it and the
 * guest's PMU counts it (pmu_retired_insn()), as the hardware would have;
 * RF is cleared and, with TF set, the single-step #DB trap raised. Inline
 * when the CPU gave the length (every port I/O exit on SVM): the commonest
 * exits pay no call for it.
 */
static inline int vcpu_skip_insn(struct vcpu *vcpu, const struct vm_exit *exit)
{
	if (unlikely(!exit->insn_len))
		return vcpu_skip_insn_decode(vcpu, exit);
	vcpu->regs.rip += exit->insn_len;
	vcpu_insn_completed(vcpu);
	if (unlikely(pmu_emulated_may_count(&vcpu->pmu)))
		pmu_retired_insn(vcpu, false);
	return 0;
}
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
