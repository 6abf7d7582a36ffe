/* sources: hv/mm/zero.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for zeroing with idle CPUs' help (hv/mm/zero.c): host threads
 * play the idle CPUs, calling mm_zero_help() in a loop as sched_cpu_loop()
 * does before the start, while the "boot CPU" zeroes buffers of sizes that
 * are and are not whole chunks. Every byte must be zero afterwards, every
 * helper must be out of the job when mm_zero() returns, and the chunks
 * must have been shared (each helper took some).
 */
#include "unit.h"
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <hv/string.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/sched.h>

#define HELPERS 3

struct pcpu *pcpus[MAX_CPUS];
u32 nr_pcpus = HELPERS + 1;
bool percpu_ready;
static struct pcpu cpu_stub[HELPERS + 1];
static bool started, stop;
static u64 zeroed_by[HELPERS + 1];
static u32 in_flight;
static __thread int me;

bool sched_started(void)
{
	return started;
}

void sched_kick(struct pcpu *cpu)
{
	(void)cpu;
}

/* Helpers dawdle inside their chunk: mm_zero() must wait for them. */
void zero_pages(void *p, u64 size)
{
	__atomic_fetch_add(&in_flight, 1, __ATOMIC_SEQ_CST);
	if (me)
		usleep(200);
	memset(p, 0, size);
	__atomic_fetch_sub(&in_flight, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&zeroed_by[me], size, __ATOMIC_RELAXED);
}

static void *helper(void *arg)
{
	me = (int)(long)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
		mm_zero_help();
	return NULL;
}

static void zero_and_check(u64 size, bool want_shared)
{
	u8 *buf = malloc(size);

	assert_non_null(buf);
	memset(buf, 0xa5, size);
	memset(zeroed_by, 0, sizeof(zeroed_by));
	mm_zero(buf, size);
	assert_int_equal(__atomic_load_n(&in_flight, __ATOMIC_SEQ_CST), 0);
	for (u64 i = 0; i < size; i++)
		if (buf[i])
			fail_msg("byte %llu of %llu not zeroed",
				 (unsigned long long)i, (unsigned long long)size);
	u64 total = 0;

	for (int i = 0; i <= HELPERS; i++)
		total += zeroed_by[i];
	assert_int_equal(total, size);
	if (want_shared)
		assert_true(zeroed_by[0] < size);
	free(buf);
}

static void test_helpers_share(void **state)
{
	pthread_t t[HELPERS];

	(void)state;
	for (long i = 0; i < HELPERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, helper,
						(void *)(i + 1)), 0);
	/* Helpers spin on mm_zero_help(): some of 256 chunks are theirs. */
	zero_and_check(512ULL << 20, true);
	for (int n = 0; n < 20; n++)
		zero_and_check((16ULL << 20) + 4096 * (u64)n * 37, false);
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	for (int i = 0; i < HELPERS; i++)
		pthread_join(t[i], NULL);
}

static void test_alone(void **state)
{
	(void)state;
	/* Small, or after the start: the caller alone, helpers or not. */
	zero_and_check(1ULL << 20, false);
	assert_int_equal(zeroed_by[0], 1ULL << 20);
	started = true;
	zero_and_check(64ULL << 20, false);
	assert_int_equal(zeroed_by[0], 64ULL << 20);
	started = false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alone),
		cmocka_unit_test(test_helpers_share),
	};

	for (u32 i = 0; i <= HELPERS; i++)
		pcpus[i] = &cpu_stub[i];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
