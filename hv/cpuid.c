// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's CPUID: the host's values, filtered so that the guest is told
 * about nothing the hypervisor cannot back, with the vCPU's own topology
 * and the hypervisor leaves at 0x40000000.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/xstate.h>
#include <hv/abi.h>
#include <hv/cpuid.h>
#include <hv/handlers.h>
#include <hv/time.h>
#include <hv/vcpu.h>
#include <hv/virt.h>
#include <pmu/pmu.h>

/*
 * CPUID.1 ECX bits withheld: hardware virtualization (bit 5), SMX,
 * MONITOR, PDCM: no nested virtualization, nothing the guest cannot use.
 */
#define HIDE_1_ECX (BIT(3) | BIT(5) | BIT(6) | BIT(15))
/* CPUID.1 ECX bits the virtual local APIC backs: x2APIC, TSC-deadline. */
#define SHOW_1_ECX (BIT(21) | BIT(24))
/* CPUID.1 EDX: MCE and MCA (no machine-check MSRs), ACPI thermal, PBE, TM. */
#define HIDE_1_EDX (BIT(7) | BIT(14) | BIT(22) | BIT(29) | BIT(31))
/*
 * APIC (hv/vlapic.c): set while IA32_APIC_BASE.EN is, as hardware does
 * (SDM vol. 3 11.4.3; CPUID.1:EDX[9] "APIC On-Chip").
 */
#define SHOW_1_EDX BIT(9)
/*
 * CPUID.8000_0001 ECX: hardware virtualization (bit 2), extended APIC,
 * TopologyExtensions (leaf 8000_001Eh is not offered), PerfCtrNB/L2 (the
 * mediated PMU offers core counters only; PerfCtrExtCore is pmu/'s), MWAITX.
 */
/*
 * CPUID.7.0 EDX: MSRs no guest gets (#GP): L1D_FLUSH (IA32_FLUSH_CMD),
 * IA32_ARCH_CAPABILITIES, IA32_CORE_CAPABILITIES. SPEC_CTRL and PRED_CMD
 * are passed through where the CPU has them (arch/x86/xstate.c).
 */
#define HIDE_7_EDX (BIT(28) | BIT(29) | BIT(30))
#define HIDE_81_ECX (BIT(2) | BIT(3) | BIT(22) | BIT(24) | BIT(28) | BIT(29))

/*
 * Topology: one package whose cores are the guest's vCPUs, one thread each,
 * APIC ID = vCPU index. Operating systems then treat the vCPUs as siblings
 * (e.g. Linux copies the boot CPU's delay calibration instead of redoing
 * it on every CPU). Returns the APIC ID bits the cores need.
 */
static u32 core_bits(const struct vcpu *vcpu)
{
	u32 bits = 0;

	while ((1u << bits) < vcpu->vm->nr_vcpus)
		bits++;
	return bits;
}

static void leaf_hypervisor(u32 leaf, struct cpuid_regs *r)
{
	r->eax = r->ebx = r->ecx = r->edx = 0;
	switch (leaf) {
	case PV_CPUID_BASE:
		r->eax = PV_CPUID_MAX;
		r->ebx = PV_SIG_EBX;
		r->ecx = PV_SIG_ECX;
		r->edx = PV_SIG_EDX;
		break;
	case PV_CPUID_FEATURES:
		r->eax = PV_FEAT_HYPERCALL;
		break;
	case PV_CPUID_TIMING:
		r->eax = (u32)(tsc_hz / 1000);
		r->ebx = 1000000;	/* virtual APIC bus: 1 GHz */
		break;
	}
}

/*
 * XSAVE (SDM vol. 1 13.2): only the components a guest may enable
 * (xstate_mask, arch/x86/xstate.h). Sub-leaf 0 EBX is the hardware's, for
 * the guest's XCR0, which is loaded while its exits are handled.
 * Supervisor components are not offered: no XSAVES, no XFD, no XSS bits.
 */
static void leaf_xsave(u32 sub, struct cpuid_regs *r)
{
	if (!xstate_mask) {
		r->eax = r->ebx = r->ecx = r->edx = 0;
	} else if (sub == 0) {
		r->eax &= (u32)xstate_mask;
		r->edx &= (u32)(xstate_mask >> 32);
		r->ecx = xstate_size;
	} else if (sub == 1) {
		r->eax &= ~(BIT(3) | BIT(4));	/* XSAVES/XRSTORS, XFD */
		r->ecx = r->edx = 0;
	} else if (sub >= 64 || !(xstate_mask & BIT(sub))) {
		r->eax = r->ebx = r->ecx = r->edx = 0;
	}
}

/* The guest's CR4, for the CPUID bits that mirror it (OSXSAVE, OSPKE). */
static u64 guest_cr4(struct vcpu *vcpu)
{
	struct vcpu_sregs s;

	virt->get_sregs(vcpu, &s);
	return s.cr4;
}

void cpuid_policy(struct vcpu *vcpu, u32 leaf, u32 sub, struct cpuid_regs *r)
{
	if (leaf >= 0x40000000 && leaf <= 0x4fffffff) {
		leaf_hypervisor(leaf, r);
		return;
	}
	cpuid_count(leaf, sub, r);
	switch (leaf) {
	case 0x0:
		/* IA32_MISC_ENABLE.22 "limit CPUID maxval" (SDM vol. 4 2-2). */
		if ((vcpu->msr_misc_enable & BIT(22)) && r->eax > 2)
			r->eax = 2;
		break;
	case 0x1:
		r->ecx &= ~HIDE_1_ECX;
		r->ecx |= BIT(31) | SHOW_1_ECX;	/* BIT(31): hypervisor */
		r->edx &= ~(HIDE_1_EDX | SHOW_1_EDX);
		if (vlapic_hw_enabled(&vcpu->lapic))
			r->edx |= SHOW_1_EDX;
		/* APIC ID = vCPU index; the package's ID space (see topology). */
		r->ebx = (r->ebx & 0x0000ffff) |
			 ((1u << core_bits(vcpu)) << 16) | (vcpu->id << 24);
		r->edx &= ~BIT(28);		/* HTT: more than one CPU */
		if (vcpu->vm->nr_vcpus > 1)
			r->edx |= BIT(28);
		/* OSXSAVE: the guest's CR4.OSXSAVE, not the host's. */
		r->ecx &= ~BIT(27);
		if ((r->ecx & BIT(26)) && (guest_cr4(vcpu) & X86_CR4_OSXSAVE))
			r->ecx |= BIT(27);
		break;
	case 0x6:	/* thermal and power */
		r->eax = r->ebx = r->ecx = r->edx = 0;
		/* ARAT: the virtual APIC timer runs in every C-state. */
		r->eax = BIT(2);
		break;
	case 0x5:	/* MONITOR/MWAIT */
		r->eax = r->ebx = r->ecx = r->edx = 0;
		break;
	case 0x7:
		if (sub == 0) {
			/* SGX, INVPCID, MPX (no BNDCFGS; not in XCR0) */
			r->ebx &= ~(BIT(2) | BIT(10) | BIT(14));
			r->ebx |= BIT(1);	/* IA32_TSC_ADJUST (hv/msr.c) */
			/* AMX-BF16, AMX-TILE, AMX-INT8: not in XCR0 */
			r->edx &= ~(BIT(22) | BIT(24) | BIT(25));
			r->edx &= ~HIDE_7_EDX;
			if (!xstate_spec_ctrl)	/* IBRS/IBPB, STIBP, SSBD */
				r->edx &= ~(BIT(26) | BIT(27) | BIT(31));
			/* WAITPKG, LA57 (gmem walks 4 levels), SGX-LC */
			r->ecx &= ~(BIT(5) | BIT(16) | BIT(30));
			/* OSPKE: the guest's CR4.PKE (bit 22). */
			r->ecx &= ~BIT(4);
			if ((r->ecx & BIT(3)) && (guest_cr4(vcpu) & BIT(22)))
				r->ecx |= BIT(4);
		} else if (sub == 1) {
			r->eax &= ~BIT(21);		/* AMX-FP16 */
			r->edx &= ~(BIT(8) | BIT(21));	/* AMX-COMPLEX, APX */
		}
		break;
	case 0xd:
		leaf_xsave(sub, r);
		break;
	case 0xb:
	case 0x1f:
		/*
		 * Extended topology (SDM vol. 2 CPUID leaf 0BH): level 0 is
		 * SMT with one thread, level 1 the cores of the one package.
		 */
		r->edx = vcpu->id;
		if (sub == 0) {
			r->eax = 0;
			r->ebx = 1;
			r->ecx = (1 << 8) | sub;	/* SMT */
		} else if (sub == 1) {
			r->eax = core_bits(vcpu);
			r->ebx = vcpu->vm->nr_vcpus;
			r->ecx = (2 << 8) | sub;	/* core */
		} else {
			r->eax = r->ebx = 0;
			r->ecx = sub;			/* invalid level */
		}
		break;
	case 0x80000007:
		/* The TSC passes through at a constant rate: invariant. */
		r->edx |= BIT(8);
		break;
	case 0x80000008:
		/* Cores per package and the APIC ID bits for them (APM E.4.7). */
		r->ecx = (r->ecx & ~0xf0ffULL) | (core_bits(vcpu) << 12) |
			 (vcpu->vm->nr_vcpus - 1);
		r->ebx &= ~BIT(25);	/* VIRT_SSBD: no VIRT_SPEC_CTRL MSR */
		if (!xstate_spec_ctrl)	/* IBRS, STIBP, SSBD */
			r->ebx &= ~(BIT(14) | BIT(15) | BIT(24));
		if (!xstate_ibpb)
			r->ebx &= ~BIT(12);
		break;
	case 0x8000001e:	/* extended APIC/core IDs: not offered */
		r->eax = r->ebx = r->ecx = r->edx = 0;
		break;
	case 0x80000001:
		r->ecx &= ~HIDE_81_ECX;
		break;
	case 0x8000000a:	/* virtualization features: none offered */
		r->eax = r->ebx = r->ecx = r->edx = 0;
		break;
	}
	/* The PMU leaves and bits: 1 (PDCM), 0AH, 8000_0001h, 8000_0022h. */
	pmu_cpuid(vcpu, leaf, sub, r);
}

/* CR4 bit, and the CPUID leaf/subleaf, register and bit that offers it. */
static const struct {
	u8 cr4_bit;
	u8 leaf, sub, reg, bit;		/* reg: 0 EAX, 1 EBX, 2 ECX, 3 EDX */
} cr4_features[] = {
	{ 0, 1, 0, 3, 1 },	/* VME: VME */
	{ 1, 1, 0, 3, 1 },	/* PVI: VME */
	{ 2, 1, 0, 3, 4 },	/* TSD: TSC */
	{ 3, 1, 0, 3, 2 },	/* DE */
	{ 4, 1, 0, 3, 3 },	/* PSE */
	{ 5, 1, 0, 3, 6 },	/* PAE */
	{ 6, 1, 0, 3, 7 },	/* MCE */
	{ 7, 1, 0, 3, 13 },	/* PGE */
	{ 9, 1, 0, 3, 24 },	/* OSFXSR: FXSR */
	{ 10, 1, 0, 3, 25 },	/* OSXMMEXCPT: SSE */
	{ 11, 7, 0, 2, 2 },	/* UMIP */
	{ 12, 7, 0, 2, 16 },	/* LA57 */
	{ 13, 1, 0, 2, 5 },	/* VMXE: VMX */
	{ 14, 1, 0, 2, 6 },	/* SMXE: SMX */
	{ 16, 7, 0, 1, 0 },	/* FSGSBASE */
	{ 17, 1, 0, 2, 17 },	/* PCIDE: PCID */
	{ 18, 1, 0, 2, 26 },	/* OSXSAVE: XSAVE */
	{ 19, 7, 0, 2, 23 },	/* KL */
	{ 20, 7, 0, 1, 7 },	/* SMEP */
	{ 21, 7, 0, 1, 20 },	/* SMAP */
	{ 22, 7, 0, 2, 3 },	/* PKE: PKU */
	{ 23, 7, 0, 2, 7 },	/* CET: CET_SS */
	{ 24, 7, 0, 2, 31 },	/* PKS */
	{ 25, 7, 0, 3, 5 },	/* UINTR */
	{ 28, 7, 1, 0, 26 },	/* LAM_SUP: LAM */
	{ 32, 7, 1, 0, 17 },	/* FRED */
};

/*
 * A CR4 bit is the guest's to set only if CPUID offers it the feature
 * (SDM vol. 3 2.5: otherwise it is reserved); PCE needs none.
 */
u64 cpuid_cr4_allowed(struct vcpu *vcpu)
{
	u32 max = cpuid_eax(0);
	u64 allowed = X86_CR4_PCE;

	for (u32 i = 0; i < ARRAY_SIZE(cr4_features); i++) {
		struct cpuid_regs r;
		u32 regs[4];

		if (cr4_features[i].leaf > max)
			continue;
		cpuid_policy(vcpu, cr4_features[i].leaf, cr4_features[i].sub,
			     &r);
		regs[0] = r.eax;
		regs[1] = r.ebx;
		regs[2] = r.ecx;
		regs[3] = r.edx;
		if (cr4_features[i].leaf == 7 && cr4_features[i].sub == 1) {
			struct cpuid_regs l7;

			cpuid_policy(vcpu, 7, 0, &l7);
			if (l7.eax < 1)
				continue;
		}
		if (regs[cr4_features[i].reg] & BIT(cr4_features[i].bit))
			allowed |= BIT(cr4_features[i].cr4_bit);
	}
	return allowed;
}

int handle_cpuid(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct cpuid_regs r;

	cpuid_policy(vcpu, (u32)vcpu->regs.rax, (u32)vcpu->regs.rcx, &r);
	vcpu->regs.rax = r.eax;
	vcpu->regs.rbx = r.ebx;
	vcpu->regs.rcx = r.ecx;
	vcpu->regs.rdx = r.edx;
	return vcpu_skip_insn(vcpu, exit);
}
