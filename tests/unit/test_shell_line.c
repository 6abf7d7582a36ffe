/* sources: hv/shell_line.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the shell's command line (hv/shell_line.c): line editing,
 * splitting into words, numbers.
 */
#include "unit.h"
#include <hv/shell_line.h>

static int split(const char *text, char **argv, int max, char *buf)
{
	strlcpy(buf, text, SHELL_LINE_MAX);
	return shell_split(buf, argv, max);
}

static void test_split_words(void **state)
{
	char buf[SHELL_LINE_MAX], *argv[SHELL_MAX_ARGS];

	(void)state;
	assert_int_equal(split("", argv, SHELL_MAX_ARGS, buf), 0);
	assert_int_equal(split(" \t ", argv, SHELL_MAX_ARGS, buf), 0);
	assert_int_equal(split("vms", argv, SHELL_MAX_ARGS, buf), 1);
	assert_string_equal(argv[0], "vms");
	assert_int_equal(split("\t pmu  linux0\t1 ", argv, SHELL_MAX_ARGS,
			       buf), 3);
	assert_string_equal(argv[0], "pmu");
	assert_string_equal(argv[1], "linux0");
	assert_string_equal(argv[2], "1");
}

/*
 * More words than argv has room for: an error, never a last word that
 * holds the rest of the line with its spaces (hv/shell.c did that before:
 * "a b c d e f g h i j" gave argv[7] = "h i j"; tests/fuzz/fuzz_shell.c
 * checks that no word has a space).
 */
static void test_split_too_many(void **state)
{
	char buf[SHELL_LINE_MAX], *argv[SHELL_MAX_ARGS];

	(void)state;
	assert_int_equal(split("a b c d e f g h", argv, SHELL_MAX_ARGS, buf),
			 8);
	assert_string_equal(argv[7], "h");
	assert_int_equal(split("a b c d e f g h  ", argv, SHELL_MAX_ARGS, buf),
			 8);
	assert_string_equal(argv[7], "h");
	assert_int_equal(split("a b c d e f g h i j", argv, SHELL_MAX_ARGS,
			       buf), -E2BIG);
	assert_int_equal(split("a b", argv, 1, buf), -E2BIG);
	assert_int_equal(split("a", argv, 0, buf), -E2BIG);
	assert_int_equal(split(" ", argv, 0, buf), 0);
}

static enum shell_key key(struct shell_line *l, char c, u32 *erased)
{
	return shell_line_key(l, c, erased);
}

static void test_line_editing(void **state)
{
	struct shell_line l = { 0 };
	u32 erased;

	(void)state;
	assert_int_equal(key(&l, 'v', &erased), SHELL_KEY_ECHO);
	assert_int_equal(key(&l, 'x', &erased), SHELL_KEY_ECHO);
	assert_int_equal(key(&l, 0x7f, &erased), SHELL_KEY_ERASE);
	assert_int_equal(erased, 1);
	assert_int_equal(key(&l, 'm', &erased), SHELL_KEY_ECHO);
	assert_int_equal(key(&l, 0x01, &erased), SHELL_KEY_IGNORED);
	assert_int_equal(key(&l, '\x1b', &erased), SHELL_KEY_IGNORED);
	assert_int_equal(key(&l, 's', &erased), SHELL_KEY_ECHO);
	assert_int_equal(key(&l, '\r', &erased), SHELL_KEY_ENTER);
	assert_string_equal(l.buf, "vms");
	shell_line_clear(&l);
	assert_int_equal(key(&l, '\b', &erased), SHELL_KEY_IGNORED);
	assert_int_equal(erased, 0);
	assert_int_equal(key(&l, 'a', &erased), SHELL_KEY_ECHO);
	assert_int_equal(key(&l, 'b', &erased), SHELL_KEY_ECHO);
	assert_int_equal(key(&l, 0x15, &erased), SHELL_KEY_ERASE);
	assert_int_equal(erased, 2);
	assert_int_equal(key(&l, 0x15, &erased), SHELL_KEY_IGNORED);
	assert_int_equal(key(&l, '\n', &erased), SHELL_KEY_ENTER);
	assert_string_equal(l.buf, "");
}

static void test_line_full(void **state)
{
	struct shell_line l = { 0 };
	u32 erased, echoed = 0;

	(void)state;
	for (int i = 0; i < 2 * SHELL_LINE_MAX; i++)
		echoed += key(&l, 'x', &erased) == SHELL_KEY_ECHO;
	assert_int_equal(echoed, SHELL_LINE_MAX - 1);
	assert_int_equal(key(&l, '\r', &erased), SHELL_KEY_ENTER);
	assert_int_equal(strlen(l.buf), SHELL_LINE_MAX - 1);
}

static void test_parse_uint(void **state)
{
	u32 v = 7;

	(void)state;
	assert_true(shell_parse_uint("0", &v));
	assert_int_equal(v, 0);
	assert_true(shell_parse_uint("42", &v));
	assert_int_equal(v, 42);
	assert_true(shell_parse_uint("1000000009", &v));
	assert_int_equal(v, 1000000009);
	assert_false(shell_parse_uint("1000000010", &v));
	assert_false(shell_parse_uint("99999999999", &v));
	assert_false(shell_parse_uint("", &v));
	assert_false(shell_parse_uint("-1", &v));
	assert_false(shell_parse_uint("12a", &v));
	assert_int_equal(v, 1000000009);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_words),
		cmocka_unit_test(test_split_too_many),
		cmocka_unit_test(test_line_editing),
		cmocka_unit_test(test_line_full),
		cmocka_unit_test(test_parse_uint),
	};

	return cmocka_run_group_tests_name("shell_line", tests, NULL, NULL);
}
