// SPDX-License-Identifier: GPL-2.0
/*
 * VM exits into the neutral exit record (hv/exit.h), from the exit
 * reason and qualification (SDM vol. 3 ch. 28, appendix C); the CR
 * accesses the masks make exit are emulated here.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <arch/x86/vmx_impl.h>
#include <arch/x86/vmx_ops.h>
#include <hv/vm.h>
#include <pmu/pmu.h>

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
bool vmx_emulate_cr_access(struct vcpu *vcpu, u64 qual, u32 len)
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
	if (type == 1 && cr == 8) {
		*reg = vx->cr8;
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
	case 8:
		/* Bits 63:4 are reserved (SDM vol. 3 2.5). */
		if (val >> 4)
			goto gp;
		vx->cr8 = val;
		goto done;
	case 4:
		/* Bits CPUID does not offer, or VMX cannot run with, #GP. */
		if (!x86_cr4_write_ok(s.cr4, val, s.efer & X86_EFER_LMA, s.cr3,
				      vx->cr4_allowed &
				      (vmx_caps.cr4_fixed1 | ~0xffffffffULL)))
			goto gp;
		s.cr4 = val;
		break;
	default:
		return false;
	}
	vmx_set_sregs(vcpu, &s);
	vmx_flush_sregs(vx);
done:
	vmx_retire(vcpu, len);
	return true;
gp:
	vmx_inject(vcpu, EVENT_EXCEPTION, X86_GP, true, 0);
	return true;
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
bool vmx_decode_exit(struct vcpu *vcpu, struct vm_exit *e, u32 reason)
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
			/*
			 * A host NMI taken in guest mode: "NMI exiting" turned
			 * it into this exit and it is consumed (SDM vol. 3
			 * 26.2). The host's NMI handler (the panic stop) runs
			 * now, through its gate; its IRET ends any NMI
			 * blocking the exit left (an emulator such as Bochs
			 * leaves it on, and a self-NMI would then wait for
			 * the next IRET). On SVM the NMI stays pending during
			 * the world switch and is taken after STGI.
			 */
			e->kind = EXIT_HOST_NMI;
			asm volatile("int $2" ::: "memory");
			break;
		}
		if ((info & 0xff) == X86_MC) {
			/* The host's #MC, in guest mode (SDM vol. 3C 27.1). */
			e->kind = EXIT_MACHINE_CHECK;
			break;
		}
		e->kind = EXIT_EXCEPTION;
		e->exc.vector = info & 0xff;
		e->exc.has_error = info & INTR_INFO_ERR_VALID;
		e->exc.error = e->exc.has_error ? vmcs_read32(EXIT_INTR_ERROR) : 0;
		e->exc.cr2 = qual;
		/* #DB: the qualification holds DR6's bits, DR6 is untouched. */
		e->exc.dr6 = qual & (X86_DR6_B0_B3 | X86_DR6_BD | X86_DR6_BS);
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
		vmx_nmi_window_exit();
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
		vmx_nmi_reblock_after_iret(qual);
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
		e->kind = EXIT_XSETBV;
		break;
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
		if (!vmx_emulate_cr_access(vcpu, qual, e->insn_len)) {
			e->kind = EXIT_UNKNOWN;
			break;
		}
		/* A MOV to CR8 may let an interrupt in: back to hv/. */
		if ((qual & 15) == 8 && !((qual >> 4) & 3)) {
			e->kind = EXIT_TPR;
			break;
		}
		return true;
	default:
		e->kind = EXIT_UNKNOWN;
		break;
	}
	return false;
}
