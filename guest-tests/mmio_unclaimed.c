// SPDX-License-Identifier: GPL-2.0
/*
 * A guest-physical address outside RAM that no emulated device claims
 * behaves as on a PC: reads give all-ones at every width, writes vanish,
 * and the guest runs on (the default `unclaimed_mmio = ignore`; the
 * hypervisor logs the page once and counts the accesses).
 */
#include "gt.h"

void test_main(void)
{
	volatile u64 *q = (volatile u64 *)(u64)0x40000000;	/* 1 GiB */
	volatile u32 *d = (volatile u32 *)(u64)0x40001004;
	volatile u16 *w = (volatile u16 *)(u64)0xc0000002;	/* 3 GiB */
	volatile u8 *b = (volatile u8 *)(u64)0x40000007;
	u64 v;

	EXPECT_EQ(*q, ~0ULL);
	EXPECT_EQ(*d, 0xffffffff);
	EXPECT_EQ(*w, 0xffff);
	EXPECT_EQ(*b, 0xff);
	/* MOVZX / MOVSX of a byte. */
	asm volatile("movzbq (%1), %0" : "=r"(v) : "r"(b));
	EXPECT_EQ(v, 0xff);
	asm volatile("movsbq (%1), %0" : "=r"(v) : "r"(b));
	EXPECT_EQ(v, ~0ULL);
	*q = 0x1234;
	*d = 0;
	EXPECT_EQ(*q, ~0ULL);
	EXPECT_EQ(*d, 0xffffffff);
	EXPECT(hypercall(PV_HC_EXIT_COUNT, PV_EXIT_MEM_FAULT, 0) >= 10);
}
