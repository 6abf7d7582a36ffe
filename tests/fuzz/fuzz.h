/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Common parts of the libFuzzer harnesses (tests/fuzz/fuzz_*.c). Like the
 * unit tests they compile hypervisor sources on the host and get libc's
 * memcpy and friends, so that ASan sees every access; libc's <string.h> is
 * not included (<hv/errno.h> declares its own strerror()).
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <hv/types.h>
#include <hv/errno.h>
#include <hv/string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * On the harnesses' own functions: only the code under test feeds
 * coverage to libFuzzer (the checks would add features of their own) and
 * the checks run at full speed.
 */
#define FUZZ_NOCOV __attribute__((no_sanitize("coverage")))

/* A property of the code under test that does not hold: a crash. */
#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "%s:%d: check failed: %s\n",     \
				__FILE__, __LINE__, #cond);              \
			abort();                                         \
		}                                                        \
	} while (0)

/*
 * Memory handed to the code under test (guest RAM, firmware tables):
 * every fuzz_map() gets a buffer of exactly @len addressable bytes, so
 * ASan reports any access past what was asked for. Its contents are
 * undefined. NULL if @len is above FUZZ_MAP_MAX or the arena is used up
 * (the caller's "not mapped"). fuzz_unmap_all() takes them all back.
 */
#define FUZZ_MAP_MAX (4u << 20)
void *fuzz_map(u64 len);
void fuzz_unmap_all(void);

/* [a, a + as) and [b, b + bs) intersect. */
static inline bool fuzz_overlaps(u64 a, u64 as, u64 b, u64 bs)
{
	if (!as || !bs)
		return false;
	return a < b ? b - a < as : a - b < bs;
}

#endif /* TESTS_FUZZ_FUZZ_H */
