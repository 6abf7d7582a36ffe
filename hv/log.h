/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypervisor log: every line goes to the serial console (if its level is at
 * or above the configured one) and to an in-memory ring that the console's
 * `log` command shows (lines guests cause: to a ring of their own).
 */
#ifndef HV_LOG_H
#define HV_LOG_H

#include <stdarg.h>
#include <hv/types.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

extern enum log_level log_level;

void hv_log(enum log_level level, const char *fmt, ...) __printf(2, 3);
void hv_vlog(enum log_level level, const char *fmt, va_list ap);

#define pr_err(...)   hv_log(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...)  hv_log(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  hv_log(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) hv_log(LOG_DEBUG, __VA_ARGS__)

/*
 * A line a guest caused, e.g. by its accesses: kept apart from the
 * hypervisor's own lines, which no guest can then push out of the log,
 * and shown on the console at a bounded rate.
 */
void hv_log_guest(enum log_level level, const char *fmt, ...) __printf(2, 3);

#define pr_guest_warn(...)  hv_log_guest(LOG_WARN, __VA_ARGS__)
#define pr_guest_debug(...) hv_log_guest(LOG_DEBUG, __VA_ARGS__)

/*
 * A line already written to the console (a fault report's: stamp, CPU,
 * text, "\n") kept in the hypervisor's ring for `log`. Safe in an NMI or
 * #MC handler: the ring's lock is only tried, boundedly (the interrupted
 * code may hold it); false if the line was dropped, which
 * log_keep_lost() counts.
 */
bool log_keep(const char *line, size_t n);
u64 log_keep_lost(void);

/*
 * The last @lines lines of the log, the hypervisor's and the guest-caused
 * ones merged by time, into @buf; returns the bytes copied.
 */
size_t log_read(char *buf, size_t size, u32 lines);

/* Seconds and microseconds since boot, for log stamps. */
u64 hv_uptime_us(void);

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
bool panic_in_progress(void);

#define BUG_ON(cond)                                                        \
	do {                                                                \
		if (unlikely(cond))                                         \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

#endif /* HV_LOG_H */
