/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest NMI blocking on SVM without vNMI (arch/x86/svm_nmi.c): pure logic
 * over a VMCB and this state, so host unit tests can drive it.
 */
#ifndef ARCH_X86_SVM_NMI_H
#define ARCH_X86_SVM_NMI_H

#include <hv/types.h>

struct vmcb;
struct vm_exit;

struct svm_nmi {
	union {
		struct {
			bool blocked;	/* in the NMI handler: its IRET not yet done */
			bool iret_seen;	/* that IRET exited, at iret_rip */
			bool window;	/* an NMI is pending: exit once it can go in */
			bool stepping;	/* single-stepping one guest instruction */
		};
		u32 busy;	/* the four at once: 0 iff idle (svm_nmi_idle) */
	};
	bool step_iret;		/* ...the IRET, which loads RFLAGS itself */
	u64 iret_rip;
	u64 step_rip;
	u64 step_flags;		/* the guest's own TF and RF at the start */
	u64 step_dr6;		/* the guest's DR6 at the start */
};

/*
 * Nothing to track: no NMI handler running (iret_seen implies blocked),
 * none waiting, no step. Then svm_nmi_prepare_entry() and
 * svm_nmi_after_exit() have nothing to do, and the exit path skips them.
 */
static inline bool svm_nmi_idle(const struct svm_nmi *n)
{
	return !n->busy;	/* iret_seen is never set without blocked */
}

/* An NMI was put into EVENTINJ: the guest is blocked until its IRET. */
void svm_nmi_injected(struct svm_nmi *n, struct vmcb *v);

/* True unless the guest, now at @rip, is still in its NMI handler. */
bool svm_nmi_unblocked(struct svm_nmi *n, u64 rip);

/*
 * Before VMRUN, with the guest's RIP, RFLAGS and interrupt shadow in the
 * VMCB: arranges the exit the window needs. Returns true if the exit must
 * come right after the queued event is delivered, which the caller
 * arranges (a self-IPI: the physical-interrupt intercept).
 */
bool svm_nmi_prepare_entry(struct svm_nmi *n, struct vmcb *v);

/*
 * After #VMEXIT, with @e decoded: notes the IRET, ends a single step and
 * hides it from the guest (our #DB becomes EXIT_NMI_WINDOW). Leaves the
 * guest's RFLAGS in the VMCB as the guest should see them.
 */
void svm_nmi_after_exit(struct svm_nmi *n, struct vmcb *v, struct vm_exit *e);

/* Guest reset: no blocking, no window, no step; intercepts dropped. */
void svm_nmi_reset(struct svm_nmi *n, struct vmcb *v);

#endif /* ARCH_X86_SVM_NMI_H */
