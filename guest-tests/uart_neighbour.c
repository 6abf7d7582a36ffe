// SPDX-License-Identifier: GPL-2.0
/*
 * standalone: tests/console/test_isolation.py (with uart_flood)
 * config: meet = uart_isolation
 *
 * The neighbour of a guest that floods its UART: it writes numbered
 * lines, each waiting for its own UART's THR empty as a driver does, while
 * the flooding guest runs from before the first line to after the last
 * (phase 1: the flood is on; phase 2: this guest is done, the flood
 * ends). Every line must reach the console, and the guest must finish
 * even while nobody reads the physical port: its output waits in its own
 * ring.
 */
#include "gt.h"

#define LINES 200

void test_main(void)
{
	gt_rendezvous(1);
	for (int i = 0; i < LINES; i++)
		gt_printf("neighbour line %02d of %d\n", i, LINES);
	/* The flooding guest runs until we reach phase 2: it counts. */
	EXPECT(hypercall(PV_HC_RUNNING_VMS, 0, 0) >= 2);
	gt_reached(2);
}
