/* sources: */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the machine stop's state (arch/x86/fault_stop.h): one
 * CPU leads, the others follow, and a second fatal event on the leading
 * CPU, wherever it strikes, still ends the stop with exactly one
 * "machine stopped" line.
 */
#include "unit.h"
#include <pthread.h>
#include <arch/x86/fault_stop.h>

/*
 * A model of arch/x86/fault.c's use of the state: fatal_event() is
 * fault_fatal_begin() + a report + fault_stop_machine(). Each point where
 * a nested fatal event can strike the leading CPU has a number; at the
 * chosen points one strikes (the model then does what the CPU does: the
 * nested handler never returns to the code it interrupted).
 */
enum point { IN_REPORT, IN_WAIT, IN_LAST_LINE, AFTER_HALT, NR_POINTS };

struct model {
	struct fault_stop s;
	u32 strike;		/* bit mask of enum point, each strikes once */
	u32 last_lines;		/* "machine stopped" lines written */
	u32 nmis_sent;		/* stop_others() runs */
	u32 reports;		/* fatal reports written (full or short) */
	u32 halted;		/* halts reached */
};

static void fatal_event(struct model *m, s32 cpu);

/* True if a nested event struck at @p (the caller returns: it is gone). */
static bool strike(struct model *m, enum point p, s32 cpu)
{
	if (!(m->strike & (1u << p)))
		return false;
	m->strike &= ~(1u << p);
	fatal_event(m, cpu);
	return true;
}

static void stop_machine(struct model *m, s32 cpu)
{
	enum stop_step step = fault_stop_next(&m->s);

	if (step == STOP_STEP_OTHERS) {
		m->nmis_sent++;
		if (strike(m, IN_WAIT, cpu))
			return;
		step = fault_stop_next(&m->s);
		assert_int_equal(step, STOP_STEP_LAST_LINE);
		m->last_lines++;
		if (strike(m, IN_LAST_LINE, cpu))
			return;
	} else if (step == STOP_STEP_LAST_LINE) {
		m->last_lines++;
	}
	m->halted++;
	strike(m, AFTER_HALT, cpu);
}

static void fatal_event(struct model *m, s32 cpu)
{
	enum stop_role r = fault_stop_claim(&m->s, cpu);

	if (r == STOP_FOLLOW) {
		m->halted++;
		return;
	}
	if (r != STOP_QUIET) {
		m->reports++;
		if (strike(m, IN_REPORT, cpu))
			return;
	}
	stop_machine(m, cpu);
}

static void run(struct model *m, u32 strike_mask)
{
	*m = (struct model){ .s = FAULT_STOP_INIT, .strike = strike_mask };
	fatal_event(m, 2);
}

static void test_one_event(void **state)
{
	struct model m;

	(void)state;
	run(&m, 0);
	assert_int_equal(m.reports, 1);
	assert_int_equal(m.nmis_sent, 1);
	assert_int_equal(m.last_lines, 1);
	assert_int_equal(m.s.owner, 2);
	assert_int_equal(m.s.phase, STOP_DONE);
}

/* Every combination of nested events on the leading CPU: one line. */
static void test_nested_anywhere(void **state)
{
	(void)state;
	for (u32 mask = 0; mask < (1u << NR_POINTS); mask++) {
		struct model m;
		u32 n;

		run(&m, mask);
		assert_int_equal(m.last_lines, 1);
		/* The others get their NMIs once, also when cut short. */
		assert_int_equal(m.nmis_sent, 1);
		assert_int_equal(m.s.phase, STOP_DONE);
		n = __builtin_popcount(mask & ~m.strike);	/* that struck */
		assert_int_equal(m.reports, 1 + (n < FAULT_STOP_MAX_NESTED ?
						 n : FAULT_STOP_MAX_NESTED));
	}
}

/* A panic in the first report: the nested one finishes the stop. */
static void test_nested_in_report(void **state)
{
	struct fault_stop s = FAULT_STOP_INIT;

	(void)state;
	assert_int_equal(fault_stop_claim(&s, 0), STOP_LEAD);
	assert_int_equal(fault_stop_claim(&s, 0), STOP_NESTED);
	assert_int_equal(fault_stop_next(&s), STOP_STEP_OTHERS);
	assert_int_equal(fault_stop_next(&s), STOP_STEP_LAST_LINE);
	assert_int_equal(fault_stop_next(&s), STOP_STEP_HALT);
}

/* A #MC while waiting for the others: straight to the last line. */
static void test_nested_in_wait(void **state)
{
	struct fault_stop s = FAULT_STOP_INIT;

	(void)state;
	assert_int_equal(fault_stop_claim(&s, 1), STOP_LEAD);
	assert_int_equal(fault_stop_next(&s), STOP_STEP_OTHERS);
	assert_int_equal(fault_stop_claim(&s, 1), STOP_NESTED);
	assert_int_equal(fault_stop_next(&s), STOP_STEP_LAST_LINE);
	/* ...and one after the line: reported, no second line. */
	assert_int_equal(fault_stop_claim(&s, 1), STOP_NESTED);
	assert_int_equal(fault_stop_next(&s), STOP_STEP_HALT);
}

/* A report that faults every time stops being written. */
static void test_nested_too_deep(void **state)
{
	struct fault_stop s = FAULT_STOP_INIT;

	(void)state;
	assert_int_equal(fault_stop_claim(&s, 3), STOP_LEAD);
	for (u32 i = 0; i < FAULT_STOP_MAX_NESTED; i++)
		assert_int_equal(fault_stop_claim(&s, 3), STOP_NESTED);
	assert_int_equal(fault_stop_claim(&s, 3), STOP_QUIET);
	assert_int_equal(fault_stop_claim(&s, 3), STOP_QUIET);
	assert_int_equal(fault_stop_next(&s), STOP_STEP_OTHERS);
}

/* Other CPUs follow and change nothing of the leader's progress. */
static void test_followers(void **state)
{
	struct fault_stop s = FAULT_STOP_INIT;

	(void)state;
	assert_false(fault_stop_claimed(&s));
	assert_int_equal(fault_stop_claim(&s, 0), STOP_LEAD);
	assert_true(fault_stop_claimed(&s));
	assert_int_equal(fault_stop_claim(&s, 1), STOP_FOLLOW);
	assert_int_equal(fault_stop_next(&s), STOP_STEP_OTHERS);
	assert_int_equal(fault_stop_claim(&s, 5), STOP_FOLLOW);
	assert_int_equal(s.nested, 0);
	assert_int_equal(s.phase, STOP_STOPPING);
	assert_int_equal(s.owner, 0);
}

/* CPUs racing for the stop: exactly one leads. */
static struct fault_stop race = FAULT_STOP_INIT;
static volatile u32 go, leads, follows;

static void *racer(void *arg)
{
	s32 cpu = (s32)(intptr_t)arg;

	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		;
	if (fault_stop_claim(&race, cpu) == STOP_LEAD)
		__atomic_fetch_add(&leads, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&follows, 1, __ATOMIC_RELAXED);
	return NULL;
}

static void test_race(void **state)
{
	pthread_t t[8];

	(void)state;
	for (int round = 0; round < 50; round++) {
		race = (struct fault_stop)FAULT_STOP_INIT;
		go = leads = follows = 0;
		for (int i = 0; i < 8; i++)
			assert_int_equal(pthread_create(&t[i], NULL, racer,
							(void *)(intptr_t)i), 0);
		__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
		for (int i = 0; i < 8; i++)
			pthread_join(t[i], NULL);
		assert_int_equal(leads, 1);
		assert_int_equal(follows, 7);
		assert_int_equal(race.nested, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_event),
		cmocka_unit_test(test_nested_anywhere),
		cmocka_unit_test(test_nested_in_report),
		cmocka_unit_test(test_nested_in_wait),
		cmocka_unit_test(test_nested_too_deep),
		cmocka_unit_test(test_followers),
		cmocka_unit_test(test_race),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
