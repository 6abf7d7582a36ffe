// SPDX-License-Identifier: GPL-2.0
/*
 * Events into an SVM guest (AMD APM vol. 2 15.20, 15.21): injection
 * through EVENTINJ, the guest's interruptibility, and interrupt and NMI
 * windows (vNMI where the CPU has it, svm_nmi.c where it does not).
 */
#include <arch/x86/cpu.h>
#include <arch/x86/svm.h>
#include <arch/x86/svm_impl.h>
#include <arch/x86/svm_nmi.h>
#include <hv/vm.h>

void svm_inject(struct vcpu *vcpu, enum event_type type, u8 vector,
		bool has_error, u32 error)
{
	static const u8 type_code[] = {
		[EVENT_EXT_INTR] = SVM_EVTINJ_TYPE_INTR,
		[EVENT_NMI] = SVM_EVTINJ_TYPE_NMI,
		[EVENT_EXCEPTION] = SVM_EVTINJ_TYPE_EXC,
		[EVENT_SOFT_INT] = SVM_EVTINJ_TYPE_SOFT,
	};
	u64 ev = vector | ((u64)type_code[type] << SVM_EVTINJ_TYPE_SHIFT) |
		 SVM_EVTINJ_VALID;
	struct svm_vcpu *sv = to_svm(vcpu);

	if (type == EVENT_NMI) {
		/*
		 * vNMI: V_NMI pending; the CPU delivers it when the guest can
		 * take it and masks further ones until the IRET (15.21.10).
		 * A second one before delivery collapses into it, as on
		 * bare metal.
		 */
		if (svm_has_vnmi) {
			sv->vmcb->control.vintr |= SVM_VINTR_V_NMI;
			return;
		}
		svm_nmi_injected(&sv->nmi, sv->vmcb);
	}
	if (has_error)
		ev |= SVM_EVTINJ_ERR_VALID | ((u64)error << 32);
	sv->vmcb->control.event_inj = ev;
}

bool svm_irq_window_open(struct vcpu *vcpu)
{
	const struct vmcb *v = to_svm(vcpu)->vmcb;

	return (vcpu->regs.rflags & X86_RFLAGS_IF) && !svm_in_shadow(vcpu) &&
	       !(v->control.event_inj & SVM_EVTINJ_VALID);
}

bool svm_nmi_window_open(struct vcpu *vcpu)
{
	struct svm_vcpu *sv = to_svm(vcpu);

	/* With vNMI the CPU holds the pending NMI and knows when it fits. */
	if (svm_has_vnmi)
		return true;
	/* Without, blocking is tracked in software (svm_nmi.c). */
	return svm_nmi_unblocked(&sv->nmi, vcpu->regs.rip) &&
	       !svm_in_shadow(vcpu) &&
	       !(sv->vmcb->control.event_inj & SVM_EVTINJ_VALID);
}

void svm_request_nmi_window(struct vcpu *vcpu, bool on)
{
	/* vNMI needs no window: a pending V_NMI is never refused. */
	to_svm(vcpu)->nmi.window = on && !svm_has_vnmi;
}

void svm_request_irq_window(struct vcpu *vcpu, bool on)
{
	struct vmcb_control *c = &to_svm(vcpu)->vmcb->control;

	/*
	 * A virtual interrupt with V_IGN_TPR makes the CPU exit (VINTR) as
	 * soon as the guest could take it (APM vol. 2 15.21.4).
	 */
	if (on) {
		c->vintr |= SVM_VINTR_V_IRQ | SVM_VINTR_IGN_TPR |
			    (0xfULL << SVM_VINTR_PRIO_SHIFT);
		c->intercept_misc1 |= SVM_INTERCEPT_VINTR;
	} else {
		c->vintr &= ~(SVM_VINTR_V_IRQ | SVM_VINTR_IGN_TPR |
			      (0xfULL << SVM_VINTR_PRIO_SHIFT));
		c->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
	}
}

/*
 * DR6 is in the VMCB: the trap's bits go there (B0-B3 not hit cleared,
 * 18.2.3), and the #DB goes in through EVENTINJ, ahead of any interrupt
 * (irq_window_open() sees it queued).
 */
void svm_debug_trap(struct vcpu *vcpu, u64 dr6)
{
	struct vmcb *v = to_svm(vcpu)->vmcb;
	const u64 bits = X86_DR6_B0_B3 | X86_DR6_BD | X86_DR6_BS;

	v->save.dr6 = (v->save.dr6 & ~bits) | (dr6 & bits) | X86_DR6_FIXED1;
	svm_inject(vcpu, EVENT_EXCEPTION, X86_DB, false, 0);
}
