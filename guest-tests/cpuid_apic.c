// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID.1:EDX.APIC (bit 9) follows IA32_APIC_BASE.EN: clear while the
 * local APIC is disabled there, set again once it is enabled (SDM vol. 3
 * 11.4.3: a disabled APIC is as if the processor had none).
 */
#include "gt.h"

#define MSR_APIC_BASE 0x1b
#define APIC_EN (1u << 11)

static bool apic_bit(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return d & (1u << 9);
}

void test_main(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	EXPECT(base & APIC_EN);
	EXPECT(apic_bit());
	wrmsr(MSR_APIC_BASE, base & ~(u64)APIC_EN);
	EXPECT(!apic_bit());
	wrmsr(MSR_APIC_BASE, base);
	EXPECT(apic_bit());
}
