// SPDX-License-Identifier: GPL-2.0
/*
 * Nothing the hypervisor executes is counted: 10000 CPUIDs, then 20000
 * mixed exits (CPUID, port read, RDMSR, hypercall), with counters on
 * USR+OS, OS, cycles and branches: every count is the guest's exact
 * instruction count, however long the hypervisor spends on the exits.
 * Then a long loop interrupted by a periodic APIC timer (host interrupt
 * exits, injected interrupts): the count is the loop's plus exactly the
 * handler's instructions per tick.
 * Cycles (= instructions on the model) are exactly the instructions that
 * retired in the hardware: the emulated ones are the hypervisor's time
 * (docs/pmu.md).
 * Catches: host instructions leaking into the guest's counters (a missing
 * Guest-Only bit in the hardware selector, counters left running across
 * the world switch, host PMU state not separated), cycles counting time
 * spent outside the guest.
 * requires: pmu
 */
#include <hv/exit.h>
#include "pmu.h"

/* 1 + 5n */
PMU_WINDOW(cpuids,
	   "	mov %rsi, %r8\n"
	   "1:	xor %eax, %eax\n"
	   "	xor %ecx, %ecx\n"
	   "	cpuid\n"
	   "	dec %r8\n"
	   "	jnz 1b\n");

/*
 * 1 + 12n: CPUID, IN 0x61, RDMSR TSC_AUX, VMMCALL or VMCALL (PV_HC_VERSION;
 * the other one is #UD on each vendor).
 */
#define MIXED(hc)				\
	"	mov %rsi, %r8\n"		\
	"1:	mov $1, %eax\n"			\
	"	cpuid\n"			\
	"	mov $0x61, %edx\n"		\
	"	inb %dx, %al\n"			\
	"	mov $0xc0000103, %ecx\n"	\
	"	rdmsr\n"			\
	"	xor %eax, %eax\n"		\
	"	" hc "\n"			\
	"	mov $0, %edi\n"			\
	"	nop\n"				\
	"	dec %r8\n"			\
	"	jnz 1b\n"
PMU_WINDOW(mixed_amd, MIXED("vmmcall"));
PMU_WINDOW(mixed_intel, MIXED("vmcall"));

#define TIMER_VECTOR   0x41
#define APIC_LVT_TIMER 0x320
#define APIC_TMICT     0x380
#define APIC_TDCR      0x3e0

u32 pmu_ticks;

/* 4 + 2n + ISR_INSNS per tick: interrupts only inside the window. */
PMU_WINDOW(ticking_loop,
	   "	sti\n"
	   "	mov %rsi, %rcx\n"
	   "1:	dec %rcx\n"
	   "	jnz 1b\n"
	   "	cli\n"
	   "	nop\n");

/* INCL, PUSH, MOV, the EOI write, POP, IRETQ */
#define ISR_INSNS 6
void tick_isr(void);
asm(".text\n"
    "tick_isr:\n"
    "	incl pmu_ticks(%rip)\n"
    "	push %rax\n"
    "	mov $0xfee000b0, %eax\n"
    "	movl $0, (%rax)\n"
    "	pop %rax\n"
    "	iretq\n");

/* Counters in CPUID: 6 on the model, 5 under `profile = on`. */
static u32 nr_ctrs;

static void program(void)
{
	pmu_reset();
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | SEL_USR | EV_INSNS);
	wrmsr(MSR_PERF_CTL(1), SEL_EN | SEL_OS | EV_INSNS);
	wrmsr(MSR_PERF_CTL(2), SEL_EN | SEL_OS | SEL_USR | EV_CYCLES);
	wrmsr(MSR_PERF_CTL(3), SEL_EN | SEL_OS | SEL_USR | EV_BRANCHES);
	wrmsr(MSR_PERF_CTL(4), SEL_EN | SEL_USR | EV_INSNS);
	if (!pmu_intel) {
		if (nr_ctrs > 5)
			wrmsr(MSR_PERF_CTL(5),
			      SEL_EN | SEL_OS | SEL_USR | EV_TAKEN);
		return;
	}
	/* Intel: fixed 0 (instructions) OS+USR, fixed 1 (cycles) OS+USR. */
	if (nr_ctrs > 5)
		wrmsr(MSR_PERF_CTL(5), SEL_EN | SEL_OS | SEL_USR | EV_MISPRED);
	wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0x33);
}

/* The counters program() enables. */
static u64 all(void)
{
	u64 gp = (1ULL << nr_ctrs) - 1;

	return pmu_intel ? gp | INTEL_FIXED_BIT(0) | INTEL_FIXED_BIT(1) : gp;
}

/* @emulated of the @insns are retired by the hypervisor. */
static void check(u64 insns, u64 emulated, u64 n)
{
	insns += PMU_STOP_INSNS;
	gt_printf("%llu iterations: %llu instructions counted, %llu executed\n",
		  (unsigned long long)n,
		  (unsigned long long)rdmsr(MSR_PERF_CTR(0)),
		  (unsigned long long)insns);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), insns);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), insns);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), PMU_CYCLES_OF(insns) - emulated);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(3)), n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(4)), 0);
	if (!pmu_intel) {
		if (nr_ctrs > 5)
			EXPECT_EQ(rdmsr(MSR_PERF_CTR(5)), n - 1);
		return;
	}
	if (nr_ctrs > 5)
		EXPECT_EQ(rdmsr(MSR_PERF_CTR(5)), 0);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(0)), insns);
	EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(1)), insns - emulated);
}

void test_main(void)
{
	s64 e;

	nr_ctrs = pmu_require();
	EXPECT(nr_ctrs >= 5);

	program();
	e = hypercall(PV_HC_EXIT_COUNT, PV_EXIT_CPUID, 0);
	cpuids(all(), 10000);
	EXPECT(hypercall(PV_HC_EXIT_COUNT, PV_EXIT_CPUID, 0) - e >= 10000);
	check(1 + 5 * 10000, 10000, 10000);

	program();
	(pmu_intel ? mixed_intel : mixed_amd)(all(), 20000);
	check(1 + 12 * 20000, 4 * 20000, 20000);

	/* A periodic timer, 100 us, through a loop of 10^7 instructions. */
	apic_write(APIC_SVR, 0x1ff);
	gt_set_gate(TIMER_VECTOR, tick_isr, 0);
	apic_write(APIC_TDCR, 0xb);
	apic_write(APIC_LVT_TIMER, (1 << 17) | TIMER_VECTOR);
	apic_write(APIC_TMICT, 100000);
	pmu_reset();
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | SEL_USR | EV_INSNS);
	wrmsr(MSR_PERF_CTL(1), SEL_EN | SEL_OS | EV_INSNS);
	wrmsr(MSR_PERF_CTL(2), SEL_EN | SEL_USR | EV_INSNS);
	e = hypercall(PV_HC_EXIT_COUNT, EXIT_HOST_INTR, 0);
	pmu_ticks = 0;
	ticking_loop(0x7, 5000000);
	apic_write(APIC_TMICT, 0);
	gt_printf("%u timer interrupts, %lld host interrupt exits\n",
		  pmu_ticks, (long long)(hypercall(PV_HC_EXIT_COUNT,
						   EXIT_HOST_INTR, 0) - e));
	EXPECT(pmu_ticks > 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), 4 + 2 * 5000000ULL +
		  ISR_INSNS * (u64)pmu_ticks + PMU_STOP_INSNS);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), rdmsr(MSR_PERF_CTR(0)));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), 0);
	pmu_reset();
}
