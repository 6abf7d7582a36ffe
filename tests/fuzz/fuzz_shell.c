/* sources: hv/shell.c hv/shell_line.c hv/lib/printf.c */
/* flags: -dict=tests/fuzz/shell.dict -max_len=512 */
// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor shell's command line (hv/shell.c, hv/shell_line.c) on any
 * keyboard bytes, through shell_input() as hv/console.c feeds it, with the
 * console and the commands stubbed. The screen the echo draws must be the
 * line that runs; a command gets the words of that line, each without
 * spaces, or no command runs when there are too many; numbers parse as
 * decimal. shell_split() also gets the raw bytes (tabs included).
 */
#include "fuzz.h"
#include <hv/console.h>
#include <hv/printf.h>
#include <hv/shell.h>
#include <hv/shell_cmds.h>
#include <hv/shell_line.h>

/* What the echo has drawn since the last line, and that line. */
static char screen[2 * SHELL_LINE_MAX];
static u32 screen_len;
static char done[2 * SHELL_LINE_MAX];
static u32 nr_calls;

FUZZ_NOCOV
void console_write(const char *s, size_t n)
{
	CHECK(n == 1);
	CHECK(screen_len + 1 < sizeof(screen));
	screen[screen_len++] = s[0];
}

FUZZ_NOCOV
void console_puts(const char *s)
{
	if (!strcmp(s, "\b \b")) {
		CHECK(screen_len > 0);
		screen_len--;
	} else if (!strcmp(s, "\n")) {
		memcpy(done, screen, screen_len);
		done[screen_len] = '\0';
		screen_len = 0;
	} else {
		CHECK(!strcmp(s, "perfvisor> "));
	}
}

FUZZ_NOCOV
void console_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	CHECK(n >= 0 && strnlen(buf, sizeof(buf)) < sizeof(buf));
}

FUZZ_NOCOV
const char *console_escape_name(void)
{
	return "Ctrl-A";
}

FUZZ_NOCOV
struct vm *console_focused(void)
{
	return NULL;
}

/* Words of @s split at spaces (the echo shows no tabs: they are dropped). */
FUZZ_NOCOV
static int words(const char *s, const char **w, u32 *wlen, int max)
{
	int n = 0;

	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (n < max) {
			w[n] = s;
			wlen[n] = 0;
		}
		while (*s && *s != ' ') {
			if (n < max)
				wlen[n]++;
			s++;
		}
		n++;
	}
	return n;
}

FUZZ_NOCOV
static void check_uint(const char *s)
{
	u64 ref = 0;
	u32 v;
	size_t n = strlen(s);
	bool digits = n > 0;

	for (size_t i = 0; i < n; i++)
		digits &= s[i] >= '0' && s[i] <= '9';
	if (!shell_parse_uint(s, &v)) {
		CHECK(!digits || n >= 10);
		return;
	}
	CHECK(digits);
	for (size_t i = 0; i < n && ref <= 1000000009u; i++)
		ref = ref * 10 + (u64)(s[i] - '0');
	CHECK(v == ref && v <= 1000000009u);
}

FUZZ_NOCOV
static void command(const char *name, int argc, char **argv)
{
	const char *w[SHELL_MAX_ARGS];
	u32 wlen[SHELL_MAX_ARGS];

	nr_calls++;
	CHECK(argc >= 1 && argc <= SHELL_MAX_ARGS);
	CHECK(!strcmp(argv[0], name));
	CHECK(words(done, w, wlen, SHELL_MAX_ARGS) == argc);
	for (int i = 0; i < argc; i++) {
		CHECK(strlen(argv[i]) == wlen[i]);
		CHECK(!strncmp(argv[i], w[i], wlen[i]));
		CHECK(!strchr(argv[i], ' ') && !strchr(argv[i], '\t'));
		check_uint(argv[i]);
	}
}

#define STUB(n) \
	FUZZ_NOCOV void cmd_##n(int argc, char **argv) { command(#n, argc, argv); }
STUB(vms) STUB(vcpus) STUB(exits) STUB(trace) STUB(cpus) STUB(mem)
STUB(pmu) STUB(log) STUB(loglevel) STUB(attach) STUB(stop) STUB(reset)
STUB(start) STUB(reboot) STUB(hw) STUB(prof) STUB(poweroff)

static const char *const names[] = {
	"help", "vms", "vcpus", "exits", "trace", "cpus", "mem", "pmu", "log",
	"loglevel", "attach", "stop", "reset", "start", "reboot", "hw", "prof",
	"poweroff",
};

/* After a line ran: a known command with 1..8 words ran once, else none. */
FUZZ_NOCOV
static void check_line(u32 calls_before)
{
	const char *w[SHELL_MAX_ARGS];
	u32 wlen[SHELL_MAX_ARGS];
	int n = words(done, w, wlen, SHELL_MAX_ARGS);
	bool known = false;

	if (n >= 1 && n <= SHELL_MAX_ARGS)
		for (u32 i = 1; i < ARRAY_SIZE(names); i++)
			known |= strlen(names[i]) == wlen[0] &&
				 !strncmp(names[i], w[0], wlen[0]);
	CHECK(nr_calls - calls_before == (known ? 1u : 0u));
}

FUZZ_NOCOV
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char raw[SHELL_LINE_MAX], *argv[SHELL_MAX_ARGS];
	size_t n;
	int argc;
	u32 calls;

	/* Ctrl-U empties what the last input left on the line. */
	shell_input(0x15);
	screen_len = 0;
	calls = nr_calls;
	for (size_t i = 0; i < size; i++) {
		bool enter = data[i] == '\r' || data[i] == '\n';

		shell_input((char)data[i]);
		if (enter) {
			check_line(calls);
			calls = nr_calls;
		}
	}
	shell_input('\r');
	check_line(calls);

	/* shell_split() on the bytes up to the first NUL, tabs and all. */
	n = strnlen((const char *)data, size < sizeof(raw) - 1 ?
					    size : sizeof(raw) - 1);
	memcpy(raw, data, n);
	raw[n] = '\0';
	argc = shell_split(raw, argv, SHELL_MAX_ARGS);
	CHECK(argc == -E2BIG || (argc >= 0 && argc <= SHELL_MAX_ARGS));
	for (int i = 0; i < argc; i++) {
		CHECK(argv[i][0] && argv[i] >= raw && argv[i] < raw + n);
		CHECK(!strchr(argv[i], ' ') && !strchr(argv[i], '\t'));
		check_uint(argv[i]);
	}
	return 0;
}
