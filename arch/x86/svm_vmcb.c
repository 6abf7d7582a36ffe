// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's system registers in the VMCB save area (AMD APM vol. 2
 * appendix B): segments, descriptor tables, control registers, EFER and
 * PAT, read and written for hv/ in the neutral struct vcpu_sregs. The
 * VMCB is plain memory, so unlike VMX no cache is needed.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/svm.h>
#include <arch/x86/svm_impl.h>
#include <hv/vm.h>

static void seg_from_vmcb(struct seg *d, const struct vmcb_seg *s)
{
	d->sel = s->sel;
	d->attr = s->attr;
	d->limit = s->limit;
	d->base = s->base;
}

static void seg_to_vmcb(struct vmcb_seg *d, const struct seg *s)
{
	d->sel = s->sel;
	d->attr = s->attr;
	d->limit = s->limit;
	d->base = s->base;
}

void svm_get_sregs(struct vcpu *vcpu, struct vcpu_sregs *r)
{
	const struct vmcb_save *s = &to_svm(vcpu)->vmcb->save;

	seg_from_vmcb(&r->cs, &s->cs);
	seg_from_vmcb(&r->ds, &s->ds);
	seg_from_vmcb(&r->es, &s->es);
	seg_from_vmcb(&r->fs, &s->fs);
	seg_from_vmcb(&r->gs, &s->gs);
	seg_from_vmcb(&r->ss, &s->ss);
	seg_from_vmcb(&r->tr, &s->tr);
	seg_from_vmcb(&r->ldt, &s->ldtr);
	r->gdt.base = s->gdtr.base;
	r->gdt.limit = s->gdtr.limit;
	r->idt.base = s->idtr.base;
	r->idt.limit = s->idtr.limit;
	r->cr0 = s->cr0;
	r->cr2 = s->cr2;
	r->cr3 = s->cr3;
	r->cr4 = s->cr4;
	/* The guest never sees the SVME bit we keep set for it. */
	r->efer = s->efer & ~X86_EFER_SVME;
	r->pat = s->g_pat;
}

void svm_set_sregs(struct vcpu *vcpu, const struct vcpu_sregs *r)
{
	struct svm_vcpu *sv = to_svm(vcpu);
	struct vmcb_save *s = &sv->vmcb->save;

	seg_to_vmcb(&s->cs, &r->cs);
	seg_to_vmcb(&s->ds, &r->ds);
	seg_to_vmcb(&s->es, &r->es);
	seg_to_vmcb(&s->fs, &r->fs);
	seg_to_vmcb(&s->gs, &r->gs);
	seg_to_vmcb(&s->ss, &r->ss);
	seg_to_vmcb(&s->tr, &r->tr);
	seg_to_vmcb(&s->ldtr, &r->ldt);
	s->gdtr.base = r->gdt.base;
	s->gdtr.limit = r->gdt.limit;
	s->idtr.base = r->idt.base;
	s->idtr.limit = r->idt.limit;
	s->cr0 = r->cr0;
	s->cr2 = r->cr2;
	s->cr3 = r->cr3;
	s->cr4 = r->cr4;
	s->efer = r->efer | X86_EFER_SVME;
	s->g_pat = r->pat;
	/* CPL is DPL of SS in protected mode, 0 in real mode (15.5.1). */
	s->cpl = (r->cr0 & X86_CR0_PE) ? (r->ss.attr >> 5) & 3 : 0;
	sv->flush_tlb = true;
}
