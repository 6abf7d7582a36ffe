// SPDX-License-Identifier: GPL-2.0
/*
 * Events into a VMX guest (SDM vol. 3 26.6, 27.2, 28.2): injection at
 * the next entry, the guest's interruptibility, and interrupt and NMI
 * windows (virtual NMIs with NMI-window exiting).
 */
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <arch/x86/vmx_impl.h>
#include <arch/x86/vmx_ops.h>
#include <hv/percpu.h>
#include <hv/vm.h>
#include <pmu/pmu.h>

void vmx_inject(struct vcpu *vcpu, enum event_type type, u8 vector,
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
u32 vmx_blocking(struct vcpu *vcpu)
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

bool vmx_irq_window_open(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);
	u32 blocking = vmx_blocking(vcpu);

	return (vcpu->regs.rflags & X86_RFLAGS_IF) &&
	       !(blocking & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOVSS)) &&
	       !(vx->event_info & INTR_INFO_VALID);
}

/*
 * A #DB for the guest (hv/virt.h debug_trap). It is injected: a #DB that
 * pending debug exceptions raised after the entry would meet the exception
 * bitmap and exit again, forever. So DR6 is written the way the CPU would
 * (the guest's DR6 is live on VMX; the write is done just before the
 * entry, vmx_run.c), and the STI / MOV SS shadow ends with the delivery
 * (otherwise an entry with TF set would need BS pending, 27.3.1.5).
 * General detect (BD) also clears DR7.GD, as its delivery does (18.2.4).
 * An injected event closes the interrupt and NMI windows: a debug trap
 * outranks both (6.9).
 */
void vmx_debug_trap(struct vcpu *vcpu, u64 dr6)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);

	vx->dr6_bits = dr6 & (X86_DR6_B0_B3 | X86_DR6_BD | X86_DR6_BS);
	vx->dr6_trap = true;
	if (dr6 & X86_DR6_BD)
		vmcs_writel(GUEST_DR7, vmcs_readl(GUEST_DR7) & ~X86_DR7_GD);
	vmx_inject(vcpu, EVENT_EXCEPTION, X86_DB, false, 0);
}

/* An instruction the backend emulated completes (as vcpu_skip_insn()). */
void vmx_retire(struct vcpu *vcpu, u32 len)
{
	vcpu->regs.rip += len;
	pmu_retired_insn(vcpu, false);
	vcpu->regs.rflags &= ~X86_RFLAGS_RF;
	if (vcpu->regs.rflags & X86_RFLAGS_TF)
		vmx_debug_trap(vcpu, X86_DR6_BS);
}

bool vmx_nmi_window_open(struct vcpu *vcpu)
{
	struct vmx_vcpu *vx = to_vmx(vcpu);
	/* Blocking by NMI: the guest is in its NMI handler (25.4.2). */
	u32 blocking = vmx_blocking(vcpu);

	return !(blocking & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOVSS |
			     INTERRUPTIBILITY_NMI)) &&
	       !(vx->event_info & INTR_INFO_VALID);
}

void vmx_request_irq_window(struct vcpu *vcpu, bool on)
{
	to_vmx(vcpu)->irq_window = on;
}

void vmx_request_nmi_window(struct vcpu *vcpu, bool on)
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
void vmx_nmi_window_exit(void)
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
void vmx_nmi_reblock_after_iret(u64 qual)
{
	if ((qual & EPT_QUAL_NMI_UNBLOCK) &&
	    !(vmcs_read32(IDT_VECTORING_INFO) & INTR_INFO_VALID))
		vmcs_write32(GUEST_INTERRUPTIBILITY,
			     vmcs_read32(GUEST_INTERRUPTIBILITY) |
			     INTERRUPTIBILITY_NMI);
}
