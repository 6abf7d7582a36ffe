// SPDX-License-Identifier: GPL-2.0
/*
 * standalone: tests/console/test_isolation.py
 *
 * A guest in a reboot loop (`on_exit = restart`): every boot resets the
 * machine through port 0xcf9 at once. Its restarts must not stall the
 * console, and the hypervisor must stop the loop with a message.
 */
#include "gt.h"

void test_main(void)
{
	gt_printf("boot %lld: resetting\n",
		  (long long)hypercall(PV_HC_BOOT_COUNT, 0, 0));
	outb(0xcf9, 0x06);
	gt_printf("FAIL: no reset\n");
	gt_exit(1);
}
