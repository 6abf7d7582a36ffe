// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor log: a line is stamped with the uptime and CPU, kept in a
 * ring for the console's `log` command and, if its level is enabled,
 * written to the serial console.
 */
#include <hv/console.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/spinlock.h>
#include <hv/string.h>

#define LOG_RING_SIZE (32 * 1024)

enum log_level log_level = LOG_INFO;

static spinlock_t ring_lock = SPINLOCK_INIT;
static char ring[LOG_RING_SIZE];
static u64 ring_pos;		/* total bytes ever written */

static const char *const level_tag[] = {
	[LOG_ERROR] = "error: ",
	[LOG_WARN] = "warning: ",
	[LOG_INFO] = "",
	[LOG_DEBUG] = "debug: ",
};

static void ring_append(const char *s, size_t n)
{
	spin_lock(&ring_lock);
	for (size_t i = 0; i < n; i++)
		ring[ring_pos++ % LOG_RING_SIZE] = s[i];
	spin_unlock(&ring_lock);
}

size_t log_ring_read(char *buf, size_t size)
{
	size_t n, start;

	spin_lock(&ring_lock);
	n = ring_pos < LOG_RING_SIZE ? ring_pos : LOG_RING_SIZE;
	if (n > size)
		n = size;
	start = ring_pos - n;
	for (size_t i = 0; i < n; i++)
		buf[i] = ring[(start + i) % LOG_RING_SIZE];
	spin_unlock(&ring_lock);
	return n;
}

void hv_vlog(enum log_level level, const char *fmt, va_list ap)
{
	char line[512];
	u64 us = hv_uptime_us();
	int n;

	n = hv_snprintf(line, sizeof(line), "[%4llu.%06llu] cpu%u: %s",
			(unsigned long long)(us / 1000000),
			(unsigned long long)(us % 1000000), this_cpu_index(),
			level_tag[level]);
	n += hv_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	ring_append(line, n);
	if (level <= log_level)
		console_write(line, n);
}

void hv_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vlog(level, fmt, ap);
	va_end(ap);
}
