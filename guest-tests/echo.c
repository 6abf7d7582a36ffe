// SPDX-License-Identifier: GPL-2.0
/*
 * standalone: tests/console/test_quiet_stop.py
 *
 * Answers each line typed at its UART with "echo: got 'LINE'": a
 * neighbour whose replies show it still runs while another guest is
 * stopped, reset and started. It polls LSR for received data (quiet
 * exits, too) and reads RBR (not quiet).
 */
#include "gt.h"

#define COM1     0x3f8
#define UART_LSR (COM1 + 5)
#define LSR_DR   0x01

void test_main(void)
{
	char line[64];
	u32 n = 0;

	gt_printf("echo: ready, boot %lld\n",
		  (long long)hypercall(PV_HC_BOOT_COUNT, 0, 0));
	for (;;) {
		char c;

		while (!(inb(UART_LSR) & LSR_DR))
			;
		c = (char)inb(COM1);
		if (c == '\r' || c == '\n') {
			line[n] = '\0';
			if (n)
				gt_printf("echo: got '%s'\n", line);
			n = 0;
		} else if (n < sizeof(line) - 1) {
			line[n++] = c;
		}
	}
}
