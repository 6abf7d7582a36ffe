// SPDX-License-Identifier: GPL-2.0
/*
 * The VMCS's state (SDM vol. 3 ch. 25): the guest's system registers,
 * the host state, and the first setup of a vCPU's VMCS on its CPU.
 *
 * The system registers are cached in struct vmx_vcpu, because a VMCS is
 * reachable only on the CPU where it is current: set_sregs() writes the
 * cache, which is flushed into the VMCS before the next entry;
 * get_sregs() reads the VMCS back after an exit.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <arch/x86/vmx_impl.h>
#include <arch/x86/vmx_ops.h>
#include <hv/errno.h>
#include <hv/percpu.h>
#include <hv/vm.h>

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

/*
 * CR4: the host owns the bits VMX fixes and those CPUID does not offer
 * the guest, so that a MOV to CR4 setting one of them exits and #GPs
 * (vmx_emulate_cr_access()) however the CPU would take it; and MCE,
 * which the guest runs with as the host has it (vmx_guest_cr4()).
 */
u64 vmx_cr4_host_mask(const struct vmx_vcpu *vx)
{
	return vmx_caps.cr4_fixed0 | X86_CR4_MCE |
	       (~(vmx_caps.cr4_fixed1 & vx->cr4_allowed) & 0xffffffffULL);
}

static void write_cr0_fields(u64 visible)
{
	vmcs_writel(GUEST_CR0, (visible | cr0_must1()) & vmx_caps.cr0_fixed1);
	vmcs_writel(CR0_READ_SHADOW, visible);
}

static void write_cr4_fields(u64 visible)
{
	vmcs_writel(GUEST_CR4, vmx_guest_cr4(visible, vmx_caps.cr4_fixed0,
					     vmx_caps.cr4_fixed1, read_cr4()));
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
void vmx_flush_sregs(struct vmx_vcpu *vx)
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
	u64 m0 = cr0_host_mask(), m4 = vmx_cr4_host_mask(vx);

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
int vmx_vmcs_setup(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);
	u64 eptp = vcpu->vm->gpa_map.root | vmx_ctls.eptp_flags;

	*(u32 *)vx->vmcs = (u32)vmx_caps.basic & 0x7fffffff;
	if (vmcs_clear(vx->vmcs_pa) || gctrl_switch(vx->vmcs_pa))
		return -EIO;
	vx->cpu = this_cpu_index();
	this_vmx_cpu()->current_vmcs = vcpu;

	vmcs_write32(PIN_CONTROLS, vmx_ctls.pin);
	vmcs_write32(PROC_CONTROLS, vmx_ctls.proc);
	vx->vmcs_windows = vmx_ctls.proc & (PROC_INTR_WINDOW | PROC_NMI_WINDOW);
	vmcs_write32(PROC_CONTROLS2, vmx_ctls.proc2);
	vmcs_write64(TSC_OFFSET, vx->tsc_offset);
	vx->vmcs_tsc_offset = vx->tsc_offset;
	vmcs_write32(EXIT_CONTROLS, vmx_ctls.exit);
	vmcs_write32(ENTRY_CONTROLS, vmx_ctls.entry);
	/* #DB and #AC always exit, to be reflected (hv/exit.c). */
	/* #MC: the host's, reported by arch/x86/mce.c (SDM vol. 3C 26.2). */
	vmcs_write32(EXCEPTION_BITMAP, BIT(X86_DB) | BIT(X86_AC) | BIT(X86_MC));
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
	if (vmx_ctls.proc2 & PROC2_VPID)
		vmcs_write16(VPID, vcpu->vm->tlb_tag);
	vmcs_writel(CR0_GUEST_HOST_MASK, cr0_host_mask());
	vmcs_writel(CR4_GUEST_HOST_MASK, vmx_cr4_host_mask(vx));

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
	vmx_flush_sregs(vx);

	/* Stale translations of an earlier user of this EPT root / VPID. */
	if (vmx_caps.ept_vpid & EPT_CAP_INVEPT_SINGLE)
		invept(1, eptp);
	else if (vmx_caps.ept_vpid & EPT_CAP_INVEPT_ALL)
		invept(2, 0);
	vx->setup = true;
	return 0;
}

void vmx_get_sregs(struct vcpu *vcpu, struct vcpu_sregs *s)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	/* The VMCS is readable only on its CPU; elsewhere use the cache. */
	if (!vx->sregs_valid && vx->setup && vx->cpu == this_cpu_index() &&
	    this_vmx_cpu()->current_vmcs == vcpu)
		read_sregs(vx);
	*s = vx->sregs;
}

void vmx_set_sregs(struct vcpu *vcpu, const struct vcpu_sregs *s)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	vx->sregs = *s;
	vx->sregs_valid = true;
	vx->sregs_dirty = true;
}
