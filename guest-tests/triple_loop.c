// SPDX-License-Identifier: GPL-2.0
/*
 * on_exit: restart
 *
 * A guest that triple-faults at once, boot after boot (on_exit = restart):
 * every crash restarts it from a clean state, nothing accumulates, and
 * the hypervisor and the other guests carry on. Boots 0-7 triple-fault;
 * boot 8 checks it got there and passes (10 restarts in a row would be a
 * restart loop, which hv/vm_reset.c stops).
 * Catches: a restart that leaks memory or state per round, or a crash
 * loop that stalls the boot CPU's console loop or another guest.
 */
#include "gt.h"

#define ROUNDS 8

void test_main(void)
{
	s64 boot = hypercall(PV_HC_BOOT_COUNT, 0, 0);
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) idtr = { 0, 0 };

	if (boot < ROUNDS) {
		/* #BP cannot be delivered without an IDT: #GP, #DF, shutdown. */
		asm volatile("lidt %0; int3" : : "m"(idtr) : "memory");
		gt_printf("FAIL: no triple fault\n");
		gt_exit(1);
	}
	EXPECT_EQ(boot, ROUNDS);
}
