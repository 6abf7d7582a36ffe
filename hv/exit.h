/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vendor-neutral exit record. The vendor backends translate their
 * exit codes into one `enum exit_kind` plus the decoded details; generic
 * code (hv/exit.c) handles it through a table indexed by kind.
 */
#ifndef HV_EXIT_H
#define HV_EXIT_H

#include <hv/types.h>

enum exit_kind {
	EXIT_HOST_INTR,		/* a physical interrupt: nothing to emulate */
	EXIT_HOST_NMI,
	EXIT_CPUID,
	EXIT_HLT,
	EXIT_IO,
	EXIT_MSR_READ,
	EXIT_MSR_WRITE,
	EXIT_HYPERCALL,		/* VMMCALL / VMCALL */
	EXIT_MEM_FAULT,		/* nested paging / EPT violation */
	EXIT_EXCEPTION,		/* an intercepted guest exception */
	EXIT_TRIPLE_FAULT,	/* shutdown */
	EXIT_INVALID_STATE,	/* the CPU refused to enter the guest */
	EXIT_VIRT_INSN,		/* virtualization instructions: #UD for the guest */
	EXIT_XSETBV,
	EXIT_RDPMC,
	EXIT_INVD,
	EXIT_WBINVD,
	EXIT_PAUSE,
	EXIT_MONITOR,		/* MONITOR / MWAIT: not offered, #UD */
	EXIT_INIT,		/* INIT signal to the vCPU */
	EXIT_IRQ_WINDOW,	/* the guest can take an interrupt now */
	EXIT_NMI_WINDOW,	/* the guest may be able to take an NMI now */
	EXIT_CR_WRITE,		/* MOV to a control register (hv/cr.c) */
	EXIT_TPR,		/* the guest wrote CR8: re-evaluate interrupts */
	EXIT_MACHINE_CHECK,	/* a host #MC while the guest ran (arch/x86/mce.c) */
	EXIT_UNKNOWN,
	NR_EXIT_KINDS
};

struct exit_io {
	u16 port;
	u8 size;		/* 1, 2 or 4 */
	bool in;
	bool string;
	bool rep;
};

struct exit_mem {
	gpa_t gpa;
	bool read;
	bool write;
	bool fetch;
	bool present;		/* the nested entry existed (permission fault) */
};

struct exit_cr {
	u8 num;			/* the control register */
	s8 gpr;			/* source register (x86 order), -1: decode */
};

struct exit_exception {
	u8 vector;
	bool has_error;
	u32 error;
	u64 cr2;		/* #PF only */
	u64 dr6;		/* #DB only: its B0-B3, BD, BS (DR6 layout) */
};

struct vm_exit {
	enum exit_kind kind;
	u64 vendor_code;	/* raw exit code/reason, for traces */
	u64 qual;		/* raw qualification / EXITINFO1, for traces */
	u8 insn_len;		/* 0: unknown, decode it (see vcpu_skip_insn) */
	union {
		struct exit_io io;
		struct exit_mem mem;
		struct exit_exception exc;
		struct exit_cr cr;
		u32 msr;
		const char *invalid;	/* which entry check failed */
	};
};

/*
 * Exit handler return convention (one for every handler):
 *   EXIT_RESUME  (0)  re-enter the guest;
 *   EXIT_BLOCK   (1)  the vCPU waits (HLT, wait-for-SIPI) until an event;
 *   EXIT_STOP    (2)  the VM has stopped (power-off, debug-exit, killed);
 *   < 0               a guest-caused impossibility: the VM is killed with
 *                     the reason logged, the hypervisor carries on.
 * A kind without a handler injects #UD, as hardware would for an
 * instruction it does not implement.
 */
enum { EXIT_RESUME = 0, EXIT_BLOCK = 1, EXIT_STOP = 2 };

struct vcpu;

typedef int (*exit_handler_t)(struct vcpu *vcpu, struct vm_exit *exit);

int handle_exit(struct vcpu *vcpu, struct vm_exit *exit);
const char *exit_kind_name(enum exit_kind kind);

#endif /* HV_EXIT_H */
