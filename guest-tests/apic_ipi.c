// SPDX-License-Identifier: GPL-2.0
/*
 * Local APIC interrupts to self, through the xAPIC page (MMIO emulation,
 * several instruction forms) and the x2APIC MSRs: ID and version, ICR
 * self IPIs, TPR blocking, ISR while in service, NMI by IPI, EOI, and
 * IA32_APIC_BASE disable and re-enable.
 */
#include "gt.h"

#define MSR_APIC_BASE 0x1b
#define XAPIC  0xfee00000UL
#define ID     0x020
#define VER    0x030
#define TPR    0x080
#define PPR    0x0a0
#define EOI    0x0b0
#define SVR    0x0f0
#define ISR    0x100
#define CMCI   0x2f0
#define ICR    0x300
#define ICR2   0x310

#define SELF   (1u << 18)
#define DM_NMI (4u << 8)

static volatile u32 count[256];
static volatile u32 isr_seen;
static volatile bool x2;

static volatile u32 *reg(u32 off)
{
	return (volatile u32 *)(XAPIC + off);
}

static void eoi(void)
{
	if (x2)
		wrmsr(0x80b, 0);
	else
		*reg(EOI) = 0;
}

static void irq(u8 vector)
{
	count[vector]++;
	/* In service while the handler runs (ISR word 2 = vectors 64-95). */
	isr_seen = x2 ? (u32)rdmsr(0x812) : *reg(ISR + 0x20);
	eoi();
}

static void nmi(u8 vector)
{
	count[vector]++;
}

static void settle(void)
{
	sti();
	for (int i = 0; i < 1000; i++)
		asm volatile("pause");
	cli();
}

void test_main(void)
{
	u32 v32;
	u64 v64;
	u8 v8;

	for (int v = 0x50; v < 0x60; v++)
		gt_set_irq_handler(v, irq);
	gt_set_irq_handler(2, nmi);

	/* xAPIC through MMIO: MOV, MOVZX, immediate stores. */
	EXPECT_EQ(*reg(ID), 0);
	/* AMD's APIC is version 10h, Intel's 14h (APM vol. 2 16.3.4). */
	asm volatile("movzbl (%1), %0" : "=r"(v32) : "r"(reg(VER)));
	EXPECT_EQ(v32, gt_amd ? 0x10 : 0x14);
	/*
	 * Max LVT entry 5: timer, thermal, PMC, LINT0, LINT1, error; no
	 * CMCI, as CPUID offers no machine check (SDM vol. 3 11.4.8).
	 */
	asm volatile("movb (%1), %0" : "=q"(v8) : "r"(reg(VER + 2)));
	EXPECT_EQ(v8, 5);
	*reg(CMCI) = 0x40;		/* reserved: dropped, reads 0 */
	EXPECT_EQ(*reg(CMCI), 0);
	asm volatile("movl $0x1ff, (%0)" : : "r"(reg(SVR)) : "memory");
	EXPECT_EQ(*reg(SVR), 0x1ff);
	*reg(TPR) = 0x20;
	EXPECT_EQ(*reg(TPR), 0x20);
	EXPECT_EQ(*reg(PPR), 0x20);
	*reg(TPR) = 0;

	/* Self IPI by ICR shorthand. */
	*reg(ICR) = SELF | 0x51;
	EXPECT_EQ(count[0x51], 0);	/* interrupts are off */
	settle();
	EXPECT_EQ(count[0x51], 1);
	EXPECT_EQ(isr_seen, 1u << (0x51 - 64));
	EXPECT_EQ(*reg(ISR + 0x20), 0);	/* EOI cleared it */

	/* Physical destination = own ID. */
	*reg(ICR2) = 0;
	*reg(ICR) = 0x52;
	settle();
	EXPECT_EQ(count[0x52], 1);

	/* TPR class 5 holds vector 0x53 back until it drops. */
	*reg(TPR) = 0x50;
	*reg(ICR) = SELF | 0x53;
	settle();
	EXPECT_EQ(count[0x53], 0);
	*reg(TPR) = 0;
	settle();
	EXPECT_EQ(count[0x53], 1);

	/* Two pending: the higher vector first. */
	*reg(ICR) = SELF | 0x54;
	*reg(ICR) = SELF | 0x5f;
	settle();
	EXPECT_EQ(count[0x54], 1);
	EXPECT_EQ(count[0x5f], 1);

	/* NMI to self: taken with interrupts off. */
	*reg(ICR) = SELF | DM_NMI;
	asm volatile("pause");
	EXPECT_EQ(count[2], 1);

	/* x2APIC mode. */
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1 << 10));
	x2 = true;
	EXPECT_EQ(rdmsr(0x802), 0);		/* x2APIC ID */
	EXPECT_EQ(*reg(SVR), 0xffffffff);	/* the page is gone */
	EXPECT_EQ(rdmsr(0x803) >> 16 & 0xff, 5);	/* version, max LVT */
	EXPECT_EQ(rdmsr_try(0x82f, &v64), 13);	/* no CMCI register */
	wrmsr(0x83f, 0x55);			/* SELF IPI register */
	settle();
	EXPECT_EQ(count[0x55], 1);
	wrmsr(0x830, SELF | 0x56);
	settle();
	EXPECT_EQ(count[0x56], 1);
	wrmsr(0x830, (0ULL << 32) | 0x57);	/* physical, ID 0 */
	settle();
	EXPECT_EQ(count[0x57], 1);

	/* Disable through IA32_APIC_BASE, then enable again in xAPIC mode. */
	wrmsr(MSR_APIC_BASE, 0xfee00000 | (1 << 8));
	x2 = false;
	EXPECT_EQ(rdmsr(MSR_APIC_BASE), 0xfee00000 | (1 << 8));
	wrmsr(MSR_APIC_BASE, 0xfee00000 | (1 << 8) | (1 << 11));
	EXPECT_EQ(*reg(SVR), 0xff);		/* reset state */
	*reg(SVR) = 0x1ff;
	*reg(ICR) = SELF | 0x58;
	settle();
	EXPECT_EQ(count[0x58], 1);
}
