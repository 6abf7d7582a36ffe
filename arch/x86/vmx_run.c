// SPDX-License-Identifier: GPL-2.0
/*
 * The VMX world switch: the per-CPU state a vCPU needs loaded (its VMCS,
 * the lazily switched SYSCALL MSRs), the entry/exit loop, and the
 * VMCS dump for a dying guest.
 *
 * MSRs: FS/GS base and SYSENTER_* live in VMCS guest fields and are
 * switched by hardware. KERNEL_GS_BASE, STAR, LSTAR, CSTAR and SFMASK are
 * not switched by VMX; they are passed through like on SVM and switched
 * lazily in software: the host never uses SYSCALL or SWAPGS, so a guest's
 * values may stay loaded until another vCPU runs on the same CPU.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <arch/x86/vmx_impl.h>
#include <arch/x86/vmx_ops.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <hv/vm.h>

static const u32 lazy_msrs[VMX_LAZY_MSRS] = {
	MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
};

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

static void set_invalid(struct vcpu *vcpu, struct vm_exit *e, u32 insn_err,
			u32 reason)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	e->kind = EXIT_INVALID_STATE;
	vmx_diagnose(insn_err, reason, vx->diag, sizeof(vx->diag));
	e->invalid = vx->diag;
}

/*
 * Interrupt- and NMI-window exiting (SDM vol. 3C 26.7.5, 26.7.6) as the
 * vCPU wants them, written only on a change: the other processor-based
 * controls (RDPMC exiting, vmx_pmu.c) are read from the VMCS and kept.
 */
static void set_windows(struct vmx_vcpu *vx, u32 windows)
{
	u32 proc = vmcs_read32(PROC_CONTROLS);

	vmcs_write32(PROC_CONTROLS,
		     (proc & ~(PROC_INTR_WINDOW | PROC_NMI_WINDOW)) | windows);
	vx->vmcs_windows = windows;
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
	/*
	 * The reset unmapped the guest's RAM (hv/ram_lazy.c): no
	 * guest-physical translation of the old run may survive (SDM vol. 3,
	 * "Guidelines for Use of the INVEPT Instruction": INVVPID does not
	 * reach them).
	 */
	if (vmx_caps.ept_vpid & EPT_CAP_INVEPT_SINGLE)
		invept(1, vmcs_read64(EPT_POINTER));
	else if (vmx_caps.ept_vpid & EPT_CAP_INVEPT_ALL)
		invept(2, 0);
	vx->reset = false;
}

void vmx_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);
	struct vmx_entry entry;
	u32 reason, idt, windows;
	int r;

	if (!vx->setup) {
		if (vmx_vmcs_setup(vcpu)) {
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

	for (;;) {
		if (vx->sregs_dirty)
			vmx_flush_sregs(vx);
		if (vx->launched && vcpu->regs.rip != vx->exit_rip)
			vmcs_write32(GUEST_INTERRUPTIBILITY,
				     vmx_blocking(vcpu));
		vmcs_writel(GUEST_RIP, vcpu->regs.rip);
		vmcs_writel(GUEST_RSP, vcpu->regs.rsp);
		vmcs_writel(GUEST_RFLAGS, vcpu->regs.rflags);
		if (unlikely(vx->tsc_offset != vx->vmcs_tsc_offset)) {
			vmcs_write64(TSC_OFFSET, vx->tsc_offset);
			vx->vmcs_tsc_offset = vx->tsc_offset;
		}
		if (vx->dr6_trap) {
			/*
			 * The #DB being injected: DR6, and the shadow. A trap
			 * MOV SS held back is pending; it merges into this one
			 * (6.8.3), so it is taken out of the pending field.
			 */
			u64 d, p = vmcs_readl(GUEST_PENDING_DBG);

			vmcs_writel(GUEST_PENDING_DBG, 0);
			asm volatile("mov %%dr6, %0" : "=r"(d));
			d = (d & ~(X86_DR6_B0_B3 | X86_DR6_BD | X86_DR6_BS)) |
			    vx->dr6_bits | (p & (X86_DR6_B0_B3 | X86_DR6_BS)) |
			    X86_DR6_FIXED1;
			asm volatile("mov %0, %%dr6" : : "r"(d));
			vmcs_write32(GUEST_INTERRUPTIBILITY,
				     vmcs_read32(GUEST_INTERRUPTIBILITY) &
				     ~(INTERRUPTIBILITY_STI |
				       INTERRUPTIBILITY_MOVSS));
			vx->dr6_trap = false;
		}
		vmcs_write32(ENTRY_INTR_INFO, vx->event_info);
		if (vx->event_info & INTR_INFO_VALID) {
			vmcs_write32(ENTRY_EXCEPTION_ERROR, vx->event_error);
			vmcs_write32(ENTRY_INSN_LEN, vx->event_len);
		}
		entry = vmx_entry_take(vx);
		windows = (vx->irq_window ? PROC_INTR_WINDOW : 0) |
			  (vx->nmi_window ? PROC_NMI_WINDOW : 0);
		if (unlikely(windows != vx->vmcs_windows))
			set_windows(vx, windows);
		if (vx->flush_tlb && (vmx_ctls.proc2 & PROC2_VPID)) {
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
		if ((reason & 0xffff) == EXIT_R_MCE_DURING_ENTRY) {
			/*
			 * A host #MC during the entry (SDM vol. 3C 27.8): the
			 * entry did not happen, so neither did a launch nor
			 * the injection (vmx_impl.h).
			 */
			vmx_entry_undo(vx, &entry);
			exit->kind = EXIT_MACHINE_CHECK;
			exit->vendor_code = reason;
			exit->qual = 0;
			return;
		}
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
		 * it by injecting on top, as on SVM. An NMI goes in again
		 * without blocking by NMI (vmx_impl.h).
		 */
		idt = vmcs_read32(IDT_VECTORING_INFO);
		if (idt & INTR_INFO_VALID) {
			u32 type = (idt >> INTR_INFO_TYPE_SHIFT) & 7;
			u32 blocking = vmcs_read32(GUEST_INTERRUPTIBILITY);

			vx->event_info = idt & ~INTR_INFO_NMI_UNBLOCK;
			if (vmx_reinject_blocking(idt, blocking) != blocking)
				vmcs_write32(GUEST_INTERRUPTIBILITY,
					     vmx_reinject_blocking(idt, blocking));
			vx->event_error = vmcs_read32(IDT_VECTORING_ERROR);
			vx->event_len = (type == INTR_TYPE_SOFT_INT ||
					 type == INTR_TYPE_PRIV_SW_EXC ||
					 type == INTR_TYPE_SW_EXC) ?
					vmcs_read32(EXIT_INSN_LEN) : 0;
		}
		if (!vmx_decode_exit(vcpu, exit, reason))
			return;
	}
}

void vmx_dump(struct vcpu *vcpu)
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
