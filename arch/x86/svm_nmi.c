// SPDX-License-Identifier: GPL-2.0
/*
 * Guest NMI blocking on SVM without vNMI.
 *
 * An NMI blocks further NMIs until the next IRET has completed (SDM vol. 3
 * 6.7.1; APM vol. 2 8.2.3). EVENTINJ does not tell the hypervisor when
 * that is, so:
 *
 *  - injecting an NMI sets `blocked` and turns on the IRET intercept;
 *  - the IRET exit comes before the IRET executes (APM vol. 2 15.9, the
 *    intercept is checked before the instruction): its RIP is noted and the
 *    intercept dropped; blocking is over at the first later exit whose RIP
 *    differs, i.e. once the guest has moved past that IRET;
 *  - if an NMI is pending meanwhile, the guest is single-stepped over the
 *    IRET (RFLAGS.TF with RF, #DB intercepted) so that it exits right
 *    after it. The same step gets the guest out of an STI / MOV SS shadow.
 *    The #DB trap after a TF=1 instruction is taken before any pending
 *    NMI or interrupt (SDM vol. 3 6.9, priorities), so nothing slips in.
 *
 * RF suppresses instruction breakpoints on the stepped instruction (18.3.1.1)
 * so that a guest breakpoint there does not fire twice. The guest never
 * sees our TF/RF: they are put into the VMCB before VMRUN and taken out
 * again after every exit. After a completed IRET, RFLAGS are the ones it
 * popped (TF was set before it, so the trap still comes, 18.3.1.4).
 *
 * Known imperfections (also in other hypervisors doing this): an
 * instruction in the shadow that pushes RFLAGS (PUSHF, or an exception it
 * raises) pushes our TF; the guest's IRET from such a handler comes back
 * with TF and traps once more, which is taken as ours and dropped.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/svm.h>
#include <arch/x86/svm_nmi.h>
#include <hv/exit.h>

#define STEP_FLAGS (X86_RFLAGS_TF | X86_RFLAGS_RF)

void svm_nmi_injected(struct svm_nmi *n, struct vmcb *v)
{
	n->blocked = true;
	n->iret_seen = false;
	v->control.intercept_misc1 |= SVM_INTERCEPT_IRET;
}

/* The guest got past the IRET it exited on: blocking is over. */
static void check_iret_done(struct svm_nmi *n, u64 rip)
{
	if (n->iret_seen && rip != n->iret_rip) {
		n->blocked = false;
		n->iret_seen = false;
	}
}

bool svm_nmi_unblocked(struct svm_nmi *n, u64 rip)
{
	check_iret_done(n, rip);
	return !n->blocked;
}

static void start_step(struct svm_nmi *n, struct vmcb *v, bool iret)
{
	if (n->stepping)
		return;
	n->stepping = true;
	n->step_iret = iret;
	n->step_rip = v->save.rip;
	n->step_flags = v->save.rflags & STEP_FLAGS;
	n->step_dr6 = v->save.dr6;
}

static void end_step(struct svm_nmi *n, struct vmcb *v)
{
	n->stepping = false;
	v->control.intercept_exceptions &= ~BIT(X86_DB);
}

bool svm_nmi_prepare_entry(struct svm_nmi *n, struct vmcb *v)
{
	u64 rip = v->save.rip;
	bool now = false;

	check_iret_done(n, rip);
	/* An exit handler retired the stepped instruction (HLT, I/O...). */
	if (n->stepping && rip != n->step_rip)
		end_step(n, v);
	if (n->window) {
		if (n->blocked) {
			/* Before its IRET exit the intercept is still on. */
			if (n->iret_seen)
				start_step(n, v, true);
		} else if (v->control.interrupt_shadow & 1) {
			start_step(n, v, false);
		} else if (v->control.event_inj & SVM_EVTINJ_VALID) {
			/* TF would not survive the delivery (it clears TF). */
			now = true;
		}
	}
	if (n->stepping) {
		v->save.rflags |= STEP_FLAGS;
		v->control.intercept_exceptions |= BIT(X86_DB);
	}
	return now;
}

/*
 * A single-step trap (DR6.BS; the CPU writes DR6 before the intercept,
 * APM vol. 2 15.12). With RF set, no fault-type #DB can come first.
 */
static bool step_trap(const struct vmcb *v, const struct vm_exit *e)
{
	return e->kind == EXIT_EXCEPTION && e->exc.vector == X86_DB &&
	       (v->save.dr6 & X86_DR6_BS);
}

/* ...that the guest did not ask for: no TF of its own, no breakpoint hit. */
static bool our_trap(const struct svm_nmi *n, const struct vmcb *v,
		     const struct vm_exit *e)
{
	return step_trap(v, e) && !(n->step_flags & X86_RFLAGS_TF) &&
	       !(v->save.dr6 & X86_DR6_B0_B3 & ~n->step_dr6);
}

void svm_nmi_after_exit(struct svm_nmi *n, struct vmcb *v, struct vm_exit *e)
{
	u64 rip = v->save.rip;

	if (e->vendor_code == SVM_EXIT_IRET && n->blocked && !n->iret_seen) {
		n->iret_seen = true;
		n->iret_rip = rip;
		v->control.intercept_misc1 &= ~SVM_INTERCEPT_IRET;
	}
	check_iret_done(n, rip);
	if (!n->stepping)
		return;
	/* The trap also tells a completed `jmp .` (in an STI shadow). */
	if (rip == n->step_rip && !step_trap(v, e)) {
		/* An exit before the instruction completed: step on later. */
		v->save.rflags = (v->save.rflags & ~STEP_FLAGS) | n->step_flags;
		return;
	}
	/*
	 * The instruction completed. RF is cleared by the CPU after it; an
	 * IRET loaded TF and RF from its frame, anything else gets the
	 * guest's TF back.
	 */
	if (!n->step_iret)
		v->save.rflags = (v->save.rflags & ~X86_RFLAGS_TF) |
				 (n->step_flags & X86_RFLAGS_TF);
	if (our_trap(n, v, e)) {
		v->save.dr6 = n->step_dr6;
		e->kind = EXIT_NMI_WINDOW;
	}
	/* Otherwise a #DB stays an exception exit: the guest gets it. */
	end_step(n, v);
}

void svm_nmi_reset(struct svm_nmi *n, struct vmcb *v)
{
	*n = (struct svm_nmi){ 0 };
	v->control.intercept_misc1 &= ~SVM_INTERCEPT_IRET;
	v->control.intercept_exceptions &= ~BIT(X86_DB);
}
