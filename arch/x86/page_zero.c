// SPDX-License-Identifier: GPL-2.0
/*
 * Zeroing whole pages: guest RAM (hundreds of MiB at creation and at
 * every reset) and the hypervisor's own page allocations.
 *
 * REP STOSQ: with ERMSB (CPUID.7.0:EBX[9]) hardware runs REP STOS at the
 * speed of the widest stores, and under an emulator, which runs a REP loop
 * once per element, eight bytes per element is what counts. Measured under
 * QEMU 10.0 TCG on 512 MiB: REP STOSB 2.0 s, MOVNTDQ x4 per 64 bytes
 * 1.8 s, REP STOSQ 1.2 s. SSE would also need XMM0 saved where a guest's
 * state may still be in it.
 */
#include <arch/x86/cpu.h>

void zero_pages(void *p, u64 size)
{
	u64 n = (size & ~(PAGE_SIZE - 1)) / 8;

	asm volatile("rep stosq" : "+D"(p), "+c"(n) : "a"(0ULL) : "memory");
}
