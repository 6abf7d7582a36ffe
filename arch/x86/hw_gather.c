// SPDX-License-Identifier: GPL-2.0
/*
 * The readiness report's record of this CPU (hv/hwcheck.h): the CPUID
 * leaves and MSRs arch/x86/hw_decode.c and pmu/rules.c read, taken raw.
 * MSRs are read with rdmsr_safe(): one that #GPs is left out, as the
 * decoder expects.
 */
#include <arch/x86/cpu.h>
#include <hv/hwcheck.h>
#include <hv/string.h>

static void leaf(struct hw_record *r, u32 max, u32 l, u32 sub)
{
	struct hw_cpuid_leaf e = { .leaf = l, .sub = sub };
	struct cpuid_regs c;

	if (l > max)
		return;
	cpuid_count(l, sub, &c);
	e.eax = c.eax;
	e.ebx = c.ebx;
	e.ecx = c.ecx;
	e.edx = c.edx;
	hw_record_cpuid(r, &e);
}

static void msr(struct hw_record *r, u32 index)
{
	u64 v;

	if (!rdmsr_safe(index, &v))
		hw_record_msr(r, index, v);
}

void hw_gather(struct hw_record *r, bool dmar, bool ivrs)
{
	static const u32 basic[] = { 0, 1, 6, 7, 0xa, 0x1a };
	static const u32 ext[] = { 0x80000000, 0x80000001, 0x80000002,
				   0x80000003, 0x80000004, 0x80000007,
				   0x80000008, 0x8000000a, 0x8000001e,
				   0x80000022 };
	struct cpuid_regs c;
	u32 max, max_ext;
	char vendor[13];
	bool intel;

	*r = (struct hw_record){ 0 };
	cpuid_count(0, 0, &c);
	max = c.eax;
	cpuid_count(0x80000000, 0, &c);
	max_ext = c.eax >= 0x80000000 ? c.eax : 0x80000000;
	for (u32 i = 0; i < ARRAY_SIZE(basic); i++)
		leaf(r, max, basic[i], 0);
	leaf(r, max, 0xb, 0);
	leaf(r, max, 0xb, 1);
	for (u32 i = 0; i < ARRAY_SIZE(ext); i++)
		leaf(r, max_ext, ext[i], 0);

	intel = !strcmp(cpu_vendor(vendor), "GenuineIntel");
	cpuid_count(1, 0, &c);
	if (intel) {
		u32 ecx1 = c.ecx;

		msr(r, HW_MSR_FEATURE_CONTROL);
		/*
		 * CPUID loads the revision into 8BH after a write of 0 (SDM
		 * vol. 3, "Determining the Signature of an Installed
		 * Microcode Update").
		 */
		if (!wrmsr_safe(HW_MSR_UCODE_REV, 0)) {
			cpuid_count(1, 0, &c);
			msr(r, HW_MSR_UCODE_REV);
		}
		if (ecx1 & BIT(5))
			for (u32 m = HW_MSR_VMX_FIRST; m <= HW_MSR_VMX_LAST; m++)
				msr(r, m);
		if (ecx1 & BIT(15))
			msr(r, HW_MSR_PERF_CAPS);
	} else {
		msr(r, HW_MSR_UCODE_REV);
		cpuid_count(0x80000001, 0, &c);
		if (max_ext >= 0x80000001 && (c.ecx & BIT(2)))
			msr(r, HW_MSR_VM_CR);
	}
	r->acpi_known = true;
	r->acpi_dmar = dmar;
	r->acpi_ivrs = ivrs;
}
