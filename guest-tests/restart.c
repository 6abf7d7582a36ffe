// SPDX-License-Identifier: GPL-2.0
/*
 * on_exit: restart
 *
 * A guest with `on_exit = restart` boots again after a reset and after a
 * triple fault. Boot 0 resets through port 0xcf9, boot 1 triple-faults,
 * boot 2 passes. Each boot checks the boot count (PV_HC_BOOT_COUNT) and
 * that RAM was zeroed: a marker written high in RAM must be gone.
 */
#include "gt.h"

#define MARKER_GPA 0xc00000ULL	/* 12 MiB: above the image, in 16 MiB RAM */
#define MARKER     0x7265737461727421ULL

static void triple_fault(void)
{
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) idtr = { 0, 0 };

	/* #BP cannot be delivered without an IDT: #GP, #DF, shutdown. */
	asm volatile("lidt %0; int3" : : "m"(idtr) : "memory");
}

void test_main(void)
{
	volatile u64 *marker = (volatile u64 *)MARKER_GPA;
	s64 boot = hypercall(PV_HC_BOOT_COUNT, 0, 0);

	gt_printf("boot %lld, marker %#llx\n", (long long)boot,
		  (unsigned long long)*marker);
	if (*marker != 0 || boot < 0 || boot > 2) {
		gt_printf("FAIL: RAM not cleared or wrong boot count\n");
		gt_exit(1);
	}
	*marker = MARKER;
	if (boot == 0) {
		outb(0xcf9, 0x06);		/* hard reset, CPU reset */
		gt_printf("FAIL: no reset\n");
		gt_exit(1);
	}
	if (boot == 1) {
		triple_fault();
		gt_printf("FAIL: no triple fault\n");
		gt_exit(1);
	}
	EXPECT_EQ(boot, 2);
}
