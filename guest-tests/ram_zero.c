// SPDX-License-Identifier: GPL-2.0
/*
 * on_exit: restart
 * config: memory = 24M
 *
 * Guest RAM reads as zero wherever nothing was loaded (hv/ram_lazy.h:
 * each 2 MiB chunk is zeroed on first touch), also after a reboot that
 * follows a run which wrote all of it. Boot 0 checks every byte above its
 * image, up to the ACPI tables at the top, is zero, then fills all of it
 * with a pattern and resets through port 0xcf9; boot 1 checks it again.
 * A chunk handed back to the guest unzeroed fails boot 1.
 */
#include "gt.h"

#define RAM_END    (24ULL << 20)
#define ACPI_SIZE  0x2000	/* the hypervisor's tables at the top */
#define PATTERN    0x5a5aa5a5c3c33c3cULL

extern char gt_stack_top[];

static u64 first_nonzero(volatile u64 *p, volatile u64 *end)
{
	for (; p < end; p++)
		if (*p)
			return (u64)p;
	return 0;
}

void test_main(void)
{
	volatile u64 *start = (volatile u64 *)(((u64)gt_stack_top + 4095) &
					       ~4095ULL);
	volatile u64 *end = (volatile u64 *)(RAM_END - ACPI_SIZE);
	s64 boot = hypercall(PV_HC_BOOT_COUNT, 0, 0);
	u64 bad = first_nonzero(start, end);

	gt_printf("boot %lld: %llu KiB from %#llx checked\n", (long long)boot,
		  (unsigned long long)((u64)end - (u64)start) >> 10,
		  (unsigned long long)(u64)start);
	if (bad) {
		gt_printf("FAIL: boot %lld: RAM at %#llx is %#llx, not zero\n",
			  (long long)boot, (unsigned long long)bad,
			  (unsigned long long)*(volatile u64 *)bad);
		gt_exit(1);
	}
	if (boot == 0) {
		for (volatile u64 *p = start; p < end; p++)
			*p = PATTERN;
		outb(0xcf9, 0x06);		/* hard reset */
		gt_printf("FAIL: no reset\n");
		gt_exit(1);
	}
	EXPECT_EQ(boot, 1);
}
