/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-vCPU register state that neither VMRUN nor VM entry switches: the
 * x87/SSE/AVX/AVX-512/PKRU state (XSAVE, SDM vol. 1 ch. 13), XCR0, DR0-DR3
 * and, on VMX, DR6 (SDM vol. 3 28.3; AMD keeps DR6 in the VMCB), and
 * IA32_SPEC_CTRL, which guests reach directly where the CPU has it. The
 * hypervisor itself uses none of it (-mgeneral-regs-only, no breakpoints),
 * so the state of the last vCPU run stays in a CPU's registers until
 * another vCPU is loaded there (xstate_vcpu_load()).
 */
#ifndef ARCH_X86_XSTATE_H
#define ARCH_X86_XSTATE_H

#include <hv/types.h>

struct vcpu;

/* XCR0 components (SDM vol. 1 13.1). */
#define XFEATURE_X87       BIT(0)
#define XFEATURE_SSE       BIT(1)
#define XFEATURE_AVX       BIT(2)
#define XFEATURE_BNDREGS   BIT(3)
#define XFEATURE_BNDCSR    BIT(4)
#define XFEATURE_OPMASK    BIT(5)
#define XFEATURE_ZMM_HI256 BIT(6)
#define XFEATURE_HI16_ZMM  BIT(7)
#define XFEATURE_AVX512    (XFEATURE_OPMASK | XFEATURE_ZMM_HI256 | \
			    XFEATURE_HI16_ZMM)
#define XFEATURE_PKRU      BIT(9)
#define XFEATURE_TILECFG   BIT(17)
#define XFEATURE_TILEDATA  BIT(18)

/*
 * What a guest may enable in XCR0, at most: x87, SSE, AVX, AVX-512, PKRU.
 * MPX (its BNDCFGS MSR), AMX (XFD) and APX are not offered; supervisor
 * components (IA32_XSS) neither: XSAVES is hidden and the host's XSS is 0.
 */
#define XSTATE_GUEST_MASK (XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX | \
			   XFEATURE_AVX512 | XFEATURE_PKRU)

/* Architectural reset values (SDM vol. 3 10.1, table 10-1). */
#define X87_FCW_RESET 0x037f
#define MXCSR_RESET   0x1f80
#define DR6_RESET     0xffff0ff0ULL
#define DR7_RESET     0x400ULL

struct vcpu_xstate {
	void *area;		/* XSAVE (or FXSAVE) image, 64-byte aligned */
	u64 xcr0;
	u64 dr[4];
	u64 dr6;		/* VMX only: SVM has it in the VMCB */
	u64 spec_ctrl;		/* IA32_SPEC_CTRL, where the CPU has it */
	bool reset_pending;	/* reset values at the next load */
};

/* Components offered to guests (0: the CPU has no XSAVE: FXSAVE). */
extern u64 xstate_mask;
/* Size of the save image for every offered component. */
extern u32 xstate_size;
/*
 * IA32_SPEC_CTRL (0x48) and IA32_PRED_CMD (0x49, IBPB) work on this CPU:
 * passed through to guests, SPEC_CTRL switched per vCPU, an IBPB when a
 * CPU moves on to another VM. Without them CPUID hides them (hv/cpuid.c).
 */
extern bool xstate_spec_ctrl, xstate_ibpb;

/*
 * True if XSETBV may load @val into XCR0 (SDM vol. 1 13.3, vol. 2
 * "XSETBV"): x87 set, nothing outside @supported, AVX only with SSE, the
 * AVX-512 components together and only with AVX, the AMX pair together.
 */
static inline bool xcr0_valid(u64 val, u64 supported)
{
	if (!(val & XFEATURE_X87) || (val & ~supported))
		return false;
	if ((val & XFEATURE_AVX) && !(val & XFEATURE_SSE))
		return false;
	if (!(val & XFEATURE_BNDREGS) != !(val & XFEATURE_BNDCSR))
		return false;
	if ((val & XFEATURE_AVX512) &&
	    ((val & XFEATURE_AVX512) != XFEATURE_AVX512 ||
	     !(val & XFEATURE_AVX)))
		return false;
	if (!(val & XFEATURE_TILECFG) != !(val & XFEATURE_TILEDATA))
		return false;
	return true;
}

/* Boot CPU, once: what the CPU has and guests get. */
void xstate_probe(void);
/* Every CPU, before virtualization is enabled: CR4, XCR0, XSS, DRs. */
void xstate_cpu_init(void);
/* A new vCPU: its save image, with reset values. */
int xstate_vcpu_init(struct vcpu *vcpu);
/* A guest reset (any CPU, the vCPU runs nowhere): reset values next. */
void xstate_vcpu_reset(struct vcpu *vcpu);
/* On the vCPU's CPU before it runs: its state into the registers. */
void xstate_vcpu_load(struct vcpu *vcpu);
/* The guest's XSETBV, already checked: XCR0 now and after switches. */
void xstate_set_xcr0(struct vcpu *vcpu, u64 val);

#endif /* ARCH_X86_XSTATE_H */
