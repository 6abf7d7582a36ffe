// SPDX-License-Identifier: GPL-2.0
/*
 * #VMEXIT decoding: the VMCB's exit code and EXITINFO fields (AMD APM
 * vol. 2 15.6, appendix C) become the neutral exit record of hv/exit.h.
 * Pure logic over a VMCB, so host unit tests can feed it exits.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/svm.h>
#include <arch/x86/svm_exit_io.h>
#include <hv/exit.h>

/* Exit codes whose record is the kind alone. */
static const struct {
	u16 code;
	u8 kind;
} plain_exits[] = {
	{ SVM_EXIT_INTR, EXIT_HOST_INTR },
	{ SVM_EXIT_SMI, EXIT_HOST_INTR },
	{ SVM_EXIT_NMI, EXIT_HOST_NMI },
	{ SVM_EXIT_INIT, EXIT_INIT },
	{ SVM_EXIT_VINTR, EXIT_IRQ_WINDOW },
	/* Before the IRET executes; svm_nmi.c tracks the NMI blocking. */
	{ SVM_EXIT_IRET, EXIT_NMI_WINDOW },
	{ SVM_EXIT_CPUID, EXIT_CPUID },
	{ SVM_EXIT_HLT, EXIT_HLT },
	{ SVM_EXIT_VMMCALL, EXIT_HYPERCALL },
	{ SVM_EXIT_SHUTDOWN, EXIT_TRIPLE_FAULT },
	{ SVM_EXIT_VMRUN, EXIT_VIRT_INSN },
	{ SVM_EXIT_VMLOAD, EXIT_VIRT_INSN },
	{ SVM_EXIT_VMSAVE, EXIT_VIRT_INSN },
	{ SVM_EXIT_STGI, EXIT_VIRT_INSN },
	{ SVM_EXIT_CLGI, EXIT_VIRT_INSN },
	{ SVM_EXIT_SKINIT, EXIT_VIRT_INSN },
	{ SVM_EXIT_INVLPGA, EXIT_VIRT_INSN },
	{ SVM_EXIT_MONITOR, EXIT_MONITOR },
	{ SVM_EXIT_MWAIT, EXIT_MONITOR },
	{ SVM_EXIT_MWAIT_COND, EXIT_MONITOR },
	{ SVM_EXIT_XSETBV, EXIT_XSETBV },
	{ SVM_EXIT_RDPMC, EXIT_RDPMC },
	{ SVM_EXIT_INVD, EXIT_INVD },
	{ SVM_EXIT_WBINVD, EXIT_WBINVD },
	{ SVM_EXIT_PAUSE, EXIT_PAUSE },
};

static void decode_npf(const struct vmcb *v, struct vm_exit *e)
{
	u64 info1 = v->control.exit_info1;

	/* EXITINFO1 is a #PF-style error code, EXITINFO2 the GPA (15.25.6). */
	e->mem.gpa = v->control.exit_info2;
	e->mem.present = info1 & SVM_NPF_P;
	e->mem.write = info1 & SVM_NPF_W;
	e->mem.fetch = info1 & SVM_NPF_F;
	e->mem.read = !e->mem.write && !e->mem.fetch;
}

void svm_decode_exit(const struct vmcb *v, u64 guest_rcx, bool nrips,
		     struct vm_exit *e)
{
	u64 code = v->control.exit_code;

	/* The commonest exit first (a UART poll: half a Linux boot's). */
	if (likely(code == SVM_EXIT_IOIO)) {
		svm_decode_io(v, e);
		return;
	}
	e->vendor_code = code;
	e->qual = v->control.exit_info1;
	e->insn_len = nrips ? svm_length_to(v->save.rip, v->control.next_rip) : 0;

	if ((u32)code == SVM_EXIT_INVALID) {
		/* QEMU writes only the low 32 bits of -1. */
		e->kind = EXIT_INVALID_STATE;
		e->invalid = svm_check_vmcb(v);
		return;
	}
	/* The host's #MC, intercepted in the guest (APM vol. 2 15.12). */
	if (code == SVM_EXIT_EXCP_BASE + X86_MC) {
		e->kind = EXIT_MACHINE_CHECK;
		return;
	}
	if (code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_EXCP_BASE + 32) {
		e->kind = EXIT_EXCEPTION;
		e->exc.vector = code - SVM_EXIT_EXCP_BASE;
		e->exc.has_error = x86_exception_has_error(e->exc.vector);
		e->exc.error = v->control.exit_info1;
		e->exc.cr2 = v->control.exit_info2;
		/* The CPU wrote DR6 before the intercept (APM vol. 2 15.12). */
		e->exc.dr6 = v->save.dr6 &
			     (X86_DR6_B0_B3 | X86_DR6_BD | X86_DR6_BS);
		return;
	}
	switch (code) {
	case SVM_EXIT_MSR:
		e->kind = v->control.exit_info1 ? EXIT_MSR_WRITE : EXIT_MSR_READ;
		e->msr = (u32)guest_rcx;
		return;
	case SVM_EXIT_NPF:
		e->kind = EXIT_MEM_FAULT;
		decode_npf(v, e);
		return;
	case SVM_EXIT_WRITE_CR4:
	case SVM_EXIT_WRITE_CR8:
		/* Without decode assists, hv/cr.c decodes the MOV itself. */
		e->kind = EXIT_CR_WRITE;
		e->cr.num = code - SVM_EXIT_WRITE_CR4 + 4;
		e->cr.gpr = (v->control.exit_info1 & SVM_CR_VALID) ?
			    (s8)(v->control.exit_info1 & 15) : -1;
		return;
	}
	for (u32 i = 0; i < ARRAY_SIZE(plain_exits); i++) {
		if (plain_exits[i].code == code) {
			e->kind = plain_exits[i].kind;
			return;
		}
	}
	e->kind = EXIT_UNKNOWN;
}
