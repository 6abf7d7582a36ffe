// SPDX-License-Identifier: GPL-2.0
/*
 * standalone: tests/console/test_isolation.py (with uart_neighbour)
 * config: meet = uart_isolation
 *
 * Writes its UART as fast as it can, without looking at the line status,
 * from before the neighbour's first line until after its last (they meet
 * at PV_HC_RENDEZVOUS: this guest reaches phase 2 after its first burst,
 * and floods until the neighbour, done, reaches 2 too): the hypervisor
 * must drop what it cannot send (and count it), never make another guest,
 * the log or the shell wait for this one.
 */
#include "gt.h"

#define COM1 0x3f8

static const char line[] = "flood flood flood flood flood flood flood flood\r\n";

void test_main(void)
{
	u64 bytes = 0;

	do {
		for (int k = 0; k < 16; k++)
			for (const char *p = line; *p; p++)
				outb(COM1, *p);
		bytes += 16 * (sizeof(line) - 1);
	} while (!gt_reached(2));
	gt_printf("flooded %llu bytes\n", (unsigned long long)bytes);
	EXPECT(bytes > 0);
}
