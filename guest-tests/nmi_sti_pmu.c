// SPDX-License-Identifier: GPL-2.0
/*
 * requires: pmu
 *
 * An NMI that becomes pending in an STI shadow is delivered once the
 * shadow is over, even if the guest then runs without exits. The NMI is a
 * PMI: a counter of retired instructions (event 0xC0, AMD PerfMonV2 or
 * Intel architectural) overflows on the `sti` itself and LVTPC delivers it
 * as an NMI. With skid 0 (our QEMU and Bochs PMU models,
 * docs/qemu-pmu.md, docs/bochs-pmu.md) the PMI is due right after the
 * `sti`, i.e. while the instruction after it is still in the shadow.
 *
 * Which instruction overflows depends on what the PMU counts around the
 * enabling WRMSR, so a first pass without overflow measures that, and the
 * second pass preloads the counter to overflow exactly on the `sti`.
 */
#include "pmu.h"

#define PERF_CTL0        MSR_PERF_CTL(0)
#define PERF_CTR0        MSR_PERF_CTR(0)
#define GLOBAL_STATUS    MSR_GLOBAL_STATUS
#define GLOBAL_CTL       MSR_GLOBAL_CTL
#define GLOBAL_STATUS_CLR MSR_GLOBAL_STATUS_CLR
#define CTL_OS           SEL_OS
#define CTL_INT          SEL_INT
#define CTL_EN           SEL_EN
#define EV_RETIRED_INSNS EV_INSNS

#define XAPIC            0xfee00000UL
#define SVR              0x0f0
#define LVT_PERF         0x340
#define DM_NMI           (4u << 8)

/* Instructions from the one after the enabling WRMSR to the `sti`. */
#define TO_STI           9

#define BOUND            200000000UL

static volatile u32 nmis;
static volatile u32 shadowed_done;	/* the instruction in the shadow ran */
static volatile u32 in_shadow_at_nmi;

static volatile u32 *reg(u32 off)
{
	return (volatile u32 *)(XAPIC + off);
}

static void nmi(u8 vector)
{
	nmis++;
	/* Taken inside the shadow, the `movl` after `sti` had not run. */
	in_shadow_at_nmi = !shadowed_done;
	wrmsr(GLOBAL_STATUS_CLR, 1);
}

/* Enables counter 0 (WRMSR of CTL0), 8 NOPs, `sti`, a store in its shadow. */
#define BLOCK                                                               \
	"wrmsr\n\t"                                                         \
	"nop; nop; nop; nop; nop; nop; nop; nop\n\t"                         \
	"sti\n\t"                                                           \
	"movl $1, %[done]\n\t"                                              \
	"cli\n\t"

/* Pass 1: the block, then the counter (RDMSR counts what came before). */
static u64 measure(u64 ctl)
{
	u32 lo, hi, msr = PERF_CTL0;

	/* ECX ends up PERF_CTR0: an output, or GCC reuses it as PERF_CTL0. */
	asm volatile(BLOCK
		     "mov %[ctr], %%ecx\n\t"
		     "rdmsr"
		     : [done] "=m"(shadowed_done), "=a"(lo), "=d"(hi),
		       "+c"(msr)
		     : "a"((u32)ctl), "d"((u32)(ctl >> 32)),
		       [ctr] "r"(PERF_CTR0)
		     : "memory");
	return ((u64)hi << 32) | lo;
}

/* Pass 2: the block, then nothing that exits. */
static void overflow_on_sti(u64 ctl)
{
	asm volatile(BLOCK
		     : [done] "=m"(shadowed_done)
		     : "c"(PERF_CTL0), "a"((u32)ctl), "d"((u32)(ctl >> 32))
		     : "memory");
}

void test_main(void)
{
	u64 ctl = EV_RETIRED_INSNS | CTL_OS | CTL_EN, counted, start;
	u32 got;
	u64 i;

	pmu_require();
	gt_set_irq_handler(2, nmi);
	*reg(SVR) = 0x1ff;
	*reg(LVT_PERF) = DM_NMI;
	wrmsr(GLOBAL_CTL, 1);

	/* Pass 1: no overflow; 12 (8 NOPs, sti, mov, cli, mov) if exact. */
	wrmsr(PERF_CTR0, 0);
	counted = measure(ctl);
	wrmsr(PERF_CTL0, 0);
	gt_printf("block counted %llu instructions (12 without extras)\n",
		  (unsigned long long)counted);
	EXPECT(counted >= TO_STI + 3 && counted < 100);

	/* Pass 2: overflow exactly on the `sti`, the PMI in its shadow. */
	shadowed_done = 0;
	start = (1ULL << CTR_BITS) - (counted - 3);
	wrmsr(PERF_CTR0, start);
	overflow_on_sti(ctl | CTL_INT);
	/* No exits from here until the NMI has come. */
	for (i = 0; i < BOUND && !nmis; i++)
		;
	got = nmis;
	EXPECT_EQ(got, 1);
	EXPECT(i < BOUND);
	EXPECT_EQ(in_shadow_at_nmi, 0);
	EXPECT(rdmsr(GLOBAL_STATUS) == 0);
	wrmsr(PERF_CTL0, 0);
}
