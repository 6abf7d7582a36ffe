// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM backend (AMD APM vol. 2 ch. 15): capabilities and EFER.SVME on
 * every CPU, the nested page tables of each VM, and each vCPU's VMCB,
 * permission maps and reset state; the operations table. The rest of the
 * backend:
 *   svm_vmcb.c   the guest's system registers in the VMCB
 *   svm_event.c  event injection, interrupt and NMI windows
 *   svm_nmi.c    NMI blocking without vNMI
 *   svm_run.c    the world switch around VMRUN, the VMCB dump
 *   svm_exit.c   #VMEXIT codes into the neutral exit record (hv/exit.h)
 *   svm_caps.c, svm_check.c (VMCB consistency checks)
 */
#include <arch/x86/cpu.h>
#include <arch/x86/svm.h>
#include <arch/x86/svm_impl.h>
#include <arch/x86/svm_nmi.h>
#include <hv/errno.h>
#include <hv/mm/gpa_map.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/string.h>
#include <hv/vm.h>

#define IOPM_SIZE  (12 * KiB)	/* one bit per port, plus slack */
#define MSRPM_SIZE (8 * KiB)	/* two bits per MSR in three ranges */

bool svm_has_nrips;
bool svm_has_vnmi;

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
	svm_has_nrips = caps->next_rip;
	/* QEMU TCG has no vNMI; Zen 4 and later do. */
	svm_has_vnmi = id.a_edx & SVM_FEAT_VNMI;
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

static int svm_vm_init(struct vm *vm)
{
	return gpa_map_init(&vm->gpa_map, &pt_format_x86, vm);
}

static void svm_vm_destroy(struct vm *vm)
{
	gpa_map_destroy(&vm->gpa_map);
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
	c->vintr = SVM_VINTR_MASKING | (svm_has_vnmi ? SVM_VINTR_V_NMI_ENABLE : 0);
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
