// SPDX-License-Identifier: GPL-2.0
/*
 * standalone: tests/console/test_isolation.py (with uart_neighbour)
 *
 * Writes its UART as fast as it can, without looking at the line status,
 * from the moment another guest runs until none does: the hypervisor must
 * drop what it cannot send (and count it), never make another guest, the
 * log or the shell wait for this one.
 */
#include "gt.h"

#define COM1 0x3f8

static const char line[] = "flood flood flood flood flood flood flood flood\r\n";

void test_main(void)
{
	u64 bytes = 0;

	while (hypercall(PV_HC_RUNNING_VMS, 0, 0) < 2)
		;
	while (hypercall(PV_HC_RUNNING_VMS, 0, 0) >= 2) {
		for (int k = 0; k < 16; k++)
			for (const char *p = line; *p; p++)
				outb(COM1, *p);
		bytes += 16 * (sizeof(line) - 1);
	}
	gt_printf("flooded %llu bytes\n", (unsigned long long)bytes);
	EXPECT(bytes > 0);
}
