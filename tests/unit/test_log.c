/* sources: hv/log.c hv/lib/printf.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the log (hv/log.c, hv/log_ring.h): the lines of fault
 * reports the machine survives, kept with log_keep(), are in what `log`
 * shows, in time order with the other lines; and keeping one never
 * waits for a ring lock that the interrupted code may hold.
 */
#include "unit.h"
#include <unistd.h>
#include <hv/log.h>
#include <hv/log_ring.h>

/* ---- stand-ins for the rest of the hypervisor ---- */

bool percpu_ready;
u64 tsc_hz = 1000000000ULL;
static u64 now_us;
static char console[4096];
static size_t console_len;

u64 hv_uptime_us(void)
{
	return now_us;
}

void *page_alloc(u64 size)
{
	static void *keep[4];
	static int n;

	assert_true(n < 4);
	return keep[n++] = calloc(1, size);
}

void console_write(const char *s, size_t n)
{
	assert_true(console_len + n < sizeof(console));
	memcpy(console + console_len, s, n);
	console_len += n;
	console[console_len] = 0;
}

void console_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n);
}

/* ---- tests ---- */

/* Where @needle first occurs in @hay, or NULL (no libc <string.h>). */
static const char *find(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return hay;
	return NULL;
}

static char out[16384];

static const char *log_text(u32 lines)
{
	size_t n = log_read(out, sizeof(out) - 1, lines);

	out[n] = 0;
	return out;
}

/* A fault report line as arch/x86/fault.c writes it. */
static void fault_line(u64 us, const char *text)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "[%4llu.%06llu] cpu3: %s\n",
			 (unsigned long long)(us / 1000000),
			 (unsigned long long)(us % 1000000), text);

	assert_true(log_keep(line, n));
}

static void test_kept_lines_in_log(void **state)
{
	const char *t, *a, *b, *c, *d;

	(void)state;
	now_us = 1000000;
	pr_info("booted\n");
	fault_line(2000000, "unexpected NMI on cpu3 (apic id 3), port 0x61 = 0xff: no NMI reason port");
	fault_line(2000001, "  rip ffffffff81000000 cs 0008");
	now_us = 3000000;
	pr_guest_warn("vm x: a guest-caused line\n");
	now_us = 4000000;
	pr_warn("later\n");

	t = log_text(40);
	a = find(t, "booted");
	b = find(t, "unexpected NMI on cpu3");
	c = find(t, "  rip ffffffff81000000");
	d = find(t, "later");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_non_null(d);
	assert_true(a < b && b < c && c < d);
	assert_non_null(find(t, "a guest-caused line"));
	/* The console had the report already: log_keep() does not repeat it. */
	assert_null(find(console, "unexpected NMI"));
	/* `log 2`: the last two lines. */
	t = log_text(2);
	assert_null(find(t, "unexpected NMI"));
	assert_non_null(find(t, "later"));
	assert_int_equal(log_keep_lost(), 0);
}

/* The code an NMI interrupted holds the lock: the line is dropped. */
static void test_try_append_never_waits(void **state)
{
	static struct log_ring r = { .lock = SPINLOCK_INIT };

	(void)state;
	log_ring_append(&r, "a\n", 2);
	spin_lock(&r.lock);		/* this CPU, interrupted */
	assert_false(log_ring_try_append(&r, "nmi\n", 4, 1000));
	assert_int_equal(r.pos, 2);
	spin_unlock(&r.lock);
	assert_true(log_ring_try_append(&r, "nmi\n", 4, 1));
	assert_int_equal(r.pos, 6);
	assert_memory_equal(r.text, "a\nnmi\n", 6);
}

/* The ring keeps the newest bytes; `log` starts at a whole line. */
static void test_kept_lines_wrap(void **state)
{
	const char *t;

	(void)state;
	for (u32 i = 0; i < 2000; i++) {
		char text[64];

		snprintf(text, sizeof(text), "survived machine check %u", i);
		fault_line(5000000 + i, text);
	}
	t = log_text(3);
	assert_non_null(find(t, "survived machine check 1999\n"));
	assert_non_null(find(t, "survived machine check 1997\n"));
	assert_null(find(t, "survived machine check 1996\n"));
	assert_int_equal(t[0], '[');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept_lines_in_log),
		cmocka_unit_test(test_try_append_never_waits),
		cmocka_unit_test(test_kept_lines_wrap),
	};

	alarm(60);	/* a lock waited for for ever fails, not hangs */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
