// SPDX-License-Identifier: GPL-2.0
/*
 * VMRUN consistency checks (AMD APM vol. 2 15.5.1, "Canonicalization and
 * Consistency Checks"). When VMRUN fails with VMEXIT_INVALID the CPU says
 * nothing more; this replays the checks to name the one that failed.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/svm.h>

#define CR4_RESERVED_MASK 0xffffffffff08f000ULL	/* conservative */
#define EFER_RESERVED_MASK 0xffffffffffff0200ULL	/* bits 9, 16+ */

static bool canonical(u64 a)
{
	return (u64)((s64)(a << 16) >> 16) == a;
}

const char *svm_check_vmcb(const struct vmcb *v)
{
	const struct vmcb_save *s = &v->save;
	const struct vmcb_control *c = &v->control;
	bool long_mode = (s->efer & X86_EFER_LME) && (s->cr0 & X86_CR0_PG);

	if (!(s->efer & X86_EFER_SVME))
		return "EFER.SVME is zero";
	if (!(s->cr0 & X86_CR0_CD) && (s->cr0 & X86_CR0_NW))
		return "CR0.CD is zero and CR0.NW is set";
	if (s->cr0 >> 32)
		return "CR0[63:32] are not zero";
	if (s->cr3 >> 52)
		return "CR3 has MBZ bits set";
	if (s->cr4 & CR4_RESERVED_MASK)
		return "CR4 has reserved bits set";
	if (s->dr6 >> 32)
		return "DR6[63:32] are not zero";
	if (s->dr7 >> 32)
		return "DR7[63:32] are not zero";
	if (s->efer & EFER_RESERVED_MASK)
		return "EFER has MBZ bits set";
	if (long_mode && !(s->cr4 & X86_CR4_PAE))
		return "EFER.LME and CR0.PG are set but CR4.PAE is zero";
	if (long_mode && !(s->cr0 & X86_CR0_PE))
		return "EFER.LME and CR0.PG are set but CR0.PE is zero";
	if (long_mode && (s->cr4 & X86_CR4_PAE) && (s->cs.attr & (1 << 9)) &&
	    (s->cs.attr & (1 << 10)))
		return "long mode with both CS.L and CS.D set";
	if (!(c->intercept_misc2 & SVM_INTERCEPT_VMRUN))
		return "the VMRUN intercept is not set";
	if (c->asid == 0)
		return "ASID is zero";
	if (c->msrpm_base_pa >> 52 || c->iopm_base_pa >> 52)
		return "MSRPM or IOPM base beyond the physical address width";
	if ((c->np_control & SVM_NP_ENABLE) && (c->n_cr3 >> 52))
		return "nested CR3 has MBZ bits set";
	if ((c->event_inj & SVM_EVTINJ_VALID) &&
	    ((c->event_inj >> SVM_EVTINJ_TYPE_SHIFT) & 7) == 1)
		return "event injection with a reserved type";
	if ((c->event_inj & SVM_EVTINJ_VALID) &&
	    ((c->event_inj >> SVM_EVTINJ_TYPE_SHIFT) & 7) ==
		    SVM_EVTINJ_TYPE_EXC &&
	    (c->event_inj & 0xff) == X86_NMI)
		return "event injection of vector 2 as an exception";
	if (!canonical(s->rip) && (s->efer & X86_EFER_LMA))
		return "RIP is not canonical";
	return "no check identified (an unmodelled consistency rule)";
}
