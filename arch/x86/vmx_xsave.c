// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's XCR0 on VMX: XSETBV exits unconditionally (SDM vol. 3
 * 26.1.2); the value is checked as XSETBV would (13.3), kept per vCPU and
 * loaded on the vCPU's CPU when another is loaded.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <arch/x86/vmx_impl.h>
#include <hv/vm.h>
#include <pmu/pmu.h>

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
void vmx_switch_xcr0(struct vcpu *vcpu)
{
	struct vmx_cpu *vc = this_vmx_cpu();
	u64 want = to_vmx(vcpu)->xcr0;

	if (!vmx_ctls.xcr0_supported || vc->xcr0 == want)
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
void vmx_emulate_xsetbv(struct vcpu *vcpu, u32 len)
{
	u32 index = (u32)vcpu->regs.rcx;
	u64 val = ((vcpu->regs.rdx & 0xffffffffULL) << 32) |
		  (vcpu->regs.rax & 0xffffffffULL);

	if (!vmx_ctls.xcr0_supported) {
		vmx_inject(vcpu, EVENT_EXCEPTION, X86_UD, false, 0);
		return;
	}
	if (index != 0 || !(val & 1) || (val & ~vmx_ctls.xcr0_supported) ||
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
	vmx_retire(vcpu, len);
}
