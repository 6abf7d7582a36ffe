/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What console output's two halves share: the host ring and its barriers,
 * which hv/console_out.c fills and hv/console_out_drain.c empties, the
 * transmitter's lock and the emergency switch. Nothing outside
 * hv/console_out*.c includes this.
 */
#ifndef HV_CONSOLE_OUT_IMPL_H
#define HV_CONSOLE_OUT_IMPL_H

#include <hv/spinlock.h>
#include <hv/types.h>

struct vm;

#define OUT_RING_SIZE  (16 * KiB)	/* per guest */
#define HOST_RING_SIZE (64 * KiB)

extern spinlock_t con_host_lock;
extern char *con_host_ring;		/* exact bytes: "\n" is "\r\n" */
extern u64 con_host_head, con_host_sent;
extern u64 con_host_lost;

/*
 * A line logged on a CPU running a vCPU comes after what that guest wrote
 * before it: the drainer sends the guest's output up to guest_pos before
 * the host ring's bytes from host_pos on. Best effort: when all are in use,
 * a line gets no barrier.
 */
#define NR_BARRIERS 32
struct barrier {
	u64 host_pos;
	struct vm *vm;
	u64 guest_pos;
};
extern struct barrier con_barriers[NR_BARRIERS];
extern u32 con_bar_head, con_bar_tail;		/* con_bar_tail: the drainer's */

/* The transmitter's (hv/console_out_drain.c); writes that wait take it too. */
extern spinlock_t con_tx_lock;
/* Set by console_emergency(): from then on every write goes to the port. */
extern volatile bool con_emergency;

/* Appends @s (with "\n" made "\r\n" if @crlf), all of it or nothing. */
bool con_host_put(const char *s, size_t n, bool crlf);

#endif /* HV_CONSOLE_OUT_IMPL_H */
