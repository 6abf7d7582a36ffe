/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit-path profiling (`profile = on` in [hypervisor], `prof` in the
 * shell): for every exit kind, the hypervisor instructions and TSC ticks
 * of an exit round trip, from the VM exit to the next VM entry.
 *
 * Two readings per entry: the hypervisor's counter (pmu_prof_read(), which
 * counts only host instructions) and the TSC are read right before the
 * backend enters the guest; the difference to the last reading of the
 * previous entry is exactly what the host executed from that entry, over
 * the guest's run (not counted), through the exit and its handling, up to
 * this entry: one round trip of the previous exit. The counter is read
 * again once the figures are stored, so the profile's own bookkeeping is
 * in no round trip (with recording off it does not run at all). Without
 * a reserved counter (no PMU) only the TSC is measured.
 *
 * The vCPU's own CPU updates its record; the console reads it (u64 loads,
 * a snapshot that may be one exit behind) and asks for resets through a
 * generation count, so nothing but the vCPU writes its record.
 */
#ifndef HV_PROF_H
#define HV_PROF_H

#include <arch/x86/cpu.h>
#include <hv/exit.h>
#include <hv/types.h>
#include <pmu/pmu.h>

struct prof_stat {
	u64 n;
	u64 insn_sum, insn_min, insn_max;
	u64 tsc_sum, tsc_min, tsc_max;
};

struct vcpu_prof {
	bool armed;		/* insn/tsc hold the reading of the last entry */
	u32 gen;		/* prof_gen when last synchronised */
	u32 reset;		/* prof_reset when last cleared */
	u64 insn, tsc;
	struct prof_stat kind[NR_EXIT_KINDS];
};

/* Recording on (`profile = on` or `prof on`). Read on every entry. */
extern volatile bool prof_on;
/* Bumped by `prof on` (re-arm) and by `prof reset` (clear and re-arm). */
extern volatile u32 prof_gen;
extern volatile u32 prof_reset;

/* Boot: recording on from the start if the configuration says so. */
void prof_init(bool on);

/* prof_entry()'s bookkeeping, between its readings (hv/prof.c). */
void prof_record(struct vcpu_prof *vp, enum exit_kind kind, u64 insn,
		 u64 tsc);

/*
 * Right before the entry; @kind is the exit the round trip belongs to.
 * Inline, the readings first and last: the round trip counts none of the
 * bookkeeping between them and no call around them.
 */
static inline void prof_entry(struct vcpu_prof *vp, enum exit_kind kind)
{
	u64 insn = pmu_prof_read();
	u64 tsc = rdtsc();

	prof_record(vp, kind, insn, tsc);
	vp->tsc = rdtsc();
	vp->insn = pmu_prof_read();
}

/* vcpu_run() start: the first entry ends no round trip. */
static inline void prof_disarm(struct vcpu_prof *vp)
{
	vp->armed = false;
}

/* Console: add @vp's figures (zero if a reset it has not seen) to @sum. */
void prof_add(struct prof_stat *sum, const struct vcpu_prof *vp);

/* The shell's `prof [on|off|reset|VM]` (hv/prof_console.c). */
void cmd_prof(int argc, char **argv);

#endif /* HV_PROF_H */
