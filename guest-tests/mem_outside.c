// SPDX-License-Identifier: GPL-2.0
/*
 * With `unclaimed_mmio = stop`, a write beyond the guest's RAM (its page
 * tables map 4 GiB, its RAM is 16 MiB) that no device claims stops this
 * guest only.
 * expect: crash
 * config: unclaimed_mmio = stop
 */
#include "gt.h"

void test_main(void)
{
	volatile u64 *p = (volatile u64 *)(u64)0x40000000;

	gt_puts("writing at 1 GiB, outside RAM\n");
	*p = 0xdeadbeef;
	gt_puts("FAIL: the write went through\n");
	gt_exit(1);
}
