// SPDX-License-Identifier: GPL-2.0
/*
 * The SVM world switch: the VMCB's RAX/RSP/RIP/RFLAGS and TLB control
 * around VMRUN (svm_entry.asm), the event an exit interrupted, and the
 * VMCB dump for a dying guest.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <arch/x86/mce.h>
#include <arch/x86/svm.h>
#include <arch/x86/svm_exit_io.h>
#include <arch/x86/svm_impl.h>
#include <arch/x86/svm_nmi.h>
#include <drivers/lapic.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/vm.h>

void svm_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct svm_vcpu *sv = to_svm(vcpu);
	struct vmcb *v = sv->vmcb;
	/*
	 * Tested once: only the two svm_nmi calls below change the state,
	 * so idle now is idle after the exit, and svm_nmi_after_exit() on
	 * a state that prepare_entry made idle does nothing.
	 */
	bool nmi_track = !svm_has_vnmi && !svm_nmi_idle(&sv->nmi);
	u64 intinfo;

	if (!svm_in_shadow(vcpu))
		v->control.interrupt_shadow = 0;
	v->save.rax = vcpu->regs.rax;
	v->save.rsp = vcpu->regs.rsp;
	v->save.rip = vcpu->regs.rip;
	v->save.rflags = vcpu->regs.rflags;
	v->control.tlb_control = sv->flush_tlb ? SVM_TLB_FLUSH_ALL :
						 SVM_TLB_FLUSH_NONE;
	sv->flush_tlb = false;
	v->control.clean = 0;	/* we may have changed anything */
	/*
	 * An NMI waiting behind a queued event: a self-IPI makes the guest
	 * exit (physical-interrupt intercept) right after that event is
	 * delivered, before the handler's first instruction (15.20).
	 */
	if (nmi_track && svm_nmi_prepare_entry(&sv->nmi, v))
		lapic_send_ipi(this_cpu()->apic_id, VEC_KICK);
	/*
	 * Always, whatever svm_nmi.c needs (hv/exit.c handle_exception);
	 * #MC: the host's (arch/x86/mce.c).
	 */
	v->control.intercept_exceptions |= BIT(X86_DB) | BIT(X86_AC) |
					   BIT(X86_MC);

	svm_world_switch(sv->vmcb_pa, this_cpu()->virt_area2, &vcpu->regs);

	vcpu->regs.rax = v->save.rax;
	vcpu->regs.rsp = v->save.rsp;
	vcpu->regs.rip = v->save.rip;
	vcpu->regs.rflags = v->save.rflags;

	/*
	 * An event whose delivery the exit interrupted is delivered again
	 * on the next entry (APM vol. 2 15.7.2); a new injection from the
	 * exit handler may replace it only if it is an exception that the
	 * handler raises on top (the CPU then sees both, as it would).
	 */
	intinfo = v->control.exit_int_info;
	v->control.event_inj = (intinfo & SVM_EVTINJ_VALID) ? intinfo : 0;
	if (likely(v->control.exit_code == SVM_EXIT_IOIO))
		svm_decode_io(v, exit);		/* inline: the commonest */
	else
		svm_decode_exit(v, vcpu->regs.rcx, svm_has_nrips, exit);
	/* A host #MC in guest mode is a shutdown here (mce_severity.c). */
	if (exit->kind == EXIT_TRIPLE_FAULT && mce_pending())
		exit->kind = EXIT_MACHINE_CHECK;
	if (nmi_track) {
		svm_nmi_after_exit(&sv->nmi, v, exit);
		vcpu->regs.rflags = v->save.rflags;	/* without our TF */
	}
}

void svm_dump(struct vcpu *vcpu)
{
	const struct svm_vcpu *sv = to_svm(vcpu);
	const struct vmcb *v = sv->vmcb;

	pr_err("vmcb: exit %#llx info1 %#llx info2 %#llx intinfo %#llx\n",
	       (unsigned long long)v->control.exit_code,
	       (unsigned long long)v->control.exit_info1,
	       (unsigned long long)v->control.exit_info2,
	       (unsigned long long)v->control.exit_int_info);
	pr_err("vmcb: cs %04x/%03x base %llx efer %llx cr0 %llx cr3 %llx cr4 %llx cpl %u\n",
	       v->save.cs.sel, v->save.cs.attr,
	       (unsigned long long)v->save.cs.base,
	       (unsigned long long)v->save.efer,
	       (unsigned long long)v->save.cr0, (unsigned long long)v->save.cr3,
	       (unsigned long long)v->save.cr4, v->save.cpl);
	pr_err("nmi: blocked %d iret %d at %llx window %d step %d at %llx\n",
	       sv->nmi.blocked, sv->nmi.iret_seen,
	       (unsigned long long)sv->nmi.iret_rip, sv->nmi.window,
	       sv->nmi.stepping, (unsigned long long)sv->nmi.step_rip);
}
