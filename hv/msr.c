// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's model-specific registers. A few are switched by the vendor
 * backend directly (FS/GS bases, SYSCALL and SYSENTER MSRs); the rest exit
 * here. Anything not listed raises #GP, as hardware does for an MSR it
 * does not implement (SDM vol. 4 ch. 2, "RDMSR/WRMSR" #GP conditions).
 */
#include <arch/x86/cpu.h>
#include <hv/cpuid.h>
#include <hv/errno.h>
#include <hv/handlers.h>
#include <hv/log.h>
#include <hv/string.h>
#include <hv/vcpu.h>
#include <hv/vlapic.h>
#include <pmu/pmu.h>

#define MSR_IA32_TSC         0x10
#define MSR_IA32_TSC_ADJUST  0x3b
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MSR_IA32_BIOS_SIGN_ID 0x8b	/* AMD: PATCH_LEVEL */

#define EFER_WRITABLE (X86_EFER_SCE | X86_EFER_LME | X86_EFER_NXE)

/*
 * IA32_MISC_ENABLE (SDM vol. 4 table 2-2). Kept per vCPU: fast strings
 * (bit 0), automatic thermal control (3), limit CPUID maxval (22, honoured
 * by hv/cpuid.c), xTPR message disable (23) and, where CPUID offers EIST,
 * its enable (16); none but bit 22 changes what the guest sees otherwise.
 * Read-only: performance monitoring available (7, the PMU's), BTS and PEBS
 * unavailable (11, 12: never offered). Anything else is reserved here and
 * a write that sets it #GPs; a write leaves the read-only bits alone.
 */
#define MISC_WRITABLE (BIT(0) | BIT(3) | BIT(22) | BIT(23))
#define MISC_EIST     BIT(16)
#define MISC_READONLY (BIT(7) | BIT(11) | BIT(12))

static u64 misc_writable(struct vcpu *vcpu)
{
	struct cpuid_regs r;

	cpuid_policy(vcpu, 1, 0, &r);
	return MISC_WRITABLE | ((r.ecx & BIT(7)) ? MISC_EIST : 0);
}

/* EFER bits whose features CPUID.8000_0001h:EDX offers the guest. */
static u64 efer_writable(struct vcpu *vcpu)
{
	struct cpuid_regs r;
	u64 w = 0;

	cpuid_policy(vcpu, 0x80000001, 0, &r);
	if (r.edx & BIT(11))
		w |= X86_EFER_SCE;		/* SYSCALL */
	if (r.edx & BIT(20))
		w |= X86_EFER_NXE;		/* NX */
	if (r.edx & BIT(29))
		w |= X86_EFER_LME;		/* long mode */
	return w & EFER_WRITABLE;
}

/*
 * A value the CPU would refuse raises #GP instead of reaching the guest's
 * saved state, where the next entry would fail and kill the guest: reserved or
 * absent bits, and a change of LME while paging is on (SDM vol. 3 10.8.5
 * "IA32_EFER.LME cannot be modified while paging is enabled"; APM vol. 2
 * 14.6.1: #GP).
 */
static bool efer_valid(struct vcpu *vcpu, const struct vcpu_sregs *s,
		       u64 val)
{
	if (val & ~(efer_writable(vcpu) | X86_EFER_LMA))
		return false;
	if ((s->cr0 & X86_CR0_PG) && ((val ^ s->efer) & X86_EFER_LME))
		return false;
	return true;
}

static bool pat_valid(u64 pat)
{
	for (int i = 0; i < 8; i++) {
		u8 t = (pat >> (i * 8)) & 0xff;

		/* Types 2 and 3 are reserved, as is anything above 7. */
		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

/*
 * IA32_TSC and IA32_TSC_ADJUST (SDM vol. 3 18.17.3): a write of either
 * adds the same amount to both. The guest's TSC is the host's plus
 * tsc_offset, which the backend applies to RDTSC/RDTSCP (set_tsc_offset);
 * the TSC-deadline timer compares against the guest's TSC.
 */
static void tsc_move(struct vcpu *vcpu, u64 delta)
{
	vcpu->tsc_offset += delta;
	vcpu->msr_tsc_adjust += delta;
	virt->set_tsc_offset(vcpu, vcpu->tsc_offset);
	vlapic_set_tsc_offset(&vcpu->lapic, vcpu->tsc_offset);
}

/*
 * IA32_BIOS_SIGN_ID (SDM vol. 3 "Microcode Update Facilities", vol. 4
 * table 2-2): Intel software writes 0, runs CPUID(1) and reads the loaded
 * update's signature from bits 63:32; AMD's PATCH_LEVEL at the same index
 * is read-only. Every CPU of either vendor has it (Linux's early_init_intel
 * reads it unchecked). The guest sees no update loaded: it reads 0, and on
 * Intel its writes are accepted and ignored.
 */
static bool cpu_intel(void)
{
	char vendor[13];

	return !strcmp(cpu_vendor(vendor), "GenuineIntel");
}

static int msr_read(struct vcpu *vcpu, u32 msr, u64 *val)
{
	struct vcpu_sregs s;

	if (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST)
		return vlapic_msr_read(&vcpu->lapic, msr, rdtsc(), val);

	switch (msr) {
	case MSR_EFER:
		virt->get_sregs(vcpu, &s);
		*val = s.efer;
		return 0;
	case MSR_IA32_PAT:
		virt->get_sregs(vcpu, &s);
		*val = s.pat;
		return 0;
	case MSR_IA32_TSC:
		*val = rdtsc() + vcpu->tsc_offset;
		return 0;
	case MSR_IA32_TSC_ADJUST:
		*val = vcpu->msr_tsc_adjust;
		return 0;
	case MSR_TSC_AUX:
		*val = vcpu->msr_tsc_aux;
		return 0;
	case MSR_IA32_MTRRCAP:
		*val = 0;		/* no fixed or variable ranges */
		return 0;
	case MSR_IA32_MTRR_DEF_TYPE:
		*val = vcpu->msr_mtrr_def_type;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*val = vcpu->msr_misc_enable | BIT(11) | BIT(12) |
		       pmu_misc_enable(vcpu);
		return 0;
	case MSR_IA32_APIC_BASE:
		*val = vcpu->lapic.base_msr;
		return 0;
	case MSR_IA32_TSC_DEADLINE:
		*val = vlapic_get_tsc_deadline(&vcpu->lapic);
		return 0;
	case MSR_IA32_BIOS_SIGN_ID:
		*val = 0;
		return 0;
	}
	return -1;
}

static int msr_write(struct vcpu *vcpu, u32 msr, u64 val)
{
	struct vcpu_sregs s;

	if (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST)
		return vlapic_msr_write(&vcpu->lapic, msr, val, rdtsc());

	switch (msr) {
	case MSR_EFER:
		virt->get_sregs(vcpu, &s);
		if (!efer_valid(vcpu, &s, val))
			return -1;
		/* LMA is read-only: the CPU sets it when paging turns on. */
		s.efer = (val & EFER_WRITABLE) | (s.efer & X86_EFER_LMA);
		virt->set_sregs(vcpu, &s);
		return 0;
	case MSR_IA32_PAT:
		if (!pat_valid(val))
			return -1;
		virt->get_sregs(vcpu, &s);
		s.pat = val;
		virt->set_sregs(vcpu, &s);
		return 0;
	case MSR_IA32_TSC:
		/* The TSC moves by the difference, and so does TSC_ADJUST. */
		tsc_move(vcpu, val - (rdtsc() + vcpu->tsc_offset));
		return 0;
	case MSR_IA32_TSC_ADJUST:
		tsc_move(vcpu, val - vcpu->msr_tsc_adjust);
		return 0;
	case MSR_TSC_AUX:
		if (val >> 32)
			return -1;
		vcpu->msr_tsc_aux = val;
		wrmsr(MSR_TSC_AUX, val);
		return 0;
	case MSR_IA32_MTRR_DEF_TYPE:
		if (val & ~0xcffULL)
			return -1;
		vcpu->msr_mtrr_def_type = val;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		if (val & ~(misc_writable(vcpu) | MISC_READONLY))
			return -1;
		vcpu->msr_misc_enable = val & misc_writable(vcpu);
		return 0;
	case MSR_IA32_APIC_BASE:
		return vlapic_set_base(&vcpu->lapic, val);
	case MSR_IA32_TSC_DEADLINE:
		vlapic_set_tsc_deadline(&vcpu->lapic, val);
		return 0;
	case MSR_IA32_BIOS_SIGN_ID:
		return cpu_intel() ? 0 : -1;
	}
	return -1;
}

int handle_msr_read(struct vcpu *vcpu, struct vm_exit *exit)
{
	u64 val;
	int r = pmu_msr_read(vcpu, exit->msr, &val);

	if (r == -ENOENT)
		r = msr_read(vcpu, exit->msr, &val);
	if (r) {
		pr_guest_debug("vm %s: rdmsr %#x: #GP\n", vcpu->vm->name, exit->msr);
		vcpu_inject_gp(vcpu);
		return EXIT_RESUME;
	}
	vcpu->regs.rax = (u32)val;
	vcpu->regs.rdx = val >> 32;
	return vcpu_skip_insn(vcpu, exit);
}

int handle_msr_write(struct vcpu *vcpu, struct vm_exit *exit)
{
	u64 val = (vcpu->regs.rax & 0xffffffff) | (vcpu->regs.rdx << 32);
	/* A PMU MSR write counts its own WRMSR, under the old settings. */
	int r = pmu_msr_write(vcpu, exit->msr, val);
	bool counted = r != -ENOENT;

	if (r == -ENOENT)
		r = msr_write(vcpu, exit->msr, val);
	if (r) {
		pr_guest_debug("vm %s: wrmsr %#x <- %#llx: #GP\n", vcpu->vm->name,
			 exit->msr, (unsigned long long)val);
		vcpu_inject_gp(vcpu);
		return EXIT_RESUME;
	}
	return counted ? vcpu_advance_rip(vcpu, exit) :
			 vcpu_skip_insn(vcpu, exit);
}
