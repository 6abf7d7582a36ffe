// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor log: a line is stamped with the uptime and CPU, kept in a
 * ring for the console's `log` command and, if its level is enabled,
 * written to the serial console.
 *
 * Lines a guest causes (its faulting MSR accesses, ...) go into a ring of
 * their own, and at most GUEST_LINES_PER_S of them a second reach the
 * console: however much a guest makes us log, the hypervisor's own lines
 * stay in their ring and on the console. `log` shows both, merged by time.
 *
 * Fault reports go straight to the port (arch/x86/fault.c); the lines of
 * those the machine survives are also kept in the hypervisor's ring
 * (log_keep), from NMI and #MC handlers, so the ring's lock is only tried.
 */
#include <arch/x86/cpu.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/log_ring.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/time.h>

#define LOG_READ_SIZE     (16 * 1024)	/* of each ring, for `log` */
#define GUEST_LINES_PER_S 20
#define KEEP_TRIES        (1u << 16)	/* log_keep()'s patience */

enum log_level log_level = LOG_INFO;

static struct log_ring hv_ring = { .lock = SPINLOCK_INIT };
static struct log_ring guest_ring = { .lock = SPINLOCK_INIT };
static u64 keep_lost;		/* log_keep() lines the lock kept out */

/* The console's share of guest-caused lines (under guest_ring.lock). */
static u64 guest_second;	/* TSC at the start of the current second */
static u32 guest_shown;		/* lines shown in it */
static u64 guest_hidden;	/* lines not shown since the last note */

static const char *const level_tag[] = {
	[LOG_ERROR] = "error: ",
	[LOG_WARN] = "warning: ",
	[LOG_INFO] = "",
	[LOG_DEBUG] = "debug: ",
};

/* The newest whole lines of @r, at most @size bytes. */
static size_t ring_read(struct log_ring *r, char *buf, size_t size)
{
	size_t n, start, skip = 0;

	spin_lock(&r->lock);
	n = r->pos < LOG_RING_SIZE ? r->pos : LOG_RING_SIZE;
	if (n > size)
		n = size;
	start = r->pos - n;
	for (size_t i = 0; i < n; i++)
		buf[i] = r->text[(start + i) % LOG_RING_SIZE];
	spin_unlock(&r->lock);
	/* Not from the start: the first line may be cut, drop it. */
	if (start)
		while (skip < n && buf[skip++] != '\n')
			;
	memmove(buf, buf + skip, n - skip);
	return n - skip;
}

/* The stamp "[ssss.uuuuuu]" a line starts with, in microseconds. */
static u64 stamp_us(const char *p, const char *end)
{
	u64 s = 0, us = 0;

	while (p < end && *p != '.' && *p != ']') {
		if (*p >= '0' && *p <= '9')
			s = s * 10 + (*p - '0');
		p++;
	}
	while (++p < end && *p >= '0' && *p <= '9')
		us = us * 10 + (*p - '0');
	return s * 1000000 + us;
}

struct lines {
	const char *p, *end;
};

static const char *line_end(const struct lines *l)
{
	const char *e = l->p;

	while (e < l->end && *e++ != '\n')
		;
	return e;
}

static u32 count_lines(const char *p, size_t n)
{
	u32 k = 0;

	for (size_t i = 0; i < n; i++)
		k += p[i] == '\n';
	return k;
}

size_t log_read(char *out, size_t size, u32 want)
{
	static char *a, *b;
	size_t na, nb, n = 0;
	struct lines la, lb;
	u32 total, skip;

	if (!a)
		a = page_alloc(LOG_READ_SIZE);
	if (!b)
		b = page_alloc(LOG_READ_SIZE);
	if (!a || !b)
		return 0;
	na = ring_read(&hv_ring, a, LOG_READ_SIZE);
	nb = ring_read(&guest_ring, b, LOG_READ_SIZE);
	la = (struct lines){ a, a + na };
	lb = (struct lines){ b, b + nb };
	total = count_lines(a, na) + count_lines(b, nb);
	skip = total > want ? total - want : 0;

	while (la.p < la.end || lb.p < lb.end) {
		struct lines *l;
		const char *e;

		if (lb.p == lb.end)
			l = &la;
		else if (la.p == la.end)
			l = &lb;
		else
			l = stamp_us(la.p + 1, la.end) <= stamp_us(lb.p + 1, lb.end) ?
			    &la : &lb;
		e = line_end(l);
		if (skip) {
			skip--;
		} else if (n + (e - l->p) <= size) {
			memcpy(out + n, l->p, e - l->p);
			n += e - l->p;
		}
		l->p = e;
	}
	return n;
}

static int format(char *line, size_t size, enum log_level level,
		  const char *fmt, va_list ap)
{
	u64 us = hv_uptime_us();
	int n;

	n = hv_snprintf(line, size, "[%4llu.%06llu] cpu%u: %s",
			(unsigned long long)(us / 1000000),
			(unsigned long long)(us % 1000000), this_cpu_index(),
			level_tag[level]);
	n += hv_vsnprintf(line + n, size - n, fmt, ap);
	if ((size_t)n >= size) {
		n = size - 1;
		line[n - 1] = '\n';
	}
	return n;
}

void hv_vlog(enum log_level level, const char *fmt, va_list ap)
{
	char line[512];
	int n = format(line, sizeof(line), level, fmt, ap);

	log_ring_append(&hv_ring, line, n);
	if (level <= log_level)
		console_write(line, n);
}

bool log_keep(const char *line, size_t n)
{
	if (log_ring_try_append(&hv_ring, line, n, KEEP_TRIES))
		return true;
	__atomic_fetch_add(&keep_lost, 1, __ATOMIC_RELAXED);
	return false;
}

u64 log_keep_lost(void)
{
	return __atomic_load_n(&keep_lost, __ATOMIC_RELAXED);
}

void hv_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vlog(level, fmt, ap);
	va_end(ap);
}

void hv_log_guest(enum log_level level, const char *fmt, ...)
{
	u64 hidden = 0, now = rdtsc();
	bool show = false;
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format(line, sizeof(line), level, fmt, ap);
	va_end(ap);
	log_ring_append(&guest_ring, line, n);
	if (level > log_level)
		return;
	spin_lock(&guest_ring.lock);
	if (now - guest_second >= tsc_hz) {
		guest_second = now;
		guest_shown = 0;
		hidden = guest_hidden;
		guest_hidden = 0;
	}
	if (guest_shown < GUEST_LINES_PER_S) {
		guest_shown++;
		show = true;
	} else {
		guest_hidden++;
	}
	spin_unlock(&guest_ring.lock);
	if (hidden)
		console_printf("[log: %llu more lines caused by guests are only in the log]\n",
			       (unsigned long long)hidden);
	if (show)
		console_write(line, n);
}
