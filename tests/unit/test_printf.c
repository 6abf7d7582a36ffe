/* sources: hv/lib/printf.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hv_vsnprintf (hv/lib/printf.c): every supported
 * conversion is compared with the host libc's snprintf, plus the
 * truncation and return-value rules of ISO C 7.21.6.5.
 */
#include "unit.h"
#include <limits.h>
#include <hv/printf.h>

/* Compares hv_snprintf with libc for one format at several buffer sizes. */
#define SAME(...)                                                        \
	do {                                                             \
		char a_[256], b_[256];                                   \
		int na_ = hv_snprintf(a_, sizeof(a_), __VA_ARGS__);      \
		int nb_ = snprintf(b_, sizeof(b_), __VA_ARGS__);         \
		assert_string_equal(a_, b_);                             \
		assert_int_equal(na_, nb_);                              \
		for (size_t sz_ = 0; sz_ < 8; sz_++) {                   \
			memset(a_, 'Z', sizeof(a_));                     \
			memset(b_, 'Z', sizeof(b_));                     \
			na_ = hv_snprintf(a_, sz_, __VA_ARGS__);         \
			nb_ = snprintf(b_, sz_, __VA_ARGS__);            \
			assert_int_equal(na_, nb_);                      \
			assert_memory_equal(a_, b_, sz_ + 1);            \
		}                                                        \
	} while (0)

#define EXPECT(want, ...)                                                \
	do {                                                             \
		char a_[256];                                            \
		int na_ = hv_snprintf(a_, sizeof(a_), __VA_ARGS__);      \
		assert_string_equal(a_, want);                           \
		assert_int_equal(na_, (int)strlen(want));                \
	} while (0)

/* -Wformat would rightly complain about some deliberately odd formats. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat-overflow"

static void test_plain(void **state)
{
	(void)state;
	SAME("");
	SAME("hello, world");
	SAME("100%% sure");
	SAME("%%%%");
	SAME("%c%c%c", 'a', 'b', 'c');
	SAME("[%5c][%-5c]", 'x', 'y');
}

static void test_decimal(void **state)
{
	(void)state;
	SAME("%d %i %d %d", 0, 42, -42, INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%u %u", 0u, UINT_MAX);
	SAME("[%5d][%-5d][%05d][%+d][% d][%+ d]", 42, 42, 42, 42, 42, 42);
	SAME("[%5d][%-5d][%05d][%+d][% d]", -42, -42, -42, -42, -42);
	SAME("[%.3d][%.0d][%.0d][%5.0d][%-8.3d][%08.3d]", 7, 0, 1, 0, -7, 7);
	SAME("[%+.0d][% .0d][%+5.0d]", 0, 0, 0);
	SAME("[%*d][%-*d][%*d]", 6, 1, 6, 2, -6, 3);
	SAME("[%.*d][%.*d][%*.*d]", 4, 5, -1, 5, 7, 3, 9);
	SAME("[%010d][%-010d][%+010d]", -123, -123, 123);
}

static void test_lengths(void **state)
{
	(void)state;
	SAME("%hhd %hhu %hhd %hhu", 300, 300, -1, -1);
	SAME("%hd %hu %hd %hu", 70000, 70000, -2, -2);
	SAME("%ld %lu", LONG_MIN, ULONG_MAX);
	SAME("%lld %llu", LLONG_MIN, ULLONG_MAX);
	SAME("%lld %lld", LLONG_MAX, -1LL);
	SAME("%zu %zd %zx", (size_t)-1, (ssize_t)-5, (size_t)0xabc);
	SAME("%td %tu", (ptrdiff_t)-9, (ptrdiff_t)9);
	SAME("%jd %ju %jx", (intmax_t)INT64_MIN, (uintmax_t)UINT64_MAX,
	     (uintmax_t)0xdeadbeefcafeULL);
	SAME("%lx %llX %lo", 0xfedcba9876543210UL, 0x123456789abcdefULL,
	     01777777777777777777777UL);
	SAME("%hx %hhx %hho", 0x12345, 0x1234, 0777);
}

static void test_hex_octal(void **state)
{
	(void)state;
	SAME("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0755u);
	SAME("[%#x][%#X][%#o][%#x][%#o]", 255u, 255u, 8u, 0u, 0u);
	SAME("[%#10x][%-#10x][%#010x][%#.6x][%#010.6x]", 255u, 255u, 255u,
	     255u, 255u);
	SAME("[%#.0o][%#.0x][%#.3o][%#5o]", 0u, 0u, 8u, 8u);
	SAME("[%08x][%.8x][%8.4x][%-8.4X]", 0xabcu, 0xabcu, 0xabcu, 0xabcu);
	SAME("[%.0x][%5.0x]", 0u, 0u);
	SAME("%llx %llo", 0ULL, ULLONG_MAX);
}

static void test_unsigned_ignores_sign_flags(void **state)
{
	(void)state;
	/* ISO C: '+' and ' ' apply to signed conversions only. */
	SAME("[%+u][% u][%+x][% X][%+o][% 5u]", 5u, 5u, 0x1fu, 0x1fu, 7u, 3u);
}

static void test_strings(void **state)
{
	(void)state;
	SAME("[%s][%10s][%-10s][%.2s][%10.2s][%-10.2s]", "abc", "abc", "abc",
	     "abc", "abc", "abc");
	SAME("[%.0s][%.10s][%*s][%-*s][%.*s]", "abc", "abc", 5, "ab", 5, "ab",
	     1, "ab");
	SAME("[%s][%5s]", "", "");
	/* Precision bounds the read: no terminator needed. */
	{
		char unterminated[3] = { 'x', 'y', 'z' };

		EXPECT("[xy]", "[%.2s]", unterminated);
	}
	EXPECT("(null)", "%s", (char *)NULL);
}

static void test_pointer(void **state)
{
	void *p = (void *)0xffff800012345678ULL;

	(void)state;
	SAME("%p", p);
	SAME("[%20p][%-20p]", p, p);
	SAME("%p", (void *)1);
}

static void test_truncation(void **state)
{
	char buf[8];
	int n;

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	n = hv_snprintf(buf, 5, "%s-%d", "abcdef", 1234);
	assert_int_equal(n, 11);
	assert_string_equal(buf, "abcd");
	assert_int_equal(buf[5], 'Z');
	/* size 0: nothing written, buffer may be NULL. */
	n = hv_snprintf(NULL, 0, "%d", 123456);
	assert_int_equal(n, 6);
	memset(buf, 'Z', sizeof(buf));
	n = hv_snprintf(buf, 0, "abc");
	assert_int_equal(n, 3);
	assert_int_equal(buf[0], 'Z');
	/* size 1: just the terminator. */
	n = hv_snprintf(buf, 1, "abc");
	assert_int_equal(n, 3);
	assert_int_equal(buf[0], '\0');
	/* Exactly fitting, and one short. */
	n = hv_snprintf(buf, 4, "abc");
	assert_int_equal(n, 3);
	assert_string_equal(buf, "abc");
	n = hv_snprintf(buf, 3, "abc");
	assert_int_equal(n, 3);
	assert_string_equal(buf, "ab");
	/* Long padding is counted even when it does not fit. */
	n = hv_snprintf(buf, sizeof(buf), "%100d", 1);
	assert_int_equal(n, 100);
	assert_string_equal(buf, "       ");
}

static void test_odd_formats(void **state)
{
	(void)state;
	/* A lone '%' at the end and unknown conversions must not crash. */
	{
		char buf[16];
		int n = hv_snprintf(buf, sizeof(buf), "abc%");

		assert_true(n >= 3);
		assert_memory_equal(buf, "abc", 3);
		n = hv_snprintf(buf, sizeof(buf), "%y%d", 5);
		assert_true(n > 0);
	}
}

static void test_vsnprintf_va_list(void **state)
{
	(void)state;
	EXPECT("a=1 b=ff c=str d=-9223372036854775808",
	       "a=%d b=%x c=%s d=%lld", 1, 255u, "str", LLONG_MIN);
	EXPECT("0x0000001f", "%#010x", 0x1fu);
	EXPECT("-0000042", "%08d", -42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_hex_octal),
		cmocka_unit_test(test_unsigned_ignores_sign_flags),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_odd_formats),
		cmocka_unit_test(test_vsnprintf_va_list),
	};

	return cmocka_run_group_tests_name("printf", tests, NULL, NULL);
}
