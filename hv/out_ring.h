/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest's console output ring: its vCPUs put bytes (serialised by the
 * caller's lock), the boot CPU takes them for the port. A byte that finds
 * the ring full of unsent ones is dropped and counted: the writer loses
 * its own newest output and never waits. Sent bytes stay until
 * overwritten, for the replay. Unit-tested (tests/unit/test_out_ring.c).
 */
#ifndef HV_OUT_RING_H
#define HV_OUT_RING_H

#include <hv/types.h>

struct out_ring {
	char *buf;
	u32 size;
	u64 head;		/* bytes ever accepted */
	u64 sent;		/* of those, taken by the consumer */
	u64 lost;		/* bytes dropped: the ring was full */
};

/* Producer, one at a time: false (and counted) if the ring is full. */
static inline bool out_ring_put(struct out_ring *r, char c)
{
	if (r->head - __atomic_load_n(&r->sent, __ATOMIC_ACQUIRE) >= r->size) {
		r->lost++;
		return false;
	}
	r->buf[r->head % r->size] = c;
	__atomic_store_n(&r->head, r->head + 1, __ATOMIC_RELEASE);
	return true;
}

/* Consumer: the next unsent byte, or -1. */
static inline int out_ring_get(struct out_ring *r)
{
	u64 s = r->sent;
	u8 c;

	if (s == __atomic_load_n(&r->head, __ATOMIC_ACQUIRE))
		return -1;
	c = (u8)r->buf[s % r->size];
	__atomic_store_n(&r->sent, s + 1, __ATOMIC_RELEASE);
	return c;
}

/* Consumer: what is unsent is not going to be sent. */
static inline void out_ring_skip(struct out_ring *r)
{
	__atomic_store_n(&r->sent, __atomic_load_n(&r->head, __ATOMIC_ACQUIRE),
			 __ATOMIC_RELEASE);
}

/*
 * The last (up to) @n bytes accepted, oldest first, into @dst; all of
 * them count as sent. With the producers' lock held. Returns the count.
 */
static inline u32 out_ring_recent(struct out_ring *r, char *dst, u32 n)
{
	u64 head = r->head;

	if (n > head)
		n = (u32)head;
	if (n > r->size)
		n = r->size;
	for (u32 i = 0; i < n; i++)
		dst[i] = r->buf[(head - n + i) % r->size];
	__atomic_store_n(&r->sent, head, __ATOMIC_RELEASE);
	return n;
}

#endif /* HV_OUT_RING_H */
