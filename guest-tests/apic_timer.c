// SPDX-License-Identifier: GPL-2.0
/*
 * Local APIC timer through the x2APIC MSRs: one-shot wakes `sti; hlt`,
 * the current count runs down, periodic mode keeps firing, TSC-deadline
 * mode fires at its deadline, a masked timer stays quiet, and a timer
 * interrupts a guest that spins without ever exiting.
 */
#include "gt.h"

#define MSR_APIC_BASE    0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define X2_SVR           0x80f
#define X2_EOI           0x80b
#define X2_LVT_TIMER     0x832
#define X2_TMICT         0x838
#define X2_TMCCT         0x839
#define X2_TDCR          0x83e

#define VEC_ONESHOT  0x40
#define VEC_PERIODIC 0x41
#define VEC_DEADLINE 0x42

static volatile u32 fired[256];
static volatile u64 fired_tsc;

static void timer_irq(u8 vector)
{
	fired[vector]++;
	fired_tsc = rdtsc();
	wrmsr(X2_EOI, 0);
}

/*
 * Halts until @vector fired @n times in all; @ms is a bound in case the
 * interrupt is late, not a way out if it never comes.
 */
static void wait_for(u8 vector, u32 n, u64 ms)
{
	u64 end = rdtsc() + ms * gt_tsc_per_ms();

	while (fired[vector] < n && rdtsc() < end) {
		sti_hlt();
		cli();
	}
}

/* Runs with interrupts on for @ms, for checks that nothing fires. */
static void spin_for(u64 ms)
{
	u64 end = rdtsc() + ms * gt_tsc_per_ms();

	sti();
	while (rdtsc() < end)
		asm volatile("pause");
	cli();
}

/*
 * Arms a TSC deadline 20 ms away, then disarms it: @by_mode 0 writes a
 * zero deadline, 1 leaves TSC-deadline mode. Then waits past it.
 */
static void disarm_check(int by_mode)
{
	u64 ms = gt_tsc_per_ms(), deadline, done;
	u32 before = fired[VEC_DEADLINE];

	wrmsr(X2_LVT_TIMER, (2 << 17) | VEC_DEADLINE);
	deadline = rdtsc() + 20 * ms;
	wrmsr(MSR_TSC_DEADLINE, deadline);
	if (by_mode)
		wrmsr(X2_LVT_TIMER, VEC_DEADLINE);
	else
		wrmsr(MSR_TSC_DEADLINE, 0);
	done = rdtsc();
	spin_for(30);
	if (done < deadline)
		EXPECT_EQ(fired[VEC_DEADLINE], before);
	else
		gt_printf("deadline disarm %d: vCPU stalled, skipped\n", by_mode);
}

void test_main(void)
{
	u64 ms = gt_tsc_per_ms(), t0, base;
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	EXPECT(d & (1u << 9));		/* APIC */
	EXPECT(c & (1u << 21));		/* x2APIC */
	EXPECT(c & (1u << 24));		/* TSC-deadline */

	base = rdmsr(MSR_APIC_BASE);
	EXPECT_EQ(base & 0xfffff000, 0xfee00000);
	EXPECT(base & (1 << 11));	/* enabled */
	EXPECT(base & (1 << 8));	/* BSP */
	wrmsr(MSR_APIC_BASE, base | (1 << 10));
	EXPECT(rdmsr(MSR_APIC_BASE) & (1 << 10));
	wrmsr(X2_SVR, 0x1ff);
	gt_set_irq_handler(VEC_ONESHOT, timer_irq);
	gt_set_irq_handler(VEC_PERIODIC, timer_irq);
	gt_set_irq_handler(VEC_DEADLINE, timer_irq);

	/* The current count runs down (masked, 1 s: it never fires here). */
	wrmsr(X2_TDCR, 0xb);
	wrmsr(X2_LVT_TIMER, (1 << 16) | VEC_ONESHOT);
	wrmsr(X2_TMICT, 1000000000);
	a = (u32)rdmsr(X2_TMCCT);
	b = (u32)rdmsr(X2_TMCCT);
	EXPECT(a > 0 && a <= 1000000000);
	EXPECT(b < a);
	wrmsr(X2_TMICT, 0);
	EXPECT_EQ(rdmsr(X2_TMCCT), 0);

	/* One-shot, divide by 1, 2 ms of a 1 GHz bus. */
	wrmsr(X2_LVT_TIMER, VEC_ONESHOT);
	t0 = rdtsc();
	wrmsr(X2_TMICT, 2000000);
	wait_for(VEC_ONESHOT, 1, 1000);
	EXPECT_EQ(fired[VEC_ONESHOT], 1);
	EXPECT(fired_tsc - t0 >= 2 * ms);
	gt_printf("one-shot 2 ms took %llu us\n",
		  (unsigned long long)((fired_tsc - t0) * 1000 / ms));
	EXPECT_EQ(rdmsr(X2_TMCCT), 0);
	spin_for(10);
	EXPECT_EQ(fired[VEC_ONESHOT], 1);	/* one-shot: once */

	/* The divider: 1000 counts at divide by 128 (DCR 0xa) = 128 us. */
	wrmsr(X2_TDCR, 0xa);
	t0 = rdtsc();
	wrmsr(X2_TMICT, 1000);
	wait_for(VEC_ONESHOT, 2, 1000);
	EXPECT_EQ(fired[VEC_ONESHOT], 2);
	EXPECT(fired_tsc - t0 >= ms * 128 / 1000);

	/* A guest spinning with interrupts on, no exits: still interrupted. */
	wrmsr(X2_TDCR, 0xb);
	wrmsr(X2_TMICT, 1000000);
	t0 = rdtsc();
	sti();
	while (fired[VEC_ONESHOT] < 3 && rdtsc() - t0 < 500 * ms)
		;
	cli();
	EXPECT_EQ(fired[VEC_ONESHOT], 3);
	gt_printf("spinning guest interrupted after %llu us\n",
		  (unsigned long long)((fired_tsc - t0) * 1000 / ms));

	/* Masked: the count runs out, no interrupt. */
	wrmsr(X2_LVT_TIMER, (1 << 16) | VEC_ONESHOT);
	wrmsr(X2_TMICT, 100000);
	spin_for(5);
	EXPECT_EQ(fired[VEC_ONESHOT], 3);

	/* Periodic, 500 us: five ticks take at least 2 ms. */
	wrmsr(X2_LVT_TIMER, (1 << 17) | VEC_PERIODIC);
	EXPECT_EQ(rdmsr(X2_LVT_TIMER), (1 << 17) | VEC_PERIODIC);
	t0 = rdtsc();
	wrmsr(X2_TMICT, 500000);
	wait_for(VEC_PERIODIC, 5, 2000);
	EXPECT(fired[VEC_PERIODIC] >= 5);
	EXPECT(fired_tsc - t0 >= 2 * ms);
	wrmsr(X2_TMICT, 0);
	spin_for(1);		/* a tick already pending is taken */
	a = fired[VEC_PERIODIC];
	spin_for(3);
	EXPECT_EQ(fired[VEC_PERIODIC], a);	/* stopped */

	/*
	 * TSC-deadline: reads back what was written (a deadline far enough
	 * away that no stall of this vCPU lets it expire first), fires at
	 * (not before) the deadline, then reads 0.
	 */
	wrmsr(X2_LVT_TIMER, (2 << 17) | VEC_DEADLINE);
	t0 = rdtsc() + 10000 * ms;
	wrmsr(MSR_TSC_DEADLINE, t0);
	EXPECT_EQ(rdmsr(MSR_TSC_DEADLINE), t0);
	t0 = rdtsc() + 3 * ms;
	wrmsr(MSR_TSC_DEADLINE, t0);
	wait_for(VEC_DEADLINE, 1, 1000);
	EXPECT_EQ(fired[VEC_DEADLINE], 1);
	EXPECT(fired_tsc >= t0);
	EXPECT_EQ(rdmsr(MSR_TSC_DEADLINE), 0);
	/* A deadline in the past fires at once; 0 disarms. */
	wrmsr(MSR_TSC_DEADLINE, 1);
	wait_for(VEC_DEADLINE, 2, 1000);
	EXPECT_EQ(fired[VEC_DEADLINE], 2);
	/*
	 * Disarming: by writing 0, and by leaving TSC-deadline mode. The
	 * check holds only if the disarming write was done before the
	 * deadline, which the TSC read after it proves; a host that stalled
	 * this vCPU past the deadline in between leaves nothing to check.
	 */
	disarm_check(0);
	disarm_check(1);
}
