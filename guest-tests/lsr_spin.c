// SPDX-License-Identifier: GPL-2.0
/*
 * standalone: tests/console/test_quiet_stop.py
 *
 * Spins forever on the UART's line status register: a tight `in al, dx`
 * loop on port 0x3fd, every iteration a quiet exit (hv/exit.h EXIT_QUIET:
 * the next entry follows at once, without the loop's interrupt and VM
 * state work). The console's `stop`, `reset` and `start` must still get
 * it off its CPU and boot it again; the boot count says which boot this is.
 */
#include "gt.h"

void test_main(void)
{
	gt_printf("lsr spin: boot %lld\n",
		  (long long)hypercall(PV_HC_BOOT_COUNT, 0, 0));
	asm volatile("mov $0x3fd, %%edx\n"
		     "1: in %%dx, %%al\n"
		     "jmp 1b" ::: "rax", "rdx", "memory");
}
