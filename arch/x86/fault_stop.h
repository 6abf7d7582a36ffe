/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who stops the machine and how far it got, pure logic (unit-tested), so
 * that every path that stops the machine ends with exactly one "machine
 * stopped" line (arch/x86/fault.c).
 *
 * The first CPU with a fatal event (exception, machine check, SERR# NMI,
 * panic) claims the stop and leads it: its report, then the stop of the
 * others (an NMI each, then a wait), then the last line. A fatal event on
 * another CPU meanwhile just stops that CPU. A second fatal event on the
 * leading CPU itself (a fault in its own report, a #MC while it prints or
 * waits, a panic in code the report calls, one after the stop) is nested:
 * it gets a short report of its own and then goes on with what is left of
 * the stop, never back into the interrupted code:
 *
 *   phase when nested     what is left
 *   REPORT                stop the others, wait, the last line
 *   STOPPING              the last line (the wait was cut short)
 *   DONE                  nothing: the last line was written, halt
 *
 * Nesting deeper than FAULT_STOP_MAX_NESTED (a report that faults every
 * time) skips the report and goes on with the stop.
 *
 * Only the leading CPU writes phase and nested; the others only look at
 * the owner.
 */
#ifndef ARCH_X86_FAULT_STOP_H
#define ARCH_X86_FAULT_STOP_H

#include <hv/types.h>

#define FAULT_STOP_MAX_NESTED 2

enum stop_phase { STOP_NONE, STOP_REPORT, STOP_STOPPING, STOP_DONE };

struct fault_stop {
	volatile s32 owner;	/* the leading CPU, -1 before any stop */
	volatile u32 phase;	/* enum stop_phase */
	volatile u32 nested;	/* fatal events on the owner after its first */
};

#define FAULT_STOP_INIT { -1, STOP_NONE, 0 }

enum stop_role {
	STOP_LEAD,		/* claimed: the report, then the stop */
	STOP_NESTED,		/* leads already: a short report, the rest */
	STOP_QUIET,		/* nested too deep: no report, the rest */
	STOP_FOLLOW,		/* another CPU leads: say stopped, halt */
};

enum stop_step {
	STOP_STEP_OTHERS,	/* NMI the others, wait, then ask again */
	STOP_STEP_LAST_LINE,	/* write "machine stopped", then halt */
	STOP_STEP_HALT,		/* the line is out already: just halt */
};

/* A fatal event on CPU @me: what this CPU does. */
static inline enum stop_role fault_stop_claim(struct fault_stop *s, s32 me)
{
	s32 owner = -1;

	if (__atomic_compare_exchange_n(&s->owner, &owner, me, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		s->phase = STOP_REPORT;
		return STOP_LEAD;
	}
	if (owner != me)
		return STOP_FOLLOW;
	return ++s->nested <= FAULT_STOP_MAX_NESTED ? STOP_NESTED : STOP_QUIET;
}

/*
 * The leading CPU in fault_stop_machine(), on entry and again after the
 * wait: the next step, and the phase advanced past it.
 */
static inline enum stop_step fault_stop_next(struct fault_stop *s)
{
	switch (s->phase) {
	case STOP_REPORT:
		s->phase = STOP_STOPPING;
		return STOP_STEP_OTHERS;
	case STOP_STOPPING:
		s->phase = STOP_DONE;
		return STOP_STEP_LAST_LINE;
	default:
		return STOP_STEP_HALT;
	}
}

/* A CPU has claimed the stop. */
static inline bool fault_stop_claimed(const struct fault_stop *s)
{
	return __atomic_load_n(&s->owner, __ATOMIC_ACQUIRE) >= 0;
}

#endif /* ARCH_X86_FAULT_STOP_H */
