// SPDX-License-Identifier: GPL-2.0
/*
 * The xAPIC page of a local APIC that IA32_APIC_BASE disabled, or that is
 * in x2APIC mode, is not the APIC's any more (SDM vol. 3 11.4.3: as if
 * the processor had no APIC; 11.12.1.2: no MMIO interface in x2APIC
 * mode): like any unclaimed address of a PC, it reads all-ones and drops
 * writes. A software-disabled APIC (SVR bit 8 clear) keeps its page.
 */
#include "gt.h"

#define MSR_APIC_BASE 0x1b
#define XAPIC 0xfee00000UL
#define VER   0x030
#define TPR   0x080
#define SVR   0x0f0

static volatile u32 *reg(u32 off)
{
	return (volatile u32 *)(XAPIC + off);
}

void test_main(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);
	u8 b;

	/* Software-disabled: the registers still answer. */
	*reg(SVR) = 0xff;
	EXPECT_EQ(*reg(SVR), 0xff);
	EXPECT(*reg(VER) != 0xffffffff);

	/* Hardware-disabled. */
	wrmsr(MSR_APIC_BASE, base & ~(1ULL << 11));
	EXPECT_EQ(*reg(VER), 0xffffffff);
	EXPECT_EQ(*reg(SVR), 0xffffffff);
	asm volatile("movb (%1), %0" : "=q"(b) : "r"(reg(TPR)));
	EXPECT_EQ(b, 0xff);
	*reg(TPR) = 0x20;		/* dropped */
	EXPECT_EQ(*reg(TPR), 0xffffffff);

	/* Enabled again: the page is back, the write was not kept. */
	wrmsr(MSR_APIC_BASE, base);
	EXPECT_EQ(*reg(TPR), 0);
	EXPECT_EQ(*reg(SVR), 0xff);

	/* x2APIC mode: no MMIO interface. */
	wrmsr(MSR_APIC_BASE, base | (1ULL << 10));
	EXPECT_EQ(*reg(VER), 0xffffffff);
	EXPECT_EQ(rdmsr(0x80f), 0xff);	/* SVR through its MSR */
}
