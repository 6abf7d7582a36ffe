// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX backend (SDM vol. 3 ch. 24-29): capabilities and VMXON on
 * every CPU, EPT for each VM, and each vCPU's VMCS, bitmaps and reset
 * state; the operations table. The rest of the backend:
 *   vmx_vmcs.c   the VMCS's guest and host state, and its first setup
 *   vmx_event.c  event injection, interrupt and NMI windows
 *   vmx_exit.c   VM exits into the neutral exit record (hv/exit.h)
 *   vmx_run.c    the world switch
 *   vmx_pmu.c, vmx_mtrr.c, vmx_check.c (entry-failure diagnosis)
 *
 * A VMCS can only be accessed on the CPU where it is current, but vCPUs
 * are created (and their boot state set) on the boot CPU and then run on
 * the CPU they are pinned to: see vmx_vmcs.c for the cache of the system
 * registers. The VMCS itself is initialised lazily, on its CPU, at the
 * first run.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <arch/x86/vmx_impl.h>
#include <arch/x86/vmx_ops.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/mm/gpa_map.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <hv/vm.h>

#define IO_BITMAPS_SIZE (2 * PAGE_SIZE)	/* A: 0-7fff, B: 8000-ffff */

struct vmx_caps vmx_caps;
struct vmx_ctls vmx_ctls;
u32 vmx_access_errors;
u32 vmx_last_bad_field;

struct vmx_pmu *vmx_pmu_of(struct vcpu *vcpu)
{
	return &to_vmx(vcpu)->pmu;
}

/* A control pair from a capability MSR: low = must be 1, high = may be 1. */
static void read_ctl(u32 msr, u32 *must1, u32 *may1)
{
	u64 v = rdmsr(msr);

	*must1 = (u32)v;
	*may1 = v >> 32;
}

/*
 * IA32_FEATURE_CONTROL (SDM vol. 3 24.7): VMXON #GPs unless the MSR is
 * locked with "VMX outside SMX" set. Firmware usually locks it; if it did
 * not, we enable and lock it ourselves.
 */
static int feature_control_enable(void)
{
	u64 fc;

	if (rdmsr_safe(MSR_IA32_FEATURE_CONTROL, &fc))
		return -EIO;
	if (!(fc & FEATURE_CONTROL_LOCK)) {
		fc |= FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_NOSMX;
		if (wrmsr_safe(MSR_IA32_FEATURE_CONTROL, fc))
			return -EIO;
	}
	return (fc & FEATURE_CONTROL_VMX_NOSMX) ? 0 : -EPERM;
}

static int vmx_probe(struct virt_caps *caps)
{
	struct vmx_caps *c = &vmx_caps;
	struct cpuid_regs r;
	bool true_ctls;
	int err;

	cpuid_count(1, 0, &r);
	if (!(r.ecx & BIT(5))) {
		vmx_caps_lack(caps, "VMX (CPUID.1 ECX[5])");
		return -ENODEV;
	}
	err = feature_control_enable();
	if (err) {
		vmx_caps_lack(caps, err == -EPERM ?
			"VMX disabled by firmware (IA32_FEATURE_CONTROL locked without VMX outside SMX)" :
			"a writable IA32_FEATURE_CONTROL");
		return -ENODEV;
	}
	cpuid_count(0x80000000, 0, &r);
	c->phys_bits = 36;
	if (r.eax >= 0x80000008)
		c->phys_bits = cpuid_eax(0x80000008) & 0xff;

	c->basic = rdmsr(MSR_VMX_BASIC);
	true_ctls = c->basic & VMX_BASIC_TRUE_CTLS;
	read_ctl(true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED,
		 &c->pin0, &c->pin1);
	read_ctl(true_ctls ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED,
		 &c->proc0, &c->proc1);
	read_ctl(true_ctls ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT,
		 &c->exit0, &c->exit1);
	read_ctl(true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY,
		 &c->entry0, &c->entry1);
	if (c->proc1 & PROC_SECONDARY)
		read_ctl(MSR_VMX_PROCBASED2, &c->proc2_0, &c->proc2_1);
	if (c->proc2_1 & (PROC2_EPT | PROC2_VPID))
		c->ept_vpid = rdmsr(MSR_VMX_EPT_VPID_CAP);
	c->misc = rdmsr(MSR_VMX_MISC);
	c->cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);

	if (vmx_caps_check(c, caps))
		return -ENODEV;

	vmx_ctls.pin = (PIN_EXT_INTR | PIN_NMI | PIN_VIRTUAL_NMI | c->pin0) &
		  c->pin1;
	vmx_ctls.proc = (PROC_HLT | PROC_MWAIT | PROC_RDPMC | PROC_MONITOR |
		    PROC_TSC_OFFSET | PROC_CR8_LOAD | PROC_CR8_STORE |
		    PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_SECONDARY |
		    c->proc0) & c->proc1;
	/*
	 * RDTSCP, INVPCID: #UD in the guest unless enabled. XSAVES stays
	 * off (#UD), as CPUID says: IA32_XSS is not switched (xstate.h).
	 * WBINVD exits (INVD always does, 26.1.2): a guest must not flush
	 * the caches every other guest shares.
	 */
	vmx_ctls.proc2 = (PROC2_EPT | PROC2_UNRESTRICTED | PROC2_VPID |
		     PROC2_RDTSCP | PROC2_INVPCID | PROC2_WBINVD |
		     c->proc2_0) & c->proc2_1 & ~PROC2_XSAVES;
	/*
	 * A VM exit sets DR7 to 400h (28.5.1): the guest's DR7 (and
	 * DEBUGCTL) survive exits only through "save debug controls" and
	 * "load debug controls" (GUEST_DR7, GUEST_DEBUGCTL). DR0-DR3 and
	 * DR6 are arch/x86/xstate.c's.
	 */
	vmx_ctls.exit = (EXIT_HOST_ADDR64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER |
		    EXIT_SAVE_PAT | EXIT_LOAD_PAT | EXIT_SAVE_DEBUG |
		    c->exit0) & c->exit1;
	vmx_ctls.entry = (ENTRY_LOAD_EFER | ENTRY_LOAD_PAT | ENTRY_LOAD_DEBUG |
		     c->entry0) & c->entry1 & ~(ENTRY_SMM | ENTRY_DUAL_MONITOR);
	vmx_ctls.eptp_flags = EPTP_WB | EPTP_WALK4;
	pr_info("VMX: revision %#x, EPT/VPID caps %#llx, misc %#llx, CR0 fixed %#llx/%#llx, CR4 fixed %#llx/%#llx\n",
		(u32)c->basic & 0x7fffffff, (unsigned long long)c->ept_vpid,
		(unsigned long long)c->misc,
		(unsigned long long)c->cr0_fixed0,
		(unsigned long long)c->cr0_fixed1,
		(unsigned long long)c->cr4_fixed0,
		(unsigned long long)c->cr4_fixed1);
	return 0;
}

static int vmx_cpu_enable(struct pcpu *cpu)
{
	u32 *vmxon = page_alloc(PAGE_SIZE);
	struct vmx_cpu *vc = page_alloc(PAGE_SIZE);
	int err;

	if (!vmxon || !vc)
		return -ENOMEM;
	/* Each CPU has its own IA32_FEATURE_CONTROL. */
	err = feature_control_enable();
	if (err)
		return err;
	*vmxon = (u32)vmx_caps.basic & 0x7fffffff;	/* revision id */
	cpu->virt_area = virt_to_phys(vmxon);
	cpu->virt_area2 = virt_to_phys(vc);
	/*
	 * CR0/CR4 must satisfy the fixed bits in VMX operation (24.8).
	 * HOST_CR4 is read from here (with xstate_cpu_init()'s OSXSAVE).
	 */
	write_cr0((read_cr0() | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1);
	write_cr4((read_cr4() | vmx_caps.cr4_fixed0 | X86_CR4_VMXE) &
		  vmx_caps.cr4_fixed1);
	if (vmx_on(cpu->virt_area)) {
		pr_err("VMXON failed\n");
		return -EIO;
	}
	return 0;
}

static int vmx_vm_init(struct vm *vm)
{
	return gpa_map_init(&vm->gpa_map, &pt_format_ept, vm);
}

static void vmx_vm_destroy(struct vm *vm)
{
	gpa_map_destroy(&vm->gpa_map);
}

static int vmx_vm_map(struct vm *vm, gpa_t gpa, hpa_t hpa, u64 size)
{
	/*
	 * The EPT memory type must agree with what the host's MTRRs say
	 * about the memory (SDM vol. 3 29.3.7): guest RAM is host RAM, which
	 * firmware maps write-back; vmx_mtrr_type() checks that and falls
	 * back to UC for anything it cannot prove uniform.
	 */
	int type = vmx_mtrr_type(hpa, size);

	if (type < 0) {
		pr_warn("vm %s: MTRRs do not give [%#llx, +%#llx) one memory type: mapped UC\n",
			vm->name, (unsigned long long)hpa,
			(unsigned long long)size);
		type = 0;
	}
	return pt_map(&vm->gpa_map, gpa, hpa, size,
		      EPT_R | EPT_W | EPT_X | ((u64)type << EPT_MT_SHIFT));
}

/* The same set SVM passes through (arch/x86/svm.c). */
static const u32 passthrough_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR,
	MSR_CSTAR, MSR_SFMASK, MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP,
	MSR_IA32_SYSENTER_EIP,
};

static struct seg reset_seg(u16 sel, u16 attr, u64 base)
{
	return (struct seg){ .sel = sel, .attr = attr, .limit = 0xffff,
			     .base = base };
}

/* Architectural reset state (SDM vol. 3 10.1.1); boot code overrides. */
static void vmx_reset_state(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);
	struct vcpu_sregs *s = &vx->sregs;

	memset(s, 0, sizeof(*s));
	s->cs = reset_seg(0xf000, 0x9b, 0xffff0000);
	s->ds = s->es = s->fs = s->gs = s->ss = reset_seg(0, 0x93, 0);
	s->ldt = reset_seg(0, 0x82, 0);
	s->tr = reset_seg(0, 0x8b, 0);
	s->gdt.limit = s->idt.limit = 0xffff;
	s->cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW;
	s->pat = 0x0007040600070406ULL;
	vx->sregs_valid = vx->sregs_dirty = true;
	vcpu->regs.rip = 0xfff0;
	vcpu->regs.rflags = X86_RFLAGS_FIXED;
}

static int vmx_vcpu_init(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = page_alloc(sizeof(*vx));

	if (!vx)
		return -ENOMEM;
	vcpu->vendor = vx;
	vx->vmcs = page_alloc(PAGE_SIZE);
	vx->msr_bitmap = page_alloc(PAGE_SIZE);
	vx->io_bitmaps = page_alloc(IO_BITMAPS_SIZE);
	if (!vx->vmcs || !vx->msr_bitmap || !vx->io_bitmaps)
		return -ENOMEM;
	vx->vmcs_pa = virt_to_phys(vx->vmcs);

	/* Intercept every port and MSR, then open the few safe MSRs. */
	memset(vx->io_bitmaps, 0xff, IO_BITMAPS_SIZE);
	memset(vx->msr_bitmap, 0xff, PAGE_SIZE);
	for (u32 i = 0; i < ARRAY_SIZE(passthrough_msrs); i++)
		vmx_msr_bitmap_set(vx->msr_bitmap, passthrough_msrs[i], false);
	vmx_pmu_init(&vx->pmu, vx->msr_bitmap);

	vmx_reset_state(vcpu);
	return 0;
}

static void vmx_vcpu_destroy(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	if (!vx)
		return;
	if (vx->setup && vx->cpu == this_cpu_index()) {
		vmcs_clear(vx->vmcs_pa);
		if (this_vmx_cpu()->current_vmcs == vcpu)
			this_vmx_cpu()->current_vmcs = NULL;
		if (this_vmx_cpu()->msr_owner == vcpu)
			this_vmx_cpu()->msr_owner = NULL;
	}
	vmx_pmu_destroy(&vx->pmu);
	page_free(vx->vmcs, PAGE_SIZE);
	page_free(vx->msr_bitmap, PAGE_SIZE);
	page_free(vx->io_bitmaps, IO_BITMAPS_SIZE);
	page_free(vx, sizeof(*vx));
	vcpu->vendor = NULL;
}

/*
 * A guest reset, while the vCPU runs nowhere: the software state is reset
 * here; the VMCS fields that only its CPU can write (interruptibility,
 * SYSENTER MSRs, DR7) and the lazily switched SYSCALL MSRs follow at the
 * next entry (reset_on_cpu()).
 */
void vmx_vcpu_reset(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	vx->event_info = 0;
	vx->irq_window = false;
	vx->nmi_window = false;
	vx->exit_rip = ~0ULL;
	vx->dr6_trap = false;
	memset(vx->syscall_msrs, 0, sizeof(vx->syscall_msrs));
	vmx_reset_state(vcpu);
	vx->reset = true;
}

/*
 * Every MOV to/from CR8 exits (CR8-load/store exiting) and is emulated on
 * this copy (vmx_exit.c), so @held needs nothing more.
 */
static void vmx_set_cr8(struct vcpu *vcpu, u8 cr8, int held)
{
	(void)held;
	to_vmx(vcpu)->cr8 = cr8 & 0xf;
}

static u8 vmx_get_cr8(struct vcpu *vcpu)
{
	return to_vmx(vcpu)->cr8;
}

/* Before the VMCS is set up on its CPU (vmx_vmcs_setup() writes the mask). */
static void vmx_set_cr4_allowed(struct vcpu *vcpu, u64 allowed)
{
	to_vmx(vcpu)->cr4_allowed = allowed;
}

/* Written into the VMCS before the next entry (vmx_run.c). */
static void vmx_set_tsc_offset(struct vcpu *vcpu, u64 offset)
{
	to_vmx(vcpu)->tsc_offset = offset;
}

const struct virt_ops vmx_ops = {
	.name = "Intel VMX",
	.probe = vmx_probe,
	.cpu_enable = vmx_cpu_enable,
	.vm_init = vmx_vm_init,
	.vm_destroy = vmx_vm_destroy,
	.vm_map = vmx_vm_map,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_destroy = vmx_vcpu_destroy,
	.vcpu_run = vmx_vcpu_run,
	.get_sregs = vmx_get_sregs,
	.set_sregs = vmx_set_sregs,
	.inject = vmx_inject,
	.irq_window_open = vmx_irq_window_open,
	.request_irq_window = vmx_request_irq_window,
	.dump = vmx_dump,
	.nmi_window_open = vmx_nmi_window_open,
	.request_nmi_window = vmx_request_nmi_window,
	.vcpu_reset = vmx_vcpu_reset,
	.set_tsc_offset = vmx_set_tsc_offset,
	.set_cr4_allowed = vmx_set_cr4_allowed,
	.set_cr8 = vmx_set_cr8,
	.get_cr8 = vmx_get_cr8,
	.debug_trap = vmx_debug_trap,
	.msr_intercept = vmx_msr_intercept,
	.rdpmc_intercept = vmx_rdpmc_intercept,
	.pmu_global_ctrl_enable = vmx_pmu_global_ctrl_enable,
	.pmu_global_ctrl_get = vmx_pmu_global_ctrl_get,
	.pmu_global_ctrl_set = vmx_pmu_global_ctrl_set,
	.pmu_host_global_ctrl = vmx_pmu_host_global_ctrl,
};
