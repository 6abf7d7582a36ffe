/* sources: hv/lib/string.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the hypervisor's memcpy and memset (hv/lib/string.c):
 * they split a long run into an unaligned head, 8-byte bulk and a tail,
 * so every destination alignment, source alignment and length around the
 * split points is checked byte for byte, with guard bytes on both sides.
 */
#include "unit.h"
#include <hv/string.h>

#define GUARD 16
#define MAXLEN 300
#define BUFSZ (GUARD + 8 + MAXLEN + GUARD)

static u8 src[BUFSZ], dst[BUFSZ], want[BUFSZ];

static void fill(u8 *b, u8 seed)
{
	for (int i = 0; i < BUFSZ; i++)
		b[i] = (u8)(seed + i * 7);
}

/* Lengths around the bulk threshold and each tail size. */
static bool interesting(size_t n)
{
	return n < 80 || (n % 8) == 0 || (n % 8) == 7 || n > MAXLEN - 10;
}

static void test_memset(void **state)
{
	(void)state;
	for (size_t off = 0; off < 8; off++) {
		for (size_t n = 0; n <= MAXLEN; n++) {
			u8 *d = dst + GUARD + off;

			if (!interesting(n))
				continue;
			fill(dst, 3);
			fill(want, 3);
			for (size_t i = 0; i < n; i++)
				want[GUARD + off + i] = 0xa5;
			assert_ptr_equal(memset(d, 0x1a5, n), d);
			assert_memory_equal(dst, want, BUFSZ);
		}
	}
}

static void test_memcpy(void **state)
{
	(void)state;
	fill(src, 101);
	for (size_t doff = 0; doff < 8; doff++) {
		for (size_t soff = 0; soff < 8; soff++) {
			for (size_t n = 0; n <= MAXLEN; n++) {
				u8 *d = dst + GUARD + doff;
				const u8 *s = src + GUARD + soff;

				if (!interesting(n))
					continue;
				fill(dst, 5);
				fill(want, 5);
				for (size_t i = 0; i < n; i++)
					want[GUARD + doff + i] = s[i];
				assert_ptr_equal(memcpy(d, s, n), d);
				assert_memory_equal(dst, want, BUFSZ);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memset),
		cmocka_unit_test(test_memcpy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
