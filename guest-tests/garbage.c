// SPDX-License-Identifier: GPL-2.0
/*
 * The guest executes garbage with no IDT: whatever it hits ends in a
 * triple fault or a bad access, which stops this guest only.
 * expect: crash
 */
#include "gt.h"

static u8 junk[4096] __aligned(4096);

void test_main(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed empty = { 0, 0 };
	u64 x = 0x9e3779b97f4a7c15ULL;

	for (unsigned i = 0; i < sizeof(junk); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		junk[i] = (u8)x;
	}
	gt_puts("jumping into pseudo-random bytes with no IDT\n");
	asm volatile("lidt %0" : : "m"(empty));
	((void (*)(void))junk)();
	gt_puts("FAIL: returned from garbage\n");
	gt_exit(1);
}
