/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pmutest (Bochs, Intel architectural PMU): what its files share.
 * pmutest.c: the entry, the probe; msrs.c: CPUID and the MSRs;
 * counting.c: counts, events, RDPMC, overflow and PMIs; vmx.c: counting
 * in a VMX guest. The harness is tools/efi-test/efitest.h.
 */
#ifndef PMUTEST_H
#define PMUTEST_H

#include "efitest.h"

/* ---- PMU definitions ---------------------------------------------- */

#define PMC(i)		(0xc1 + (i))
#define A_PMC(i)	(0x4c1 + (i))
#define EVTSEL(i)	(0x186 + (i))
#define FIXED_CTR(i)	(0x309 + (i))
#define PERF_CAP	0x345
#define FIXED_CTRL	0x38d
#define GLOBAL_STATUS	0x38e
#define GLOBAL_CTRL	0x38f
#define GLOBAL_RESET	0x390
#define GLOBAL_SET	0x391
#define GLOBAL_INUSE	0x392
#define FEATURE_CONTROL	0x3a

#define EV_INSNS	0x00c0
#define EV_CYCLES	0x003c
#define EV_REF		0x013c
#define EV_BRANCHES	0x00c4
#define EV_MISPRED	0x00c5
#define USR		(1ul << 16)
#define OS		(1ul << 17)
#define EDGE		(1ul << 18)
#define PC		(1ul << 19)
#define INT		(1ul << 20)
#define ANY		(1ul << 21)
#define EN		(1ul << 22)
#define INV		(1ul << 23)
#define CMASK(n)	((u64)(n) << 24)

#define CTR_MASK	((1ul << 48) - 1)
#define FIXED_BITS	(7ul << 32)

/* From CPUID 0xA: the PMU version, the general counters. */
extern unsigned ngp, version;

/* GLOBAL_CTRL's bits of the general counters. */
u64 gp_bits(void);

/* All counters stopped and zero, GLOBAL_STATUS clear. */
void pmu_clear(void);

void test_cpuid(void);
void test_msrs(u64 reset_ctrl);
void test_counting(void);
void test_pmi(void);
void test_vmx(void);

#endif /* PMUTEST_H */
