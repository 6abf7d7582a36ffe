// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX backend (SDM vol. 3 ch. 24-29): VMXON on every CPU, one VMCS
 * per vCPU with EPT, VPID, MSR and I/O bitmaps, and the translation of VM
 * exits into the neutral exit record (hv/exit.h).
 *
 * A VMCS can only be accessed on the CPU where it is current, but vCPUs
 * are created (and their boot state set) on the boot CPU and then run on
 * the CPU they are pinned to. So the system registers are cached in
 * struct vmx_vcpu: set_sregs() writes the cache, which is flushed into the
 * VMCS before the next entry; get_sregs() reads the VMCS back after an exit.
 * The VMCS itself is initialised lazily, on its CPU, at the first run.
 *
 * MSRs: FS/GS base and SYSENTER_* live in VMCS guest fields and are
 * switched by hardware. KERNEL_GS_BASE, STAR, LSTAR, CSTAR and SFMASK are
 * not switched by VMX; they are passed through like on SVM and switched
 * lazily in software: the host never uses SYSCALL or SWAPGS, so a guest's
 * values may stay loaded until another vCPU runs on the same CPU.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <arch/x86/vmx_ops.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <hv/vm.h>
#include <pmu/pmu.h>

#define IO_BITMAPS_SIZE (2 * PAGE_SIZE)	/* A: 0-7fff, B: 8000-ffff */

struct vmx_vcpu {
	void *vmcs;
	u64 vmcs_pa;
	u8 *msr_bitmap;
	u8 *io_bitmaps;
	bool setup;		/* VMCS initialised on its CPU */
	bool launched;
	bool sregs_valid;	/* the cache equals the VMCS */
	bool sregs_dirty;	/* the cache is newer than the VMCS */
	bool irq_window;
	bool nmi_window;	/* NMI-window exiting wanted */
	bool flush_tlb;
	bool reset;		/* vmx_vcpu_reset: VMCS fields to clear */
	u32 cpu;
	struct vcpu_sregs sregs;	/* guest-visible CR0/CR4 values */
	u32 event_info;		/* VM-entry interruption info to inject */
	u32 event_error;
	u32 event_len;
	u8 last_insn_len;
	u64 exit_rip;		/* guest RIP at the last exit */
	u64 syscall_msrs[5];	/* KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK */
	u64 xcr0;		/* the guest's XCR0 (XSETBV exits, 26.1.2) */
	struct vmx_pmu pmu;	/* vmx_pmu.c */
	char diag[256];
};

/* Per physical CPU, reached through pcpu->virt_area2. */
struct vmx_cpu {
	struct vcpu *current_vmcs;	/* whose VMCS is loaded */
	struct vcpu *msr_owner;		/* whose SYSCALL MSRs are loaded */
	u64 xcr0;			/* XCR0 now loaded (0: unknown) */
};

static const u32 lazy_msrs[5] = {
	MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
};

struct vmx_caps vmx_caps;
u32 vmx_access_errors;
u32 vmx_last_bad_field;
static u32 pin_ctl, proc_ctl, proc2_ctl, exit_ctl, entry_ctl;
static u64 eptp_flags;
/* XCR0 bits this CPU supports (CPUID.(0xD,0) EDX:EAX); 0 without XSAVE. */
static u64 xcr0_supported;

static struct vmx_vcpu *to_vmx(struct vcpu *vcpu)
{
	return vcpu->vendor;
}

struct vmx_pmu *vmx_pmu_of(struct vcpu *vcpu)
{
	return &to_vmx(vcpu)->pmu;
}

static struct vmx_cpu *this_vmx_cpu(void)
{
	return phys_to_virt(this_cpu()->virt_area2);
}

static void missing(struct virt_caps *caps, const char *what)
{
	size_t n = strlen(caps->missing);

	hv_snprintf(caps->missing + n, sizeof(caps->missing) - n, "%s%s",
		    n ? ", " : "", what);
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
		missing(caps, "VMX (CPUID.1 ECX[5])");
		return -ENODEV;
	}
	err = feature_control_enable();
	if (err) {
		missing(caps, err == -EPERM ?
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

	caps->nested_paging = (c->proc2_1 & PROC2_EPT) &&
			      (c->ept_vpid & EPT_CAP_WALK4);
	caps->tlb_tags = c->proc2_1 & PROC2_VPID;
	caps->nr_tags = caps->tlb_tags ? 0xffff : 0;
	caps->next_rip = true;		/* VM_EXIT_INSTRUCTION_LEN */
	caps->unrestricted = c->proc2_1 & PROC2_UNRESTRICTED;
	caps->perf_global_ctrl = (c->exit1 & EXIT_LOAD_PERF_GLOBAL) &&
				 (c->entry1 & ENTRY_LOAD_PERF_GLOBAL);
	caps->perf_global_save = caps->perf_global_ctrl &&
				 (c->exit1 & EXIT_SAVE_PERF_GLOBAL);
	caps->nmi_window = true;
	caps->nmi_how = "virtual NMIs with NMI-window exiting";

	/* What perfvisor cannot do without. */
	if (c->basic & BIT(48))
		missing(caps, "64-bit VMX physical addresses (VMX_BASIC[48] set)");
	if (!true_ctls)
		missing(caps, "TRUE VMX controls (VMX_BASIC[55])");
	if (!(c->proc1 & PROC_SECONDARY))
		missing(caps, "secondary processor controls");
	if (!caps->nested_paging)
		missing(caps, "EPT with 4-level walks");
	else if (!(c->ept_vpid & EPT_CAP_WB))
		missing(caps, "write-back EPT paging structures");
	if (!caps->unrestricted)
		missing(caps, "unrestricted guest");
	if ((c->proc1 & (PROC_IO_BITMAPS | PROC_MSR_BITMAPS)) !=
	    (PROC_IO_BITMAPS | PROC_MSR_BITMAPS))
		missing(caps, "I/O and MSR bitmaps");
	if ((c->exit1 & (EXIT_HOST_ADDR64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER |
			 EXIT_SAVE_PAT | EXIT_LOAD_PAT)) !=
	    (EXIT_HOST_ADDR64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER |
	     EXIT_SAVE_PAT | EXIT_LOAD_PAT))
		missing(caps, "VM-exit EFER/PAT save and load");
	if ((c->entry1 & (ENTRY_LOAD_EFER | ENTRY_LOAD_PAT | ENTRY_IA32E)) !=
	    (ENTRY_LOAD_EFER | ENTRY_LOAD_PAT | ENTRY_IA32E))
		missing(caps, "VM-entry EFER/PAT load");
	/*
	 * "Virtual NMIs" (SDM vol. 3 25.6.1; needs "NMI exiting") makes the
	 * CPU track the guest's NMI blocking from an injected NMI to its
	 * IRET; only with it may "NMI-window exiting" (25.6.2) be set
	 * (27.2.1.1; section numbers of the 2023+ SDM). Without it, an IRET
	 * under "NMI exiting" leaves the blocking alone (26.3), so the
	 * guest would never get a second NMI: required.
	 */
	if (!(c->pin1 & PIN_VIRTUAL_NMI) || !(c->proc1 & PROC_NMI_WINDOW))
		missing(caps, "virtual NMIs and NMI-window exiting (pin-based bit 5, processor-based bit 22)");
	if (caps->missing[0])
		return -ENODEV;

	pin_ctl = (PIN_EXT_INTR | PIN_NMI | PIN_VIRTUAL_NMI | c->pin0) &
		  c->pin1;
	proc_ctl = (PROC_HLT | PROC_MWAIT | PROC_RDPMC | PROC_MONITOR |
		    PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_SECONDARY |
		    c->proc0) & c->proc1;
	/* RDTSCP, INVPCID, XSAVES: #UD in the guest unless enabled. */
	proc2_ctl = (PROC2_EPT | PROC2_UNRESTRICTED | PROC2_VPID |
		     PROC2_RDTSCP | PROC2_INVPCID | PROC2_XSAVES |
		     c->proc2_0) & c->proc2_1;
	exit_ctl = (EXIT_HOST_ADDR64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER |
		    EXIT_SAVE_PAT | EXIT_LOAD_PAT | c->exit0) & c->exit1;
	entry_ctl = (ENTRY_LOAD_EFER | ENTRY_LOAD_PAT | c->entry0) &
		    c->entry1 & ~(ENTRY_SMM | ENTRY_DUAL_MONITOR);
	eptp_flags = EPTP_WB | EPTP_WALK4;
	cpuid_count(1, 0, &r);
	if (r.ecx & BIT(26)) {		/* XSAVE */
		cpuid_count(0xd, 0, &r);
		xcr0_supported = ((u64)r.edx << 32) | r.eax;
	}
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
	 * CR4.OSXSAVE lets the host load the guests' XCR0 (XSETBV); HOST_CR4
	 * is read from here. The host itself uses no FPU/SSE state.
	 */
	write_cr0((read_cr0() | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1);
	write_cr4((read_cr4() | vmx_caps.cr4_fixed0 | X86_CR4_VMXE |
		   (xcr0_supported ? X86_CR4_OSXSAVE : 0)) &
		  vmx_caps.cr4_fixed1);
	vc->xcr0 = 0;
	if (vmx_on(cpu->virt_area)) {
		pr_err("cpu%u: VMXON failed\n", cpu->index);
		return -EIO;
	}
	return 0;
}

static void *ept_alloc(void *opaque, u64 *phys)
{
	void *p = page_alloc(PAGE_SIZE);

	(void)opaque;
	if (p)
		*phys = virt_to_phys(p);
	return p;
}

static void *ept_virt(void *opaque, u64 phys)
{
	(void)opaque;
	return phys_to_virt(phys);
}

static void ept_free(void *opaque, u64 phys)
{
	(void)opaque;
	page_free(phys_to_virt(phys), PAGE_SIZE);
}

static int vmx_vm_init(struct vm *vm)
{
	vm->gpa_map.fmt = &pt_format_ept;
	vm->gpa_map.alloc_table = ept_alloc;
	vm->gpa_map.phys_to_virt = ept_virt;
	vm->gpa_map.opaque = vm;
	return pt_init(&vm->gpa_map);
}

static void vmx_vm_destroy(struct vm *vm)
{
	pt_destroy(&vm->gpa_map, ept_free);
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

/* Two bitmaps of 1024 bytes per direction: low MSRs, then 0xc000xxxx. */
static void msr_pass(u8 *bitmap, u32 msr)
{
	u32 base;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 1024, msr -= 0xc0000000;
	else
		return;
	bitmap[base + msr / 8] &= ~(1 << (msr % 8));		/* read */
	bitmap[2048 + base + msr / 8] &= ~(1 << (msr % 8));	/* write */
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
	vx->xcr0 = 1;			/* x87 only (13.3) */
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
		msr_pass(vx->msr_bitmap, passthrough_msrs[i]);
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

/* AMD-packed attributes <-> VMX access rights (25.4.1). */
static u32 attr_to_ar(const struct seg *s)
{
	if (!s->attr)
		return AR_UNUSABLE;
	return (s->attr & 0xff) | ((u32)(s->attr & 0xf00) << 4);
}

static u16 ar_to_attr(u32 ar)
{
	if (ar & AR_UNUSABLE)
		return 0;
	return (ar & 0xff) | ((ar >> 4) & 0xf00);
}

/* Bits the guest cannot choose in CR0/CR4: owned by the host. */
static u64 cr0_must1(void)
{
	/* Unrestricted guest relaxes PE and PG (26.3.1.1). */
	return vmx_caps.cr0_fixed0 & ~(u64)(X86_CR0_PE | X86_CR0_PG);
}

static u64 cr0_host_mask(void)
{
	return cr0_must1() | (~vmx_caps.cr0_fixed1 & 0xffffffffULL);
}

static u64 cr4_host_mask(void)
{
	return vmx_caps.cr4_fixed0 | (~vmx_caps.cr4_fixed1 & 0xffffffffULL);
}

static void write_cr0_fields(u64 visible)
{
	vmcs_writel(GUEST_CR0, (visible | cr0_must1()) & vmx_caps.cr0_fixed1);
	vmcs_writel(CR0_READ_SHADOW, visible);
}

static void write_cr4_fields(u64 visible)
{
	vmcs_writel(GUEST_CR4, (visible | vmx_caps.cr4_fixed0) &
			       vmx_caps.cr4_fixed1);
	vmcs_writel(CR4_READ_SHADOW, visible);
}

static void set_ia32e(bool on)
{
	if (on)
		vmcs_set_bits32(ENTRY_CONTROLS, ENTRY_IA32E);
	else
		vmcs_clear_bits32(ENTRY_CONTROLS, ENTRY_IA32E);
}

#define WRITE_SEG(N, s)                                                     \
	do {                                                                \
		vmcs_write16(GUEST_##N##_SEL, (s)->sel);                    \
		vmcs_write32(GUEST_##N##_LIMIT, (s)->limit);                \
		vmcs_write32(GUEST_##N##_AR, attr_to_ar(s));                \
		vmcs_writel(GUEST_##N##_BASE, (s)->base);                   \
	} while (0)

#define READ_SEG(N, s)                                                      \
	do {                                                                \
		(s)->sel = vmcs_read16(GUEST_##N##_SEL);                    \
		(s)->limit = vmcs_read32(GUEST_##N##_LIMIT);                \
		(s)->attr = ar_to_attr(vmcs_read32(GUEST_##N##_AR));        \
		(s)->base = vmcs_readl(GUEST_##N##_BASE);                   \
	} while (0)

/* Writes the cached system registers into the current VMCS. */
static void flush_sregs(struct vmx_vcpu *vx)
{
	const struct vcpu_sregs *s = &vx->sregs;

	WRITE_SEG(CS, &s->cs);
	WRITE_SEG(DS, &s->ds);
	WRITE_SEG(ES, &s->es);
	WRITE_SEG(FS, &s->fs);
	WRITE_SEG(GS, &s->gs);
	WRITE_SEG(SS, &s->ss);
	WRITE_SEG(TR, &s->tr);
	WRITE_SEG(LDTR, &s->ldt);
	vmcs_writel(GUEST_GDTR_BASE, s->gdt.base);
	vmcs_write32(GUEST_GDTR_LIMIT, s->gdt.limit);
	vmcs_writel(GUEST_IDTR_BASE, s->idt.base);
	vmcs_write32(GUEST_IDTR_LIMIT, s->idt.limit);
	write_cr0_fields(s->cr0);
	write_cr4_fields(s->cr4);
	vmcs_writel(GUEST_CR3, s->cr3);
	vmcs_write64(GUEST_EFER, s->efer);
	vmcs_write64(GUEST_PAT, s->pat);
	/* "IA-32e mode guest" must equal EFER.LMA (26.3.1.1). */
	set_ia32e(s->efer & X86_EFER_LMA);
	vx->sregs_dirty = false;
	vx->flush_tlb = true;
}

static void read_sregs(struct vmx_vcpu *vx)
{
	struct vcpu_sregs *s = &vx->sregs;
	u64 m0 = cr0_host_mask(), m4 = cr4_host_mask();

	READ_SEG(CS, &s->cs);
	READ_SEG(DS, &s->ds);
	READ_SEG(ES, &s->es);
	READ_SEG(FS, &s->fs);
	READ_SEG(GS, &s->gs);
	READ_SEG(SS, &s->ss);
	READ_SEG(TR, &s->tr);
	READ_SEG(LDTR, &s->ldt);
	s->gdt.base = vmcs_readl(GUEST_GDTR_BASE);
	s->gdt.limit = vmcs_read32(GUEST_GDTR_LIMIT);
	s->idt.base = vmcs_readl(GUEST_IDTR_BASE);
	s->idt.limit = vmcs_read32(GUEST_IDTR_LIMIT);
	/* The guest sees its read shadow in the bits the host owns. */
	s->cr0 = (vmcs_readl(GUEST_CR0) & ~m0) |
		 (vmcs_readl(CR0_READ_SHADOW) & m0);
	s->cr4 = (vmcs_readl(GUEST_CR4) & ~m4) |
		 (vmcs_readl(CR4_READ_SHADOW) & m4);
	s->cr3 = vmcs_readl(GUEST_CR3);
	s->efer = vmcs_read64(GUEST_EFER);
	s->pat = vmcs_read64(GUEST_PAT);
	vx->sregs_valid = true;
}

static void write_host_state(struct pcpu *cpu)
{
	vmcs_writel(HOST_CR0, read_cr0());
	vmcs_writel(HOST_CR3, read_cr3());
	vmcs_writel(HOST_CR4, read_cr4());
	vmcs_write16(HOST_CS_SEL, HOST_CS);
	vmcs_write16(HOST_SS_SEL, HOST_DS);
	vmcs_write16(HOST_DS_SEL, HOST_DS);
	vmcs_write16(HOST_ES_SEL, HOST_DS);
	vmcs_write16(HOST_FS_SEL, 0);
	vmcs_write16(HOST_GS_SEL, 0);
	vmcs_write16(HOST_TR_SEL, HOST_TSS);
	vmcs_writel(HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmcs_writel(HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmcs_writel(HOST_TR_BASE, (u64)&cpu->desc.tss);
	vmcs_writel(HOST_GDTR_BASE, (u64)cpu->desc.gdt);
	vmcs_writel(HOST_IDTR_BASE, (u64)cpu->desc.idt);
	vmcs_write32(HOST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmcs_writel(HOST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmcs_writel(HOST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	vmcs_write64(HOST_EFER, rdmsr(MSR_EFER));
	vmcs_write64(HOST_PAT, rdmsr(MSR_IA32_PAT));
	vmcs_writel(HOST_RIP, (u64)vmx_exit_point);
}

/* First run on the vCPU's CPU: make the VMCS current and fill it. */
static int vmcs_setup(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);
	u64 eptp = vcpu->vm->gpa_map.root | eptp_flags;

	*(u32 *)vx->vmcs = (u32)vmx_caps.basic & 0x7fffffff;
	if (vmcs_clear(vx->vmcs_pa) || gctrl_switch(vx->vmcs_pa))
		return -EIO;
	vx->cpu = this_cpu_index();
	this_vmx_cpu()->current_vmcs = vcpu;

	vmcs_write32(PIN_CONTROLS, pin_ctl);
	vmcs_write32(PROC_CONTROLS, proc_ctl);
	vmcs_write32(PROC_CONTROLS2, proc2_ctl);
	vmcs_write32(EXIT_CONTROLS, exit_ctl);
	vmcs_write32(ENTRY_CONTROLS, entry_ctl);
	vmcs_write32(EXCEPTION_BITMAP, 0);
	vmcs_write32(PF_ERROR_MASK, 0);
	vmcs_write32(PF_ERROR_MATCH, 0);
	vmcs_write32(CR3_TARGET_COUNT, 0);
	vmcs_write32(EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(ENTRY_INTR_INFO, 0);
	vmcs_write64(IO_BITMAP_A, virt_to_phys(vx->io_bitmaps));
	vmcs_write64(IO_BITMAP_B, virt_to_phys(vx->io_bitmaps) + PAGE_SIZE);
	vmcs_write64(MSR_BITMAP, virt_to_phys(vx->msr_bitmap));
	vmcs_write64(EPT_POINTER, eptp);
	if (proc2_ctl & PROC2_VPID)
		vmcs_write16(VPID, vcpu->vm->tlb_tag);
	vmcs_writel(CR0_GUEST_HOST_MASK, cr0_host_mask());
	vmcs_writel(CR4_GUEST_HOST_MASK, cr4_host_mask());

	write_host_state(this_cpu());

	vmcs_write64(VMCS_LINK_POINTER, ~0ULL);
	vmcs_write64(GUEST_DEBUGCTL, 0);
	vmcs_writel(GUEST_DR7, 0x400);
	vmcs_writel(GUEST_PENDING_DBG, 0);
	vmcs_write32(GUEST_INTERRUPTIBILITY, 0);
	vmcs_write32(GUEST_ACTIVITY, 0);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writel(GUEST_SYSENTER_ESP, 0);
	vmcs_writel(GUEST_SYSENTER_EIP, 0);
	flush_sregs(vx);

	/* Stale translations of an earlier user of this EPT root / VPID. */
	if (vmx_caps.ept_vpid & EPT_CAP_INVEPT_SINGLE)
		invept(1, eptp);
	else if (vmx_caps.ept_vpid & EPT_CAP_INVEPT_ALL)
		invept(2, 0);
	vx->setup = true;
	return 0;
}

static void vmx_get_sregs(struct vcpu *vcpu, struct vcpu_sregs *s)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	/* The VMCS is readable only on its CPU; elsewhere use the cache. */
	if (!vx->sregs_valid && vx->setup && vx->cpu == this_cpu_index() &&
	    this_vmx_cpu()->current_vmcs == vcpu)
		read_sregs(vx);
	*s = vx->sregs;
}

static void vmx_set_sregs(struct vcpu *vcpu, const struct vcpu_sregs *s)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	vx->sregs = *s;
	vx->sregs_valid = true;
	vx->sregs_dirty = true;
}

static void vmx_inject(struct vcpu *vcpu, enum event_type type, u8 vector,
		       bool has_error, u32 error)
{
	static const u8 type_code[] = {
		[EVENT_EXT_INTR] = INTR_TYPE_EXT,
		[EVENT_NMI] = INTR_TYPE_NMI,
		[EVENT_EXCEPTION] = INTR_TYPE_HW_EXC,
		[EVENT_SOFT_INT] = INTR_TYPE_SOFT_INT,
	};
	struct vmx_vcpu *vx = to_vmx(vcpu);
	struct vcpu_sregs s;
	u32 info = vector | ((u32)type_code[type] << INTR_INFO_TYPE_SHIFT) |
		   INTR_INFO_VALID;

	/* No error code in real mode, even for #GP (26.2.1.3). */
	vmx_get_sregs(vcpu, &s);
	if (has_error && (s.cr0 & X86_CR0_PE))
		info |= INTR_INFO_ERR_VALID;
	vx->event_info = info;
	vx->event_error = error;
	/* A software interrupt needs the length of its INT n (26.2.1.3). */
	vx->event_len = type == EVENT_SOFT_INT ?
			(vx->last_insn_len ? vx->last_insn_len : 2) : 0;
}

/*
 * Guest interruptibility as it will be at the next entry. Blocking by STI
 * or MOV SS lasts one instruction: once the hypervisor has retired the
 * instruction that exited (HLT after STI, say), it is over (SDM vol. 3
 * 25.4.2, table 25-3).
 */
static u32 vmx_blocking(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);
	u32 blocking;

	if (!vx->setup || vx->cpu != this_cpu_index() ||
	    this_vmx_cpu()->current_vmcs != vcpu)
		return 0;
	blocking = vmcs_read32(GUEST_INTERRUPTIBILITY);
	if (vcpu->regs.rip != vx->exit_rip)
		blocking &= ~(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOVSS);
	return blocking;
}

static bool vmx_irq_window_open(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);
	u32 blocking = vmx_blocking(vcpu);

	return (vcpu->regs.rflags & X86_RFLAGS_IF) &&
	       !(blocking & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOVSS)) &&
	       !(vx->event_info & INTR_INFO_VALID);
}

static bool vmx_nmi_window_open(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);
	/* Blocking by NMI: the guest is in its NMI handler (25.4.2). */
	u32 blocking = vmx_blocking(vcpu);

	return !(blocking & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOVSS |
			     INTERRUPTIBILITY_NMI)) &&
	       !(vx->event_info & INTR_INFO_VALID);
}

static void vmx_request_irq_window(struct vcpu *vcpu, bool on)
{
	to_vmx(vcpu)->irq_window = on;
}

static void vmx_request_nmi_window(struct vcpu *vcpu, bool on)
{
	to_vmx(vcpu)->nmi_window = on;
}

/*
 * An NMI-window exit comes once there is no virtual-NMI blocking and no
 * MOV SS blocking; whether blocking by STI holds it back as well is up to
 * the processor (26.7.6 "NMI-window exiting", table 25-3). If this one
 * exited within an STI shadow, it is a processor whose STI does not block
 * NMIs: drop that blocking so the NMI goes in now (an entry injecting an
 * NMI with STI blocking may fail, 27.3.1.5) instead of exiting again.
 */
static void nmi_window_exit(void)
{
	u32 blocking = vmcs_read32(GUEST_INTERRUPTIBILITY);

	if ((blocking & INTERRUPTIBILITY_STI) &&
	    !(blocking & (INTERRUPTIBILITY_MOVSS | INTERRUPTIBILITY_NMI)))
		vmcs_write32(GUEST_INTERRUPTIBILITY,
			     blocking & ~INTERRUPTIBILITY_STI);
}

/*
 * A fault in an IRET that had already unblocked NMIs: the CPU says so in
 * the exit qualification, and the blocking must be set again before the
 * IRET is resumed (28.2.3 "information about NMI unblocking due to
 * IRET"), unless the exit came during event delivery.
 */
static void nmi_reblock_after_iret(u64 qual)
{
	if ((qual & EPT_QUAL_NMI_UNBLOCK) &&
	    !(vmcs_read32(IDT_VECTORING_INFO) & INTR_INFO_VALID))
		vmcs_write32(GUEST_INTERRUPTIBILITY,
			     vmcs_read32(GUEST_INTERRUPTIBILITY) |
			     INTERRUPTIBILITY_NMI);
}

/* SYSCALL/SWAPGS MSRs: loaded lazily (see the top of this file). */
static void switch_lazy_msrs(struct vcpu *vcpu)
{
	struct vmx_cpu *vc = this_vmx_cpu();

	if (vc->msr_owner == vcpu)
		return;
	if (vc->msr_owner && vc->msr_owner->vendor)
		for (u32 i = 0; i < ARRAY_SIZE(lazy_msrs); i++)
			to_vmx(vc->msr_owner)->syscall_msrs[i] =
				rdmsr(lazy_msrs[i]);
	for (u32 i = 0; i < ARRAY_SIZE(lazy_msrs); i++)
		wrmsr(lazy_msrs[i], to_vmx(vcpu)->syscall_msrs[i]);
	vc->msr_owner = vcpu;
}

/* General-purpose register number (exit qualifications) -> guest_regs. */
static u64 *gpr(struct vcpu *vcpu, u32 n)
{
	static const u8 map[16] = { 0, 2, 3, 1, 7, 6, 4, 5,
				    8, 9, 10, 11, 12, 13, 14, 15 };

	return &((u64 *)&vcpu->regs)[map[n & 15]];
}

/*
 * MOV to CR0/CR4 that touches a bit the host owns (the guest/host masks),
 * MOV to/from CR3 if the CPU forces CR3 exiting, CLTS, LMSW (28.3).
 * Returns true if the exit is fully handled and the guest may re-enter.
 */
static bool emulate_cr_access(struct vcpu *vcpu, u64 qual, u32 len)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);
	u32 cr = qual & 15, type = (qual >> 4) & 3;
	u64 *reg = gpr(vcpu, qual >> 8), val;
	struct vcpu_sregs s;

	vmx_get_sregs(vcpu, &s);
	if (type == 1 && cr == 3) {
		*reg = s.cr3;
		goto done;
	}
	if (type == 2) {
		val = s.cr0 & ~X86_CR0_TS;
		cr = 0;
	} else if (type == 3) {
		/* LMSW loads PE, MP, EM, TS but cannot clear PE. */
		val = (s.cr0 & ~0xeULL) | ((qual >> 16) & 0xf);
		cr = 0;
	} else if (type == 0) {
		val = cr == 4 && (qual >> 8 & 15) == 4 ? vcpu->regs.rsp : *reg;
	} else {
		return false;
	}
	switch (cr) {
	case 0:
		if ((val >> 32) || ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
		    ((val & X86_CR0_NW) && !(val & X86_CR0_CD)))
			goto gp;
		if ((val & X86_CR0_PG) && !(s.cr0 & X86_CR0_PG) &&
		    (s.efer & X86_EFER_LME)) {
			if (!(s.cr4 & X86_CR4_PAE))
				goto gp;
			s.efer |= X86_EFER_LMA;
		} else if (!(val & X86_CR0_PG)) {
			s.efer &= ~X86_EFER_LMA;
		}
		s.cr0 = val;
		break;
	case 3:
		s.cr3 = val;
		break;
	case 4:
		/* VMX is not offered to the guest; reserved bits #GP. */
		if ((val & X86_CR4_VMXE) ||
		    (val & ~vmx_caps.cr4_fixed1 & 0xffffffffULL) || (val >> 32))
			goto gp;
		s.cr4 = val;
		break;
	default:
		return false;
	}
	vmx_set_sregs(vcpu, &s);
	flush_sregs(vx);
done:
	vcpu->regs.rip += len;
	pmu_retired_insn(vcpu, false);
	return true;
gp:
	vmx_inject(vcpu, EVENT_EXCEPTION, X86_GP, true, 0);
	return true;
}

/* XSETBV on this CPU; false if it faulted (#GP: a value the CPU refuses). */
static bool xsetbv_safe(u32 index, u64 val)
{
	bool ok = false;

	asm volatile("1: xsetbv\n\t"
		     "movb $1, %0\n"
		     "2:\n\t"
		     ".pushsection .ex_table, \"a\"\n\t"
		     ".balign 4\n\t"
		     ".long 1b - ., 2b - .\n\t"
		     ".popsection"
		     : "+q"(ok)
		     : "c"(index), "a"((u32)val), "d"((u32)(val >> 32))
		     : "memory");
	return ok;
}

/* Loads the guest's XCR0 on this CPU if another value is loaded. */
static void switch_xcr0(struct vcpu *vcpu)
{
	struct vmx_cpu *vc = this_vmx_cpu();
	u64 want = to_vmx(vcpu)->xcr0;

	if (!xcr0_supported || vc->xcr0 == want)
		return;
	if (xsetbv_safe(0, want))
		vc->xcr0 = want;
}

/*
 * XSETBV exits unconditionally (26.1.2); SVM does not intercept it, so the
 * guest writes XCR0 directly there. Here: the checks of XSETBV (13.3,
 * #UD/#GP for CR4.OSXSAVE and CPL come before the exit), then the value is
 * loaded on this CPU (the host uses no extended state) and kept per vCPU
 * for when several vCPUs share a CPU.
 */
static void emulate_xsetbv(struct vcpu *vcpu, u32 len)
{
	u32 index = (u32)vcpu->regs.rcx;
	u64 val = ((vcpu->regs.rdx & 0xffffffffULL) << 32) |
		  (vcpu->regs.rax & 0xffffffffULL);

	if (!xcr0_supported) {
		vmx_inject(vcpu, EVENT_EXCEPTION, X86_UD, false, 0);
		return;
	}
	if (index != 0 || !(val & 1) || (val & ~xcr0_supported) ||
	    ((val & 4) && !(val & 2)) ||			/* AVX needs SSE */
	    (!(val & 0x8) != !(val & 0x10)) ||			/* MPX pair */
	    ((val & 0xe0) && ((val & 0xe0) != 0xe0 || !(val & 4))) || /* AVX-512 */
	    (!(val & BIT(17)) != !(val & BIT(18))) ||		/* AMX pair */
	    !xsetbv_safe(0, val)) {
		vmx_inject(vcpu, EVENT_EXCEPTION, X86_GP, true, 0);
		return;
	}
	this_vmx_cpu()->xcr0 = val;
	to_vmx(vcpu)->xcr0 = val;
	vcpu->regs.rip += len;
	pmu_retired_insn(vcpu, false);
}

static void set_invalid(struct vcpu *vcpu, struct vm_exit *e, u32 insn_err,
			u32 reason)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	e->kind = EXIT_INVALID_STATE;
	vmx_diagnose(insn_err, reason, vx->diag, sizeof(vx->diag));
	e->invalid = vx->diag;
}

static bool insn_exit(u32 reason)
{
	switch (reason) {
	case EXIT_R_CPUID: case EXIT_R_HLT: case EXIT_R_INVD:
	case EXIT_R_RDPMC: case EXIT_R_VMCALL: case EXIT_R_IO:
	case EXIT_R_RDMSR: case EXIT_R_WRMSR: case EXIT_R_MWAIT:
	case EXIT_R_MONITOR: case EXIT_R_PAUSE: case EXIT_R_WBINVD:
	case EXIT_R_XSETBV: case EXIT_R_CR_ACCESS: case EXIT_R_RDTSCP:
		return true;
	}
	return reason >= EXIT_R_VMCLEAR && reason <= EXIT_R_VMXON;
}

/* Decodes an exit; returns true if it was handled here (CR access). */
static bool decode_exit(struct vcpu *vcpu, struct vm_exit *e, u32 reason)
{
	u32 basic = reason & 0xffff;
	u64 qual = vmcs_readl(EXIT_QUALIFICATION);
	u32 info;

	e->vendor_code = reason;
	e->qual = qual;
	e->insn_len = insn_exit(basic) ? vmcs_read32(EXIT_INSN_LEN) : 0;
	to_vmx(vcpu)->last_insn_len = e->insn_len;

	switch (basic) {
	case EXIT_R_EXCEPTION:
		info = vmcs_read32(EXIT_INTR_INFO);
		if (((info >> INTR_INFO_TYPE_SHIFT) & 7) == INTR_TYPE_NMI) {
			e->kind = EXIT_HOST_NMI;
			break;
		}
		e->kind = EXIT_EXCEPTION;
		e->exc.vector = info & 0xff;
		e->exc.has_error = info & INTR_INFO_ERR_VALID;
		e->exc.error = e->exc.has_error ? vmcs_read32(EXIT_INTR_ERROR) : 0;
		e->exc.cr2 = qual;
		break;
	case EXIT_R_EXT_INTR:
	case EXIT_R_IO_SMI:
	case EXIT_R_OTHER_SMI:
		e->kind = EXIT_HOST_INTR;
		break;
	case EXIT_R_TRIPLE_FAULT:
		e->kind = EXIT_TRIPLE_FAULT;
		break;
	case EXIT_R_INIT:
	case EXIT_R_SIPI:	/* only in wait-for-SIPI, which we never use */
		e->kind = EXIT_INIT;
		break;
	case EXIT_R_INTR_WINDOW:
		e->kind = EXIT_IRQ_WINDOW;
		break;
	case EXIT_R_NMI_WINDOW:
		e->kind = EXIT_NMI_WINDOW;
		nmi_window_exit();
		break;
	case EXIT_R_CPUID:
		e->kind = EXIT_CPUID;
		break;
	case EXIT_R_HLT:
		e->kind = EXIT_HLT;
		break;
	case EXIT_R_IO:
		e->kind = EXIT_IO;
		e->io.size = (qual & IO_QUAL_SIZE_MASK) + 1;
		e->io.in = qual & IO_QUAL_IN;
		e->io.string = qual & IO_QUAL_STRING;
		e->io.rep = qual & IO_QUAL_REP;
		e->io.port = qual >> IO_QUAL_PORT_SHIFT;
		break;
	case EXIT_R_RDMSR:
	case EXIT_R_WRMSR:
		e->kind = basic == EXIT_R_RDMSR ? EXIT_MSR_READ : EXIT_MSR_WRITE;
		e->msr = (u32)vcpu->regs.rcx;
		break;
	case EXIT_R_VMCALL:
		e->kind = EXIT_HYPERCALL;
		break;
	case EXIT_R_EPT_VIOLATION:
		e->kind = EXIT_MEM_FAULT;
		e->mem.gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
		e->mem.read = qual & EPT_QUAL_READ;
		e->mem.write = qual & EPT_QUAL_WRITE;
		e->mem.fetch = qual & EPT_QUAL_FETCH;
		e->mem.present = qual & EPT_QUAL_PERM_MASK;
		nmi_reblock_after_iret(qual);
		break;
	case EXIT_R_VMCLEAR ... EXIT_R_VMXON:
	case EXIT_R_INVEPT:
	case EXIT_R_INVVPID:
	case EXIT_R_VMFUNC:
	case EXIT_R_GETSEC:
		e->kind = EXIT_VIRT_INSN;
		break;
	case EXIT_R_MONITOR:
	case EXIT_R_MWAIT:
		e->kind = EXIT_MONITOR;
		break;
	case EXIT_R_XSETBV:
		emulate_xsetbv(vcpu, e->insn_len);
		return true;
	case EXIT_R_RDPMC:
		e->kind = EXIT_RDPMC;
		break;
	case EXIT_R_INVD:
		e->kind = EXIT_INVD;
		break;
	case EXIT_R_WBINVD:
		e->kind = EXIT_WBINVD;
		break;
	case EXIT_R_PAUSE:
		e->kind = EXIT_PAUSE;
		break;
	case EXIT_R_CR_ACCESS:
		if (emulate_cr_access(vcpu, qual, e->insn_len))
			return true;
		e->kind = EXIT_UNKNOWN;
		break;
	default:
		e->kind = EXIT_UNKNOWN;
		break;
	}
	return false;
}

/*
 * A guest reset, while the vCPU runs nowhere: the software state is reset
 * here; the VMCS fields that only its CPU can write (interruptibility,
 * SYSENTER MSRs, DR7) and the lazily switched SYSCALL MSRs follow at the
 * next entry (reset_on_cpu()).
 */
static void vmx_vcpu_reset(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	vx->event_info = 0;
	vx->irq_window = false;
	vx->nmi_window = false;
	vx->exit_rip = ~0ULL;
	memset(vx->syscall_msrs, 0, sizeof(vx->syscall_msrs));
	vmx_reset_state(vcpu);
	vx->reset = true;
}

/* The rest of a reset, on the vCPU's CPU with its VMCS current. */
static void reset_on_cpu(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	if (this_vmx_cpu()->msr_owner == vcpu)
		this_vmx_cpu()->msr_owner = NULL;	/* reload the zeros */
	vmcs_write32(GUEST_INTERRUPTIBILITY, 0);
	vmcs_write32(GUEST_ACTIVITY, 0);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writel(GUEST_SYSENTER_ESP, 0);
	vmcs_writel(GUEST_SYSENTER_EIP, 0);
	vmcs_writel(GUEST_PENDING_DBG, 0);
	vmcs_writel(GUEST_DR7, 0x400);
	vx->reset = false;
}

static void vmx_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);
	u32 reason, idt;
	int r;

	if (!vx->setup) {
		if (vmcs_setup(vcpu)) {
			hv_snprintf(vx->diag, sizeof(vx->diag),
				    "VMCLEAR/VMPTRLD of the VMCS failed");
			exit->kind = EXIT_INVALID_STATE;
			exit->invalid = vx->diag;
			return;
		}
	} else if (vx->cpu != this_cpu_index()) {
		/* A VMCS is bound to its CPU until VMCLEAR there (24.11.1). */
		exit->kind = EXIT_INVALID_STATE;
		exit->invalid = "vCPU moved to another CPU";
		return;
	} else if (this_vmx_cpu()->current_vmcs != vcpu) {
		gctrl_switch(vx->vmcs_pa);
		this_vmx_cpu()->current_vmcs = vcpu;
	}
	if (vx->reset)
		reset_on_cpu(vcpu);
	switch_lazy_msrs(vcpu);
	switch_xcr0(vcpu);

	for (;;) {
		if (vx->sregs_dirty)
			flush_sregs(vx);
		if (vx->launched && vcpu->regs.rip != vx->exit_rip)
			vmcs_write32(GUEST_INTERRUPTIBILITY,
				     vmx_blocking(vcpu));
		vmcs_writel(GUEST_RIP, vcpu->regs.rip);
		vmcs_writel(GUEST_RSP, vcpu->regs.rsp);
		vmcs_writel(GUEST_RFLAGS, vcpu->regs.rflags);
		vmcs_write32(ENTRY_INTR_INFO, vx->event_info);
		if (vx->event_info & INTR_INFO_VALID) {
			vmcs_write32(ENTRY_EXCEPTION_ERROR, vx->event_error);
			vmcs_write32(ENTRY_INSN_LEN, vx->event_len);
		}
		vx->event_info = 0;
		if (vx->irq_window)
			vmcs_set_bits32(PROC_CONTROLS, PROC_INTR_WINDOW);
		else
			vmcs_clear_bits32(PROC_CONTROLS, PROC_INTR_WINDOW);
		if (vx->nmi_window)
			vmcs_set_bits32(PROC_CONTROLS, PROC_NMI_WINDOW);
		else
			vmcs_clear_bits32(PROC_CONTROLS, PROC_NMI_WINDOW);
		if (vx->flush_tlb && (proc2_ctl & PROC2_VPID)) {
			invvpid((vmx_caps.ept_vpid & VPID_CAP_SINGLE) ? 1 : 2,
				vcpu->vm->tlb_tag);
		}
		vx->flush_tlb = false;
		write_cr2(vx->sregs.cr2);
		vmx_pmu_entry(&vx->pmu);

		r = vmx_enter(&vcpu->regs, vx->launched);

		vx->sregs.cr2 = read_cr2();
		if (r) {
			set_invalid(vcpu, exit, r == 2 ?
				    vmcs_read32(VM_INSTRUCTION_ERROR) : ~0U, 0);
			exit->vendor_code = r;
			exit->qual = 0;
			return;
		}
		vx->launched = true;
		vx->sregs_valid = false;
		vcpu->regs.rip = vmcs_readl(GUEST_RIP);
		vx->exit_rip = vcpu->regs.rip;
		vcpu->regs.rsp = vmcs_readl(GUEST_RSP);
		vcpu->regs.rflags = vmcs_readl(GUEST_RFLAGS);

		reason = vmcs_read32(EXIT_REASON);
		if (reason & EXIT_REASON_ENTRY_FAIL) {
			set_invalid(vcpu, exit, 0, reason);
			exit->vendor_code = reason;
			exit->qual = vmcs_readl(EXIT_QUALIFICATION);
			return;
		}
		vmx_pmu_exit(&vx->pmu);
		/*
		 * An event whose delivery the exit interrupted is delivered
		 * again on the next entry (27.2.4); the handler may replace
		 * it by injecting on top, as on SVM.
		 */
		idt = vmcs_read32(IDT_VECTORING_INFO);
		if (idt & INTR_INFO_VALID) {
			u32 type = (idt >> INTR_INFO_TYPE_SHIFT) & 7;

			vx->event_info = idt & ~INTR_INFO_NMI_UNBLOCK;
			vx->event_error = vmcs_read32(IDT_VECTORING_ERROR);
			vx->event_len = (type == INTR_TYPE_SOFT_INT ||
					 type == INTR_TYPE_PRIV_SW_EXC ||
					 type == INTR_TYPE_SW_EXC) ?
					vmcs_read32(EXIT_INSN_LEN) : 0;
		}
		if (!decode_exit(vcpu, exit, reason))
			return;
	}
}

static void vmx_dump(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	if (!vx->setup || vx->cpu != this_cpu_index())
		return;
	pr_err("vmcs: exit reason %#x qual %#llx intr %#x idt %#x insn-err %u\n",
	       vmcs_read32(EXIT_REASON),
	       (unsigned long long)vmcs_readl(EXIT_QUALIFICATION),
	       vmcs_read32(EXIT_INTR_INFO), vmcs_read32(IDT_VECTORING_INFO),
	       vmcs_read32(VM_INSTRUCTION_ERROR));
	pr_err("vmcs: rip %#llx cs %04x/%05x efer %#llx cr0 %#llx cr3 %#llx cr4 %#llx entry %#x\n",
	       (unsigned long long)vmcs_readl(GUEST_RIP),
	       vmcs_read16(GUEST_CS_SEL), vmcs_read32(GUEST_CS_AR),
	       (unsigned long long)vmcs_read64(GUEST_EFER),
	       (unsigned long long)vmcs_readl(GUEST_CR0),
	       (unsigned long long)vmcs_readl(GUEST_CR3),
	       (unsigned long long)vmcs_readl(GUEST_CR4),
	       vmcs_read32(ENTRY_CONTROLS));
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
	.msr_intercept = vmx_msr_intercept,
	.rdpmc_intercept = vmx_rdpmc_intercept,
	.pmu_global_ctrl_enable = vmx_pmu_global_ctrl_enable,
	.pmu_global_ctrl_get = vmx_pmu_global_ctrl_get,
	.pmu_global_ctrl_set = vmx_pmu_global_ctrl_set,
};
