// SPDX-License-Identifier: GPL-2.0
/*
 * HLT with interrupts disabled can never be woken: the hypervisor stops
 * this guest, says why, and the CPU goes on to other guests.
 * expect: crash
 */
#include "gt.h"

void test_main(void)
{
	EXPECT(hypercall(PV_HC_EXIT_COUNT, PV_EXIT_HLT, 0) == 0);
	gt_puts("halting with interrupts off\n");
	asm volatile("cli; hlt");
	/* Never reached: the VM is stopped at the HLT exit. */
	gt_puts("FAIL: resumed after cli; hlt\n");
	gt_exit(1);
}
