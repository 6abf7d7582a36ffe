// SPDX-License-Identifier: GPL-2.0
/*
 * standalone: tests/perf/check.py (the exit-path regression check)
 *
 * A fixed mix of exits for the profile (`profile = on`, `prof VM`):
 * PERF_N CPUIDs of leaf 0, PERF_N reads of the UART's line status
 * register (port I/O, the 16550 a guest prints through) and PERF_N reads
 * of the xAPIC version register (MMIO emulation of the vLAPIC), in that
 * order and nothing else in between. Every round trip of a kind takes
 * the same path through the hypervisor, so on the PMU model its mean
 * instruction count is exact and repeatable.
 */
#include "gt.h"

#define PERF_N 2000
#define UART_LSR 0x3fd
#define XAPIC_VER ((volatile u32 *)0xfee00030UL)

void test_main(void)
{
	u32 a, b, c, d, lsr = 0, ver = 0;

	for (int i = 0; i < PERF_N; i++)
		cpuid(0, 0, &a, &b, &c, &d);
	for (int i = 0; i < PERF_N; i++)
		lsr |= inb(UART_LSR);
	for (int i = 0; i < PERF_N; i++)
		ver |= *XAPIC_VER;
	EXPECT(a >= 1);
	EXPECT(lsr & 0x20);		/* THR empty */
	EXPECT((ver & 0xff) != 0);
}
