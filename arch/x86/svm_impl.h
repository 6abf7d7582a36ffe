/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVM backend's private state and the interfaces between its files
 * (svm.c lists them). Nothing outside arch/x86/svm*.c includes this.
 */
#ifndef ARCH_X86_SVM_IMPL_H
#define ARCH_X86_SVM_IMPL_H

#include <arch/x86/svm.h>
#include <arch/x86/svm_nmi.h>
#include <hv/vm.h>

struct vm_exit;

struct svm_vcpu {
	struct vmcb *vmcb;
	u64 vmcb_pa;
	u8 *iopm;
	u8 *msrpm;
	bool flush_tlb;
	struct svm_nmi nmi;	/* NMI blocking, without vNMI */
};

/* Decided once at probe time (svm.c). */
extern bool svm_has_nrips;
extern bool svm_has_vnmi;	/* the CPU tracks NMI blocking (15.21.10) */

static inline struct svm_vcpu *to_svm(struct vcpu *vcpu)
{
	return vcpu->vendor;
}

/*
 * The STI / MOV SS shadow of the exit covers only the instruction at the
 * exit's RIP; once the hypervisor has retired that instruction (HLT after
 * STI, say) the shadow is over. Inline: every entry asks.
 */
static inline bool svm_in_shadow(struct vcpu *vcpu)
{
	const struct vmcb *v = to_svm(vcpu)->vmcb;

	return (v->control.interrupt_shadow & 1) &&
	       v->save.rip == vcpu->regs.rip;
}

/* svm_vmcb.c */
void svm_get_sregs(struct vcpu *vcpu, struct vcpu_sregs *r);
void svm_set_sregs(struct vcpu *vcpu, const struct vcpu_sregs *r);

/* svm_event.c */
void svm_inject(struct vcpu *vcpu, enum event_type type, u8 vector,
		bool has_error, u32 error);
bool svm_irq_window_open(struct vcpu *vcpu);
bool svm_nmi_window_open(struct vcpu *vcpu);
void svm_request_irq_window(struct vcpu *vcpu, bool on);
void svm_request_nmi_window(struct vcpu *vcpu, bool on);
void svm_debug_trap(struct vcpu *vcpu, u64 dr6);

/* svm_run.c */
void svm_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit);
void svm_dump(struct vcpu *vcpu);

#endif /* ARCH_X86_SVM_IMPL_H */
