/* sources: hv/console_text.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for how the shell's view of guest output shows bytes
 * (hv/console_text.c): nothing a guest writes may reach the terminal as a
 * control or escape sequence.
 */
#include "unit.h"
#include <hv/console_text.h>

/* The whole view of @n bytes, NUL-terminated. */
static const char *escape(const char *s, size_t n)
{
	static char out[1024];
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += console_escape_byte((u8)s[i], out + len);
	out[len] = '\0';
	return out;
}

static void test_printable_and_tab_pass(void **state)
{
	const char *s = "hello, [vm] \\e ^G ~\tend";

	(void)state;
	assert_string_equal(escape(s, strlen(s)), s);
}

static void test_escape_sequences_shown(void **state)
{
	/* A forged hypervisor line: erase the "[name] " prefix and print. */
	static const char forged[] = "\x1b[1G\x1b[2Kperfvisor> \x07";

	(void)state;
	assert_string_equal(escape(forged, sizeof(forged) - 1),
			    "\\e[1G\\e[2Kperfvisor> ^G");
	assert_string_equal(escape("\r\b\x00\x1f\x7f", 5), "^M^H^@^_^?");
}

static void test_high_bytes_in_hex(void **state)
{
	/* 0x9b is CSI for a terminal that takes 8-bit controls. */
	(void)state;
	assert_string_equal(escape("\x9b\x32\x4b\xff\x80", 5), "\\x9b2K\\xff\\x80");
}

static void test_every_byte_is_harmless(void **state)
{
	char out[CONSOLE_ESC_MAX + 1];

	(void)state;
	for (int c = 0; c < 256; c++) {
		size_t n = console_escape_byte((u8)c, out);

		assert_true(n >= 1 && n <= CONSOLE_ESC_MAX);
		for (size_t i = 0; i < n; i++)
			assert_true(out[i] == '\t' ||
				    (out[i] >= 0x20 && out[i] < 0x7f));
	}
}

static void test_key_names(void **state)
{
	char buf[8];

	(void)state;
	assert_string_equal(console_key_name(0x01, buf), "Ctrl-A");
	assert_string_equal(console_key_name(0x1d, buf), "Ctrl-]");
	assert_string_equal(console_key_name(0x1c, buf), "Ctrl-\\");
	assert_string_equal(console_key_name(0x00, buf), "Ctrl-@");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printable_and_tab_pass),
		cmocka_unit_test(test_escape_sequences_shown),
		cmocka_unit_test(test_high_bytes_in_hex),
		cmocka_unit_test(test_every_byte_is_harmless),
		cmocka_unit_test(test_key_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
