// SPDX-License-Identifier: GPL-2.0
/*
 * WBINVD and INVD exit on both backends and retire as no-ops: a guest
 * looping on them must not flush the caches other guests share. Each is
 * run a number of times; every one is counted as an exit of its kind, and
 * the guest carries on with its memory intact.
 * Catches: WBINVD running natively (no exit counted), INVD executed
 * (a store just before it lost), either not retired (the guest loops).
 */
#include "gt.h"

#define N 50

static volatile u64 cell;

void test_main(void)
{
	s64 wb = hypercall(PV_HC_EXIT_COUNT, PV_EXIT_WBINVD, 0);
	s64 inv = hypercall(PV_HC_EXIT_COUNT, PV_EXIT_INVD, 0);

	for (u32 i = 0; i < N; i++)
		asm volatile("wbinvd" ::: "memory");
	EXPECT_EQ(hypercall(PV_HC_EXIT_COUNT, PV_EXIT_WBINVD, 0) - wb, N);
	for (u32 i = 0; i < N; i++) {
		cell = i + 1;
		asm volatile("invd" ::: "memory");
		if (cell != i + 1)
			break;
	}
	EXPECT_EQ(cell, N);
	EXPECT_EQ(hypercall(PV_HC_EXIT_COUNT, PV_EXIT_INVD, 0) - inv, N);
}
