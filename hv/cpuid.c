// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's CPUID: the host's values, filtered so that the guest is told
 * about nothing the hypervisor cannot back, with the vCPU's own topology
 * and the hypervisor leaves at 0x40000000.
 */
#include <arch/x86/cpu.h>
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
			r->ebx &= ~(BIT(2) | BIT(10));	/* SGX, INVPCID */
			r->ebx |= BIT(1);	/* IA32_TSC_ADJUST (hv/msr.c) */
			/* WAITPKG, LA57 (gmem walks 4 levels), SGX-LC */
			r->ecx &= ~(BIT(5) | BIT(16) | BIT(30));
			/* OSPKE: the guest's CR4.PKE (bit 22). */
			r->ecx &= ~BIT(4);
			if ((r->ecx & BIT(3)) && (guest_cr4(vcpu) & BIT(22)))
				r->ecx |= BIT(4);
		}
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
