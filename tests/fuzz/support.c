// SPDX-License-Identifier: GPL-2.0
/*
 * Shared helpers of the fuzz harnesses (see fuzz.h).
 *
 * fuzz_map() carves its buffers from one arena that stays mapped between
 * executions (a fresh malloc() of megabytes per execution costs page
 * faults, most of the time) and tells ASan which bytes are addressable:
 * exactly the @len asked for, with a poisoned gap after each buffer.
 */
#include "fuzz.h"
#include <sanitizer/asan_interface.h>

#define ARENA_SIZE	(64u << 20)
#define GAP		64

static u8 *arena;
static size_t used;

FUZZ_NOCOV
void *fuzz_map(u64 len)
{
	u8 *p;

	if (!arena) {
		arena = malloc(ARENA_SIZE);
		CHECK(arena);
		ASAN_POISON_MEMORY_REGION(arena, ARENA_SIZE);
	}
	if (len > FUZZ_MAP_MAX || len + GAP > ARENA_SIZE - used)
		return NULL;
	p = arena + used;
	used += (len + GAP + 7) & ~7ull;
	ASAN_UNPOISON_MEMORY_REGION(p, len);
	return p;
}

FUZZ_NOCOV
void fuzz_unmap_all(void)
{
	if (arena)
		ASAN_POISON_MEMORY_REGION(arena, used);
	used = 0;
}
