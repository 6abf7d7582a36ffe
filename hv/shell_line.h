/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shell's command line as pure logic, no console: editing a line from
 * keyboard bytes, splitting it into words, reading numbers. hv/shell.c
 * echoes and runs what this gives it; tests/fuzz drives the same code.
 */
#ifndef HV_SHELL_LINE_H
#define HV_SHELL_LINE_H

#include <hv/types.h>

#define SHELL_LINE_MAX 128	/* incl. the NUL */
#define SHELL_MAX_ARGS 8

struct shell_line {
	char buf[SHELL_LINE_MAX];
	u32 len;
};

enum shell_key {
	SHELL_KEY_IGNORED,	/* a control byte, or the line is full */
	SHELL_KEY_ECHO,		/* appended: echo the byte */
	SHELL_KEY_ERASE,	/* *erased bytes removed from the end */
	SHELL_KEY_ENTER,	/* buf holds the NUL-terminated line */
};

/*
 * One input byte: CR or LF ends the line, DEL or BS erases one byte,
 * Ctrl-U the whole line, other control bytes are ignored. After ENTER the
 * caller runs buf and then calls shell_line_clear().
 */
enum shell_key shell_line_key(struct shell_line *l, char c, u32 *erased);
void shell_line_clear(struct shell_line *l);

/*
 * Splits @s in place at spaces and tabs into at most @max words. Returns
 * the number of words, or -E2BIG if there are more than @max.
 */
int shell_split(char *s, char **argv, int max);

/* Digits only, at most 1000000009; false for anything else. */
bool shell_parse_uint(const char *s, u32 *out);

#endif /* HV_SHELL_LINE_H */
