/* SPDX-License-Identifier: GPL-2.0 */
/* Ticket spinlock: fair between CPUs, no interrupts involved. */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <hv/types.h>

typedef struct {
	volatile u32 next;
	volatile u32 owner;
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock(spinlock_t *l)
{
	u32 me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		__builtin_ia32_pause();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

static inline bool spin_trylock(spinlock_t *l)
{
	u32 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u32 expected = owner;

	return __atomic_compare_exchange_n(&l->next, &expected, owner + 1,
					   false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/*
 * spin_trylock() up to @tries times: for a lock whose holder may never
 * let go (this CPU, interrupted by an NMI or a fault while it held it, or
 * a CPU the machine's stop halted). True if taken.
 */
static inline bool spin_trylock_for(spinlock_t *l, u32 tries)
{
	for (u32 i = 0; i < tries; i++) {
		if (spin_trylock(l))
			return true;
		__builtin_ia32_pause();
	}
	return false;
}

#endif /* HV_SPINLOCK_H */
