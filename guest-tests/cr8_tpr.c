// SPDX-License-Identifier: GPL-2.0
/*
 * CR8 is the local APIC's TPR (SDM vol. 3 11.8.6): MOV to CR8 sets
 * TPR[7:4] (TPR[3:0] = 0) and shows in the xAPIC TPR register; a TPR
 * write shows in CR8. A pending interrupt whose priority class is at
 * most CR8 is held back and arrives as soon as a MOV to CR8 lowers it.
 */
#include "gt.h"

#define XAPIC 0xfee00000UL
#define TPR   0x080
#define PPR   0x0a0
#define EOI   0x0b0
#define SVR   0x0f0
#define ICR   0x300
#define SELF  (1u << 18)

static volatile u32 hits;

static volatile u32 *reg(u32 off)
{
	return (volatile u32 *)(XAPIC + off);
}

static void irq(u8 vector)
{
	(void)vector;
	hits++;
	*reg(EOI) = 0;
}

static u64 read_cr8(void)
{
	u64 v;

	asm volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

static void write_cr8(u64 v)
{
	asm volatile("mov %0, %%cr8" : : "r"(v) : "memory");
}

void test_main(void)
{
	u32 seen;

	gt_set_irq_handler(0x55, irq);
	*reg(SVR) = 0x1ff;

	write_cr8(5);
	EXPECT_EQ(read_cr8(), 5);
	EXPECT_EQ(*reg(TPR), 0x50);
	EXPECT_EQ(*reg(PPR), 0x50);
	*reg(TPR) = 0x8f;
	EXPECT_EQ(read_cr8(), 8);
	write_cr8(0);
	EXPECT_EQ(*reg(TPR), 0);

	/* Class 5 pending under CR8 = 5: held back, even with IF set. */
	write_cr8(5);
	*reg(ICR) = SELF | 0x55;
	sti();
	for (int i = 0; i < 1000; i++)
		asm volatile("pause");
	EXPECT_EQ(hits, 0);
	/* CR8 = 4 lets it in at the next instruction boundary. */
	asm volatile("mov %1, %%cr8\n\t"
		     "nop\n\t"
		     "movl %2, %0"
		     : "=r"(seen) : "r"(4ULL), "m"(hits) : "memory");
	cli();
	EXPECT_EQ(seen, 1);
	EXPECT_EQ(hits, 1);
	write_cr8(0);
}
