// SPDX-License-Identifier: GPL-2.0
/*
 * Zeroing large allocations (guest RAM) with the help of idle CPUs.
 *
 * Before the scheduler starts, the application processors have nothing to
 * do: they wait in sched_cpu_loop() for the start. A large zeroing job is
 * cut into 2 MiB chunks that every idle CPU and the caller take one at a
 * time, so guest RAM is zeroed in about 1/N of the time on N CPUs. A CPU
 * that is not yet waiting simply does not help: the caller alone finishes
 * what nobody else takes, so correctness never depends on the helpers.
 *
 * The job is published and retired Dekker style, all sequentially
 * consistent: a helper announces itself (helpers++) before it reads the
 * job and leaves (helpers--) once it has zeroed its last chunk; the caller
 * retires the job (job = NULL) before it reads helpers. Either the caller
 * sees the helper and waits for it, or the helper sees no job: so when
 * mm_zero() returns every chunk is zero and no helper still touches the
 * job, which lives on the caller's stack.
 */
#include <arch/x86/cpu.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/sched.h>

#define CHUNK     (2 * MiB)
#define WIDE_MIN  (16 * MiB)	/* below this, waking CPUs costs more */

struct zero_job {
	u8 *base;
	u64 size;
	u64 next;		/* next chunk to take */
};

static struct zero_job *job;
static u32 helpers;

static void work(struct zero_job *j)
{
	u64 nr = (j->size + CHUNK - 1) / CHUNK;

	for (;;) {
		u64 i = __atomic_fetch_add(&j->next, 1, __ATOMIC_SEQ_CST);
		u64 off = i * CHUNK;

		if (i >= nr)
			return;
		zero_pages(j->base + off,
			   j->size - off < CHUNK ? j->size - off : CHUNK);
	}
}

void mm_zero_help(void)
{
	struct zero_job *j;

	__atomic_fetch_add(&helpers, 1, __ATOMIC_SEQ_CST);
	j = __atomic_load_n(&job, __ATOMIC_SEQ_CST);
	if (j)
		work(j);
	__atomic_fetch_sub(&helpers, 1, __ATOMIC_SEQ_CST);
}

void mm_zero(void *p, u64 size)
{
	struct zero_job j = { .base = p, .size = size };
	/* Only the boot CPU, only while the other CPUs idle before the start. */
	if (size < WIDE_MIN || this_cpu_index() != 0 || sched_started() ||
	    nr_pcpus < 2) {
		zero_pages(p, size);
		return;
	}
	__atomic_store_n(&job, &j, __ATOMIC_SEQ_CST);
	for (u32 i = 1; i < nr_pcpus; i++)
		if (pcpus[i]->online)
			sched_kick(pcpus[i]);
	work(&j);
	/* Every chunk is taken; the helpers still in the job finish theirs. */
	__atomic_store_n(&job, NULL, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&helpers, __ATOMIC_SEQ_CST))
		cpu_relax();
}
