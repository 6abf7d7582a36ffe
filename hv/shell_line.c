// SPDX-License-Identifier: GPL-2.0
/* The shell's command line: editing, words, numbers (see hv/shell_line.h). */
#include <hv/errno.h>
#include <hv/shell_line.h>

enum shell_key shell_line_key(struct shell_line *l, char c, u32 *erased)
{
	*erased = 0;
	if (c == '\r' || c == '\n') {
		l->buf[l->len] = '\0';
		return SHELL_KEY_ENTER;
	}
	if (c == 0x7f || c == '\b') {
		if (!l->len)
			return SHELL_KEY_IGNORED;
		l->len--;
		*erased = 1;
		return SHELL_KEY_ERASE;
	}
	if (c == 0x15) {		/* Ctrl-U: kill the line */
		*erased = l->len;
		l->len = 0;
		return *erased ? SHELL_KEY_ERASE : SHELL_KEY_IGNORED;
	}
	if ((u8)c < 0x20 || l->len + 1 >= SHELL_LINE_MAX)
		return SHELL_KEY_IGNORED;
	l->buf[l->len++] = c;
	return SHELL_KEY_ECHO;
}

void shell_line_clear(struct shell_line *l)
{
	l->len = 0;
	l->buf[0] = '\0';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

int shell_split(char *s, char **argv, int max)
{
	int argc = 0;

	for (;;) {
		while (is_space(*s))
			*s++ = '\0';
		if (!*s)
			return argc;
		if (argc == max)
			return -E2BIG;
		argv[argc++] = s;
		while (*s && !is_space(*s))
			s++;
	}
}

bool shell_parse_uint(const char *s, u32 *out)
{
	u32 v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return true;
}
