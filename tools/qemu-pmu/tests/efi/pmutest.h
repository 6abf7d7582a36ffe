/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pmutest (QEMU, AMD PerfMonV2): what its files share. pmutest.c: the
 * entry, the probe without the model; msrs.c: CPUID and the MSRs;
 * counting.c: counts, events, RDPMC, overflow and PMIs; svm.c: counting
 * in a nested SVM guest. The harness is tools/efi-test/efitest.h.
 */
#ifndef PMUTEST_H
#define PMUTEST_H

#include "efitest.h"

/* ---- PMU definitions ---------------------------------------------- */

#define PERF_CTL(i)	(0xc0010200 + 2 * (i))
#define PERF_CTR(i)	(0xc0010201 + 2 * (i))
#define LEGACY_CTL(i)	(0xc0010000 + (i))
#define LEGACY_CTR(i)	(0xc0010004 + (i))
#define GLOBAL_STATUS	0xc0000300
#define GLOBAL_CTL	0xc0000301
#define GLOBAL_CLR	0xc0000302
#define GLOBAL_SET	0xc0000303
#define MSR_EFER	0xc0000080
#define MSR_HSAVE	0xc0010117

#define EV_INSNS	0xc0
#define EV_CYCLES	0x76
#define EV_BRANCHES	0xc2
#define EV_MISPRED	0xc3
#define EV_TAKEN	0xc4
#define USR		(1ul << 16)
#define OS		(1ul << 17)
#define EDGE		(1ul << 18)
#define INT		(1ul << 20)
#define EN		(1ul << 22)
#define INV		(1ul << 23)
#define CMASK(n)	((u64)(n) << 24)
#define GUESTONLY	(1ul << 40)
#define HOSTONLY	(1ul << 41)

#define CTR_MASK	((1ul << 48) - 1)

/* General counters, from CPUID 0x80000022 EBX. */
extern unsigned num_counters;

/* All counters stopped and zero, GlobalStatus clear. */
void pmu_clear(void);

/*
 * counted_loop(mask, loops): a WRMSR sets GlobalCtl to @mask, then
 * "mov loops, rcx; 1: dec rcx; jnz 1b", then GlobalCtl is cleared.  The
 * starting WRMSR is not counted (writes take effect after the writing
 * instruction), the stopping one is: 2 * loops + 4 instructions (mov,
 * the loop, mov, xor, wrmsr).
 */
void counted_loop(u64 mask, u64 loops);
extern const char loop_dec[], loop_jnz[];

void test_cpuid(void);
void test_msrs(void);
void test_counting(void);
void test_pmi(void);
void test_svm(void);

#endif /* PMUTEST_H */
