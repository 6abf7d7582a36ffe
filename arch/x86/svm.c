// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM backend (AMD APM vol. 2 ch. 15): enables SVM per CPU, owns the
 * VMCB, the nested page tables and the permission maps, and translates
 * #VMEXIT codes into the neutral exit record (hv/exit.h).
 */
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <arch/x86/svm.h>
#include <arch/x86/svm_nmi.h>
#include <drivers/lapic.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <hv/vm.h>

#define IOPM_SIZE  (12 * KiB)	/* one bit per port, plus slack */
#define MSRPM_SIZE (8 * KiB)	/* two bits per MSR in three ranges */

struct svm_vcpu {
	struct vmcb *vmcb;
	u64 vmcb_pa;
	u8 *iopm;
	u8 *msrpm;
	bool flush_tlb;
	struct svm_nmi nmi;	/* NMI blocking, without vNMI */
};

static bool has_nrips;
static bool has_vnmi;		/* the CPU tracks NMI blocking (15.21.10) */

static struct svm_vcpu *to_svm(struct vcpu *vcpu)
{
	return vcpu->vendor;
}

static int svm_probe(struct virt_caps *caps)
{
	struct svm_cpuid id = { 0 };
	struct cpuid_regs r;
	int err;

	cpuid_count(0x80000000, 0, &r);
	id.max_ext = r.eax;
	if (id.max_ext >= 0x80000001) {
		cpuid_count(0x80000001, 0, &r);
		id.e1_ecx = r.ecx;
	}
	if (id.max_ext >= 0x8000000a) {
		cpuid_count(0x8000000a, 0, &r);
		id.a_ebx = r.ebx;
		id.a_edx = r.edx;
	}
	id.vm_cr_known = rdmsr_safe(MSR_VM_CR, &id.vm_cr) == 0;
	err = svm_caps_check(&id, caps);
	has_nrips = caps->next_rip;
	/* QEMU TCG has no vNMI; Zen 4 and later do. */
	has_vnmi = id.a_edx & SVM_FEAT_VNMI;
	return err;
}

static int svm_cpu_enable(struct pcpu *cpu)
{
	void *hsave = page_alloc(PAGE_SIZE);
	void *host_vmcb = page_alloc(PAGE_SIZE);

	if (!hsave || !host_vmcb)
		return -ENOMEM;
	cpu->virt_area = virt_to_phys(hsave);
	cpu->virt_area2 = virt_to_phys(host_vmcb);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | X86_EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, cpu->virt_area);
	return 0;
}

static void *npt_alloc(void *opaque, u64 *phys)
{
	void *p = page_alloc(PAGE_SIZE);

	(void)opaque;
	if (p)
		*phys = virt_to_phys(p);
	return p;
}

static void *npt_virt(void *opaque, u64 phys)
{
	(void)opaque;
	return phys_to_virt(phys);
}

static void npt_free(void *opaque, u64 phys)
{
	(void)opaque;
	page_free(phys_to_virt(phys), PAGE_SIZE);
}

static int svm_vm_init(struct vm *vm)
{
	static struct pt_format npt_2m;
	struct cpuid_regs r;

	/* Nested tables have the host's long-mode format (APM vol. 2
	 * 15.25.5): 1 GiB leaves only with CPUID 8000_0001h EDX[26]. */
	vm->gpa_map.fmt = &pt_format_x86;
	cpuid_count(0x80000001, 0, &r);
	if (!(r.edx & BIT(26))) {
		npt_2m = pt_format_x86;
		npt_2m.allow_1g = false;
		vm->gpa_map.fmt = &npt_2m;
	}
	vm->gpa_map.alloc_table = npt_alloc;
	vm->gpa_map.phys_to_virt = npt_virt;
	vm->gpa_map.opaque = vm;
	return pt_init(&vm->gpa_map);
}

static void svm_vm_destroy(struct vm *vm)
{
	pt_destroy(&vm->gpa_map, npt_free);
}

static int svm_vm_map(struct vm *vm, gpa_t gpa, hpa_t hpa, u64 size)
{
	/* Nested walks are user accesses (APM vol. 2 15.25.5): set U/S. */
	return pt_map(&vm->gpa_map, gpa, hpa, size, PTE_P | PTE_RW | PTE_US);
}

static void msrpm_set(u8 *msrpm, u32 msr, bool intercept)
{
	u32 base;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 0x800 * 8, msr -= 0xc0000000;
	else if (msr >= 0xc0010000 && msr <= 0xc0011fff)
		base = 0x1000 * 8, msr -= 0xc0010000;
	else
		return;
	/* Two bits per MSR: read intercept, then write intercept. */
	base += msr * 2;
	if (intercept)
		msrpm[base / 8] |= 3 << (base % 8);
	else
		msrpm[base / 8] &= ~(3 << (base % 8));
}

/*
 * MSRs whose guest copy the VMCB holds and VMLOAD/VMSAVE switch: the guest
 * may touch them directly. Everything else exits to hv/msr.c.
 */
static const u32 passthrough_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR,
	MSR_CSTAR, MSR_SFMASK, MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP,
	MSR_IA32_SYSENTER_EIP,
};

static void init_seg(struct vmcb_seg *s, u16 sel, u16 attr, u32 limit,
		     u64 base)
{
	s->sel = sel;
	s->attr = attr;
	s->limit = limit;
	s->base = base;
}

/* Architectural reset state (APM vol. 2 14.1.3); boot code overrides. */
static void svm_reset_state(struct vcpu *vcpu)
{
	struct svm_vcpu *sv = to_svm(vcpu);
	struct vmcb_save *s = &sv->vmcb->save;

	memset(s, 0, sizeof(*s));
	init_seg(&s->cs, 0xf000, 0x9b, 0xffff, 0xffff0000);
	init_seg(&s->ds, 0, 0x93, 0xffff, 0);
	init_seg(&s->es, 0, 0x93, 0xffff, 0);
	init_seg(&s->fs, 0, 0x93, 0xffff, 0);
	init_seg(&s->gs, 0, 0x93, 0xffff, 0);
	init_seg(&s->ss, 0, 0x93, 0xffff, 0);
	init_seg(&s->gdtr, 0, 0, 0xffff, 0);
	init_seg(&s->idtr, 0, 0, 0xffff, 0);
	init_seg(&s->ldtr, 0, 0x82, 0xffff, 0);
	init_seg(&s->tr, 0, 0x8b, 0xffff, 0);
	s->cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW;
	s->efer = X86_EFER_SVME;	/* required in the guest (15.5.1) */
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->rflags = X86_RFLAGS_FIXED;
	s->g_pat = 0x0007040600070406ULL;
	vcpu->regs.rip = 0xfff0;
	vcpu->regs.rflags = X86_RFLAGS_FIXED;
}

static int svm_vcpu_init(struct vcpu *vcpu)
{
	struct svm_vcpu *sv = page_alloc(sizeof(*sv));
	struct vmcb_control *c;

	if (!sv)
		return -ENOMEM;
	sv->vmcb = page_alloc(PAGE_SIZE);
	sv->iopm = page_alloc(IOPM_SIZE);
	sv->msrpm = page_alloc(MSRPM_SIZE);
	if (!sv->vmcb || !sv->iopm || !sv->msrpm)
		return -ENOMEM;
	sv->vmcb_pa = virt_to_phys(sv->vmcb);
	vcpu->vendor = sv;

	/* Intercept every port and MSR, then open the few safe MSRs. */
	memset(sv->iopm, 0xff, IOPM_SIZE);
	memset(sv->msrpm, 0xff, MSRPM_SIZE);
	for (u32 i = 0; i < ARRAY_SIZE(passthrough_msrs); i++)
		msrpm_set(sv->msrpm, passthrough_msrs[i], false);

	c = &sv->vmcb->control;
	c->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI |
			     SVM_INTERCEPT_SMI | SVM_INTERCEPT_INIT |
			     SVM_INTERCEPT_RDPMC | SVM_INTERCEPT_CPUID |
			     SVM_INTERCEPT_INVD | SVM_INTERCEPT_HLT |
			     SVM_INTERCEPT_INVLPGA | SVM_INTERCEPT_IOIO |
			     SVM_INTERCEPT_MSR | SVM_INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
			     SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
			     SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			     SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_MONITOR |
			     SVM_INTERCEPT_MWAIT | SVM_INTERCEPT_MWAIT_C |
			     SVM_INTERCEPT_XSETBV | SVM_INTERCEPT_WBINVD;
	c->iopm_base_pa = virt_to_phys(sv->iopm);
	c->msrpm_base_pa = virt_to_phys(sv->msrpm);
	c->asid = vcpu->vm->tlb_tag;
	c->vintr = SVM_VINTR_MASKING | (has_vnmi ? SVM_VINTR_V_NMI_ENABLE : 0);
	c->np_control = SVM_NP_ENABLE;
	c->n_cr3 = vcpu->vm->gpa_map.root;
	sv->flush_tlb = true;

	svm_reset_state(vcpu);
	return 0;
}

static void svm_vcpu_destroy(struct vcpu *vcpu)
{
	struct svm_vcpu *sv = to_svm(vcpu);

	if (!sv)
		return;
	page_free(sv->vmcb, PAGE_SIZE);
	page_free(sv->iopm, IOPM_SIZE);
	page_free(sv->msrpm, MSRPM_SIZE);
	page_free(sv, sizeof(*sv));
	vcpu->vendor = NULL;
}

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

static void svm_get_sregs(struct vcpu *vcpu, struct vcpu_sregs *r)
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

static void svm_set_sregs(struct vcpu *vcpu, const struct vcpu_sregs *r)
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

static void svm_inject(struct vcpu *vcpu, enum event_type type, u8 vector,
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
		if (has_vnmi) {
			sv->vmcb->control.vintr |= SVM_VINTR_V_NMI;
			return;
		}
		svm_nmi_injected(&sv->nmi, sv->vmcb);
	}
	if (has_error)
		ev |= SVM_EVTINJ_ERR_VALID | ((u64)error << 32);
	sv->vmcb->control.event_inj = ev;
}

/*
 * The STI / MOV SS shadow of the exit covers only the instruction at the
 * exit's RIP; once the hypervisor has retired that instruction (HLT after
 * STI, say) the shadow is over.
 */
static bool svm_in_shadow(struct vcpu *vcpu)
{
	const struct vmcb *v = to_svm(vcpu)->vmcb;

	return (v->control.interrupt_shadow & 1) &&
	       v->save.rip == vcpu->regs.rip;
}

static bool svm_irq_window_open(struct vcpu *vcpu)
{
	const struct vmcb *v = to_svm(vcpu)->vmcb;

	return (vcpu->regs.rflags & X86_RFLAGS_IF) && !svm_in_shadow(vcpu) &&
	       !(v->control.event_inj & SVM_EVTINJ_VALID);
}

static bool svm_nmi_window_open(struct vcpu *vcpu)
{
	struct svm_vcpu *sv = to_svm(vcpu);

	/* With vNMI the CPU holds the pending NMI and knows when it fits. */
	if (has_vnmi)
		return true;
	/* Without, blocking is tracked in software (svm_nmi.c). */
	return svm_nmi_unblocked(&sv->nmi, vcpu->regs.rip) &&
	       !svm_in_shadow(vcpu) &&
	       !(sv->vmcb->control.event_inj & SVM_EVTINJ_VALID);
}

static void svm_request_nmi_window(struct vcpu *vcpu, bool on)
{
	/* vNMI needs no window: a pending V_NMI is never refused. */
	to_svm(vcpu)->nmi.window = on && !has_vnmi;
}

static void svm_request_irq_window(struct vcpu *vcpu, bool on)
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

static void svm_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct svm_vcpu *sv = to_svm(vcpu);
	struct vmcb *v = sv->vmcb;
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
	if (!has_vnmi && svm_nmi_prepare_entry(&sv->nmi, v))
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
	svm_decode_exit(v, vcpu->regs.rcx, has_nrips, exit);
	if (!has_vnmi) {
		svm_nmi_after_exit(&sv->nmi, v, exit);
		vcpu->regs.rflags = v->save.rflags;	/* without our TF */
	}
}

/*
 * A guest reset: nothing queued or pending from the old run survives
 * (event injection, interrupt window, interrupt shadow); the vCPU is not
 * running anywhere while this is called.
 */
static void svm_vcpu_reset(struct vcpu *vcpu)
{
	struct vmcb_control *c = &to_svm(vcpu)->vmcb->control;

	c->event_inj = 0;
	c->exit_int_info = 0;
	c->interrupt_shadow = 0;
	c->vintr &= ~(SVM_VINTR_V_NMI | SVM_VINTR_V_NMI_MASK);
	svm_nmi_reset(&to_svm(vcpu)->nmi, to_svm(vcpu)->vmcb);
	svm_request_irq_window(vcpu, false);
	svm_reset_state(vcpu);
	to_svm(vcpu)->flush_tlb = true;
}

static void svm_set_tsc_offset(struct vcpu *vcpu, u64 offset)
{
	to_svm(vcpu)->vmcb->control.tsc_offset = offset;	/* 15.30.5 */
}

/* hv/cr.c checks every MOV to CR4 against @allowed (15.9.1). */
static void svm_set_cr4_allowed(struct vcpu *vcpu, u64 allowed)
{
	(void)allowed;
	to_svm(vcpu)->vmcb->control.intercept_cr_write |= BIT(4);
}

/*
 * With V_INTR_MASKING the guest's MOV to/from CR8 uses V_TPR and does not
 * exit (APM vol. 2 15.21.1). While an interrupt is held back by the TPR,
 * MOV to CR8 is intercepted (hv/cr.c takes the value) so that lowering it
 * lets the interrupt in at once; otherwise CR8 writes stay exit-free.
 */
static void svm_set_cr8(struct vcpu *vcpu, u8 cr8, int held)
{
	struct vmcb_control *c = &to_svm(vcpu)->vmcb->control;

	c->vintr = (c->vintr & ~SVM_VINTR_V_TPR_MASK) | (cr8 & 0xf);
	if (held >= 0)
		c->intercept_cr_write |= BIT(8);
	else
		c->intercept_cr_write &= ~BIT(8);
}

static u8 svm_get_cr8(struct vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->control.vintr & SVM_VINTR_V_TPR_MASK;
}

/*
 * DR6 is in the VMCB: the trap's bits go there (B0-B3 not hit cleared,
 * 18.2.3), and the #DB goes in through EVENTINJ, ahead of any interrupt
 * (irq_window_open() sees it queued).
 */
static void svm_debug_trap(struct vcpu *vcpu, u64 dr6)
{
	struct vmcb *v = to_svm(vcpu)->vmcb;
	const u64 bits = X86_DR6_B0_B3 | X86_DR6_BD | X86_DR6_BS;

	v->save.dr6 = (v->save.dr6 & ~bits) | (dr6 & bits) | X86_DR6_FIXED1;
	svm_inject(vcpu, EVENT_EXCEPTION, X86_DB, false, 0);
}

static void svm_msr_intercept(struct vcpu *vcpu, u32 msr, bool intercept)
{
	msrpm_set(to_svm(vcpu)->msrpm, msr, intercept);
}

static void svm_rdpmc_intercept(struct vcpu *vcpu, bool intercept)
{
	struct vmcb_control *c = &to_svm(vcpu)->vmcb->control;

	if (intercept)
		c->intercept_misc1 |= SVM_INTERCEPT_RDPMC;
	else
		c->intercept_misc1 &= ~SVM_INTERCEPT_RDPMC;
}

static void svm_dump(struct vcpu *vcpu)
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

const struct virt_ops svm_ops = {
	.name = "AMD SVM",
	.probe = svm_probe,
	.cpu_enable = svm_cpu_enable,
	.vm_init = svm_vm_init,
	.vm_destroy = svm_vm_destroy,
	.vm_map = svm_vm_map,
	.vcpu_init = svm_vcpu_init,
	.vcpu_destroy = svm_vcpu_destroy,
	.vcpu_run = svm_vcpu_run,
	.get_sregs = svm_get_sregs,
	.set_sregs = svm_set_sregs,
	.inject = svm_inject,
	.irq_window_open = svm_irq_window_open,
	.request_irq_window = svm_request_irq_window,
	.dump = svm_dump,
	.nmi_window_open = svm_nmi_window_open,
	.request_nmi_window = svm_request_nmi_window,
	.vcpu_reset = svm_vcpu_reset,
	.set_tsc_offset = svm_set_tsc_offset,
	.set_cr4_allowed = svm_set_cr4_allowed,
	.set_cr8 = svm_set_cr8,
	.get_cr8 = svm_get_cr8,
	.debug_trap = svm_debug_trap,
	.msr_intercept = svm_msr_intercept,
	.rdpmc_intercept = svm_rdpmc_intercept,
};
