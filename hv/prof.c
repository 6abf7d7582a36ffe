// SPDX-License-Identifier: GPL-2.0
/*
 * Exit-path profiling: the per-kind accumulation (hv/prof.h has the
 * method). This runs before every entry while recording is on; off, the
 * vCPU loop pays one load and a not-taken branch.
 */
#include <arch/x86/cpu.h>
#include <hv/prof.h>
#include <hv/string.h>
#include <pmu/pmu.h>

volatile bool prof_on;
volatile u32 prof_gen;
volatile u32 prof_reset;

void prof_init(bool on)
{
	prof_on = on;
}

static void record(struct prof_stat *s, u64 insn, u64 tsc)
{
	if (!s->n || insn < s->insn_min)
		s->insn_min = insn;
	if (insn > s->insn_max)
		s->insn_max = insn;
	if (!s->n || tsc < s->tsc_min)
		s->tsc_min = tsc;
	if (tsc > s->tsc_max)
		s->tsc_max = tsc;
	s->insn_sum += insn;
	s->tsc_sum += tsc;
	s->n++;
}

void prof_record(struct vcpu_prof *vp, enum exit_kind kind, u64 insn,
		 u64 tsc)
{
	u32 gen = prof_gen;

	if (vp->gen != gen) {
		u32 reset = prof_reset;

		if (vp->reset != reset) {
			memset(vp->kind, 0, sizeof(vp->kind));
			vp->reset = reset;
		}
		vp->gen = gen;
		vp->armed = false;
	}
	if (vp->armed && (unsigned int)kind < NR_EXIT_KINDS)
		record(&vp->kind[kind], insn - vp->insn, tsc - vp->tsc);
	/* prof_entry() takes the next readings after this bookkeeping. */
	vp->armed = true;
}

void prof_add(struct prof_stat *sum, const struct vcpu_prof *vp)
{
	bool stale = vp->reset != prof_reset;

	for (int k = 0; k < NR_EXIT_KINDS; k++) {
		const struct prof_stat *s = &vp->kind[k];
		struct prof_stat *d = &sum[k];
		u64 n = s->n;

		if (stale || !n)
			continue;
		if (!d->n || s->insn_min < d->insn_min)
			d->insn_min = s->insn_min;
		if (s->insn_max > d->insn_max)
			d->insn_max = s->insn_max;
		if (!d->n || s->tsc_min < d->tsc_min)
			d->tsc_min = s->tsc_min;
		if (s->tsc_max > d->tsc_max)
			d->tsc_max = s->tsc_max;
		d->insn_sum += s->insn_sum;
		d->tsc_sum += s->tsc_sum;
		d->n += n;
	}
}
