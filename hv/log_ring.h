/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The log's rings (hv/log.c): text under a lock, the newest
 * LOG_RING_SIZE bytes kept. Pure logic, unit-tested.
 *
 * log_ring_try_append() is for NMI and #MC handlers: the code they
 * interrupted on this CPU may hold the lock (in the middle of an append,
 * or of `log` reading the ring), so they only try it, a bounded number
 * of times, and drop the line rather than wait for ever.
 */
#ifndef HV_LOG_RING_H
#define HV_LOG_RING_H

#include <hv/spinlock.h>
#include <hv/types.h>

#define LOG_RING_SIZE (32 * 1024)

struct log_ring {
	spinlock_t lock;
	char text[LOG_RING_SIZE];
	u64 pos;		/* total bytes ever written */
};

/* With @r->lock held. */
static inline void log_ring_put(struct log_ring *r, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		r->text[r->pos++ % LOG_RING_SIZE] = s[i];
}

static inline void log_ring_append(struct log_ring *r, const char *s,
				   size_t n)
{
	spin_lock(&r->lock);
	log_ring_put(r, s, n);
	spin_unlock(&r->lock);
}

/* False if the lock stayed taken for @tries tries: nothing written. */
static inline bool log_ring_try_append(struct log_ring *r, const char *s,
				       size_t n, u32 tries)
{
	if (!spin_trylock_for(&r->lock, tries))
		return false;
	log_ring_put(r, s, n);
	spin_unlock(&r->lock);
	return true;
}

#endif /* HV_LOG_RING_H */
