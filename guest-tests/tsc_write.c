// SPDX-License-Identifier: GPL-2.0
/*
 * The guest may write its TSC (SDM vol. 3 18.17): WRMSR to IA32_TSC sets
 * it, and adds the same amount to IA32_TSC_ADJUST, which CPUID.7.0:EBX[1]
 * offers; a write to IA32_TSC_ADJUST moves the TSC by the difference
 * (18.17.3). RDTSC, RDTSCP and RDMSR agree, and the TSC-deadline timer
 * fires when the guest's TSC reaches the deadline, not the host's.
 */
#include "gt.h"

#define MSR_TSC          0x10
#define MSR_TSC_ADJUST   0x3b
#define MSR_TSC_DEADLINE 0x6e0
#define MSR_APIC_BASE    0x1b
#define X2_SVR           0x80f
#define X2_EOI           0x80b
#define X2_LVT_TIMER     0x832
#define VEC              0x42

static volatile u32 fired;
static volatile u64 fired_tsc;

static void timer_irq(u8 vector)
{
	(void)vector;
	fired_tsc = rdtsc();
	fired++;
	wrmsr(X2_EOI, 0);
}

static u64 rdtscp(void)
{
	u32 lo, hi, aux;

	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	return ((u64)hi << 32) | lo;
}

void test_main(void)
{
	const u64 val = 1000000, jump = 1ULL << 40;
	u64 t0, t1, adj, m, a, b, deadline, got;
	u32 eax, ebx, ecx, edx;

	cpuid(7, 0, &eax, &ebx, &ecx, &edx);
	EXPECT(ebx & (1u << 1));
	EXPECT_EQ(rdmsr(MSR_TSC_ADJUST), 0);

	/* IA32_TSC = 1e6: the TSC restarts there, TSC_ADJUST follows. */
	t0 = rdtsc();
	EXPECT_EQ(wrmsr_try(MSR_TSC, val), -1);
	t1 = rdtsc();
	adj = rdmsr(MSR_TSC_ADJUST);
	gt_printf("before %#llx after %#llx adjust %#llx\n",
		  (unsigned long long)t0, (unsigned long long)t1,
		  (unsigned long long)adj);
	EXPECT(t1 >= val && t1 < t0);
	/* The host TSC at the write, val - adj, lies between t0 and now. */
	EXPECT(val - adj >= t0);
	EXPECT(val - adj <= rdtsc() - adj);

	a = rdtsc();
	m = rdmsr(MSR_TSC);
	b = rdtscp();
	EXPECT(a <= m && m <= b);

	/* IA32_TSC_ADJUST + 2^40: the TSC jumps by 2^40. */
	a = rdtsc();
	wrmsr(MSR_TSC_ADJUST, adj + jump);
	b = rdtsc();
	EXPECT_EQ(rdmsr(MSR_TSC_ADJUST), adj + jump);
	EXPECT(b >= a + jump);
	EXPECT(b - (adj + jump) >= a - adj);	/* the host view */
	/* Back to 1e6-ish, then the deadline timer in guest time. */
	wrmsr(MSR_TSC, val);
	EXPECT(rdtsc() < t0);

	gt_set_irq_handler(VEC, timer_irq);
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1 << 10));
	wrmsr(X2_SVR, 0x1ff);
	wrmsr(X2_LVT_TIMER, VEC | (2u << 17));	/* TSC-deadline mode */
	deadline = rdtsc() + gt_tsc_per_ms();
	wrmsr(MSR_TSC_DEADLINE, deadline);
	/*
	 * It reads back as written until it fires, then as 0 (SDM vol. 3A
	 * 11.5.4.1). A host that stalls this vCPU for a millisecond lets it
	 * fire first: 0 is right then, and only then.
	 */
	got = rdmsr(MSR_TSC_DEADLINE);
	EXPECT(got == deadline || (got == 0 && rdtsc() >= deadline));
	while (!fired)
		sti_hlt();
	cli();
	gt_printf("deadline %#llx fired at %#llx\n",
		  (unsigned long long)deadline,
		  (unsigned long long)fired_tsc);
	EXPECT_EQ(fired, 1);
	EXPECT(fired_tsc >= deadline);
	EXPECT_EQ(rdmsr(MSR_TSC_DEADLINE), 0);
}
