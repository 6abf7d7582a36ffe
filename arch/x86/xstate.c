// SPDX-License-Identifier: GPL-2.0
/*
 * The guest register state that the world switch leaves in the CPU (see
 * xstate.h), kept per vCPU and switched lazily: a CPU remembers whose
 * state its registers hold (pcpu->xstate_owner) and swaps only when
 * another vCPU is loaded. Until then the host never touches that state:
 * it is built with -mgeneral-regs-only and sets no breakpoints, and its
 * own DR7 (0x400 after every exit, SDM vol. 3 28.3.1; the VMCB's host save
 * on AMD) disables DR0-DR3.
 *
 * The swap runs with XCR0 = every offered component, so XSAVE (standard
 * form, SDM vol. 1 13.7) writes all of them and XRSTOR (13.8) loads all of
 * them: a component the next image does not have in XSTATE_BV is put in
 * its initial configuration, so nothing of the previous vCPU (or of the
 * firmware, for the first vCPU on a CPU) survives; then the next vCPU's
 * XCR0 is loaded. A new or reset vCPU's image is empty with the reset
 * values of FCW and MXCSR (10.1): XRSTOR gives x87 FCW 0x37f, MXCSR 0x1f80,
 * zero registers and PKRU 0.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/xstate.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/string.h>
#include <hv/vm.h>

#define MSR_IA32_SPEC_CTRL 0x00000048
#define MSR_IA32_PRED_CMD  0x00000049
#define PRED_CMD_IBPB      BIT(0)
#define MSR_IA32_XSS       0x00000da0
#define FXSAVE_SIZE        512

u64 xstate_mask;
u32 xstate_size = FXSAVE_SIZE;
bool xstate_spec_ctrl, xstate_ibpb;
static bool has_xsaves;

static void xsetbv(u32 index, u64 val)
{
	asm volatile("xsetbv" : : "c"(index), "a"((u32)val),
		     "d"((u32)(val >> 32)) : "memory");
}

static void xsave(void *area, u64 mask)
{
	asm volatile("xsave64 %0" : "+m"(*(u8 (*)[FXSAVE_SIZE])area)
		     : "a"((u32)mask), "d"((u32)(mask >> 32)) : "memory");
}

static void xrstor(const void *area, u64 mask)
{
	asm volatile("xrstor64 %0" : : "m"(*(const u8 (*)[FXSAVE_SIZE])area),
		     "a"((u32)mask), "d"((u32)(mask >> 32)) : "memory");
}

/*
 * SPEC_CTRL: Intel CPUID.7.0 EDX[26] (IBRS/IBPB), [27] STIBP, [31] SSBD;
 * AMD CPUID 8000_0008h EBX[14] IBRS, [15] STIBP, [24] SSBD. IBPB: EDX[26]
 * or EBX[12] (SDM vol. 4 2.1, "Speculative Execution Side Channel
 * Mitigations"; AMD "Software Techniques for Managing Speculation"). An
 * emulator may list them without implementing them: try both.
 */
static void probe_spec_ctrl(void)
{
	struct cpuid_regs r7 = { 0 }, r8 = { 0 };
	u64 v;

	if (cpuid_eax(0) >= 7)
		cpuid_count(7, 0, &r7);
	if (cpuid_eax(0x80000000) >= 0x80000008)
		cpuid_count(0x80000008, 0, &r8);
	bool listed = (r7.edx & (BIT(26) | BIT(27) | BIT(31))) ||
		      (r8.ebx & (BIT(14) | BIT(15) | BIT(24)));
	bool listed_ibpb = (r7.edx & BIT(26)) || (r8.ebx & BIT(12));

	xstate_spec_ctrl = listed && !rdmsr_safe(MSR_IA32_SPEC_CTRL, &v) &&
			   !wrmsr_safe(MSR_IA32_SPEC_CTRL, v);
	xstate_ibpb = listed_ibpb &&
		      !wrmsr_safe(MSR_IA32_PRED_CMD, PRED_CMD_IBPB);
	pr_info("speculation controls: SPEC_CTRL %s, IBPB %s\n",
		xstate_spec_ctrl ? "per vCPU" :
		listed ? "listed by CPUID but faults: hidden" : "none",
		xstate_ibpb ? "between VMs" :
		listed_ibpb ? "listed by CPUID but faults: hidden" : "none");
}

void xstate_probe(void)
{
	struct cpuid_regs r;

	probe_spec_ctrl();
	cpuid_count(1, 0, &r);
	if (!(r.ecx & BIT(26))) {	/* no XSAVE: FXSAVE covers x87/SSE */
		pr_info("extended state: FXSAVE (x87, SSE), no XSAVE\n");
		return;
	}
	cpuid_count(0xd, 0, &r);
	xstate_mask = (((u64)r.edx << 32) | r.eax) & XSTATE_GUEST_MASK;
	cpuid_count(0xd, 1, &r);
	has_xsaves = r.eax & BIT(3);
	/* The size for exactly these components: CPUID with them in XCR0. */
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXSAVE);
	xsetbv(0, xstate_mask);
	cpuid_count(0xd, 0, &r);
	xstate_size = r.ebx;
	pr_info("extended state: XSAVE, guest XCR0 up to %#llx, %u bytes per vCPU\n",
		(unsigned long long)xstate_mask, xstate_size);
}

void xstate_cpu_init(void)
{
	write_cr4(read_cr4() | X86_CR4_OSFXSR |
		  (xstate_mask ? X86_CR4_OSXSAVE : 0));
	if (xstate_mask)
		xsetbv(0, xstate_mask);
	/* No supervisor component for XSAVES in a guest (XSS not switched). */
	if (has_xsaves)
		wrmsr(MSR_IA32_XSS, 0);
	/* Nothing of the firmware's breakpoints stays armed or visible. */
	write_dr7(DR7_RESET);
	write_dr0(0);
	write_dr1(0);
	write_dr2(0);
	write_dr3(0);
	write_dr6(DR6_RESET);
	this_cpu()->xstate_owner = NULL;
}

static void reset_values(struct vcpu_xstate *x)
{
	u8 *a = x->area;

	memset(a, 0, xstate_size);
	*(u16 *)(a + 0) = X87_FCW_RESET;	/* FXSAVE layout, 10.5.1 */
	*(u32 *)(a + 24) = MXCSR_RESET;
	/* XSTATE_BV (offset 512) 0: every component in its init state. */
	x->xcr0 = XFEATURE_X87;
	memset(x->dr, 0, sizeof(x->dr));
	x->dr6 = DR6_RESET;
	x->spec_ctrl = 0;
}

int xstate_vcpu_init(struct vcpu *vcpu)
{
	struct vcpu_xstate *x = &vcpu->xstate;

	x->area = page_alloc(ALIGN_UP(xstate_size, PAGE_SIZE));
	if (!x->area)
		return -ENOMEM;
	reset_values(x);
	/* The guest's own, switched below: no exit for every write. */
	if (xstate_spec_ctrl)
		virt->msr_intercept(vcpu, MSR_IA32_SPEC_CTRL, false);
	if (xstate_ibpb)
		virt->msr_intercept(vcpu, MSR_IA32_PRED_CMD, false);
	return 0;
}

void xstate_vcpu_reset(struct vcpu *vcpu)
{
	/* The image is the CPU's to write (a swap may be saving into it). */
	__atomic_store_n(&vcpu->xstate.reset_pending, true, __ATOMIC_RELEASE);
}

static void save(struct vcpu_xstate *x)
{
	if (xstate_mask)
		xsave(x->area, xstate_mask);
	else
		asm volatile("fxsave64 %0"
			     : "=m"(*(u8 (*)[FXSAVE_SIZE])x->area));
	x->dr[0] = read_dr0();
	x->dr[1] = read_dr1();
	x->dr[2] = read_dr2();
	x->dr[3] = read_dr3();
	x->dr6 = read_dr6();
	if (xstate_spec_ctrl)
		x->spec_ctrl = rdmsr(MSR_IA32_SPEC_CTRL);
}

static void restore(const struct vcpu_xstate *x)
{
	if (xstate_mask)
		xrstor(x->area, xstate_mask);
	else
		asm volatile("fxrstor64 %0"
			     : : "m"(*(const u8 (*)[FXSAVE_SIZE])x->area));
	write_dr0(x->dr[0]);
	write_dr1(x->dr[1]);
	write_dr2(x->dr[2]);
	write_dr3(x->dr[3]);
	write_dr6(x->dr6);
	if (xstate_spec_ctrl)
		wrmsr(MSR_IA32_SPEC_CTRL, x->spec_ctrl);
}

void xstate_vcpu_load(struct vcpu *vcpu)
{
	struct pcpu *cpu = this_cpu();
	struct vcpu_xstate *x = &vcpu->xstate;
	struct vcpu *old = cpu->xstate_owner;

	if (__atomic_exchange_n(&x->reset_pending, false, __ATOMIC_ACQ_REL)) {
		reset_values(x);
		if (old == vcpu)
			old = NULL;	/* what the registers hold is stale */
	} else if (old == vcpu) {
		return;
	}
	if (xstate_mask)
		xsetbv(0, xstate_mask);
	if (old)
		save(&old->xstate);
	restore(x);
	if (xstate_mask)
		xsetbv(0, x->xcr0);
	cpu->xstate_owner = vcpu;
	/* Another guest's branch predictions are not this one's to use. */
	if (xstate_ibpb && cpu->last_vm != vcpu->vm) {
		wrmsr(MSR_IA32_PRED_CMD, PRED_CMD_IBPB);
		cpu->ibpbs++;
	}
	cpu->last_vm = vcpu->vm;
}

void xstate_set_xcr0(struct vcpu *vcpu, u64 val)
{
	/* The vCPU runs here, so its state is the one loaded (load above). */
	xsetbv(0, val);
	vcpu->xstate.xcr0 = val;
}
