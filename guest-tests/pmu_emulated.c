// SPDX-License-Identifier: GPL-2.0
/*
 * Instructions the hypervisor emulates count as retired instructions,
 * exactly as they would on bare metal: loops of CPUID (at CPL 0 and CPL
 * 3), port reads and writes, RDMSR/WRMSR of MSRs that exit (TSC_AUX,
 * APIC_BASE), REP INSB/OUTSB (one instruction however many bytes), an
 * MMIO read and write of the local APIC page, hypercalls, and HLT woken by
 * the APIC timer. Each window's exits are checked to have happened; each
 * count must equal the instructions executed, under the right USR/OS bit,
 * and none of them is a branch. Cycles (0x76; = instructions on the model)
 * count only what retires in the hardware: docs/pmu.md leaves the
 * hypervisor's time, and so the emulated instructions, out of them.
 * Catches: emulated instructions not counted (the count comes short by
 * the number of exits), counted twice, counted as branches, counted
 * under the wrong privilege level, or counted while the counter is off.
 * requires: pmu
 */
#include <hv/exit.h>
#include "pmu.h"

#define TIMER_VECTOR 0x40
#define APIC_LVT_TIMER 0x320
#define APIC_TMICT     0x380
#define APIC_TDCR      0x3e0

u8 pmu_io_buf[4096];

/* 1 + 5n */
PMU_WINDOW(cpuid_loop,
	   "	mov %rsi, %r8\n"
	   "1:	xor %eax, %eax\n"
	   "	xor %ecx, %ecx\n"
	   "	cpuid\n"
	   "	dec %r8\n"
	   "	jnz 1b\n");

/* 2 + 4n: a read of port 0x61 and a write of port 0x80 */
PMU_WINDOW(port_loop,
	   "	mov %rsi, %r8\n"
	   "	mov $0x61, %edx\n"
	   "1:	inb %dx, %al\n"
	   "	outb %al, $0x80\n"
	   "	dec %r8\n"
	   "	jnz 1b\n");

/* 1 + 7n: RDMSR TSC_AUX, WRMSR TSC_AUX, RDMSR APIC_BASE */
PMU_WINDOW(msr_loop,
	   "	mov %rsi, %r8\n"
	   "1:	mov $0xc0000103, %ecx\n"
	   "	rdmsr\n"
	   "	wrmsr\n"
	   "	mov $0x1b, %ecx\n"
	   "	rdmsr\n"
	   "	dec %r8\n"
	   "	jnz 1b\n");

/* 8: n bytes in from an unclaimed port, then out to port 0x80 */
PMU_WINDOW(rep_io,
	   "	mov %rsi, %rcx\n"
	   "	lea pmu_io_buf(%rip), %rdi\n"
	   "	mov $0x2e0, %edx\n"
	   "	rep insb\n"
	   "	mov %rsi, %rcx\n"
	   "	lea pmu_io_buf(%rip), %rsi\n"
	   "	mov $0x80, %edx\n"
	   "	rep outsb\n");

/* 2 + 4n: read the APIC version, write EOI (nothing in service) */
PMU_WINDOW(mmio_loop,
	   "	mov %rsi, %r8\n"
	   "	mov $0xfee00000, %r9d\n"
	   "1:	mov 0x30(%r9), %eax\n"
	   "	movl $0, 0xb0(%r9)\n"
	   "	dec %r8\n"
	   "	jnz 1b\n");

/* 1 + 4n: PV_HC_ECHO, by VMMCALL (AMD) or VMCALL (Intel) */
#define HC_LOOP(hc)				\
	"	mov %rsi, %r8\n"		\
	"1:	mov $1, %eax\n"			\
	"	" hc "\n"			\
	"	dec %r8\n"			\
	"	jnz 1b\n"
PMU_WINDOW(hypercall_loop_amd, HC_LOOP("vmmcall"));
PMU_WINDOW(hypercall_loop_intel, HC_LOOP("vmcall"));

/*
 * 3 + the timer handler's 5: STI, HLT (the timer wakes it), CLI. The
 * handler (timer_isr) is PUSH, MOV, the EOI write, POP, IRETQ.
 */
PMU_WINDOW(hlt_window,
	   "	sti\n"
	   "	hlt\n"
	   "	cli\n");
#define HLT_WINDOW_INSNS (3 + 5)

void timer_isr(void);
asm(".text\n"
    "timer_isr:\n"
    "	push %rax\n"
    "	mov $0xfee000b0, %eax\n"
    "	movl $0, (%rax)\n"
    "	pop %rax\n"
    "	iretq\n");

/* CPL 3: 1 + 4n before the INT */
PMU_USER_WINDOW(user_cpuid_loop,
		"	mov %rcx, %r8\n"
		"1:	xor %eax, %eax\n"
		"	cpuid\n"
		"	dec %r8\n"
		"	jnz 1b\n");

static s64 exits(int kind)
{
	return hypercall(PV_HC_EXIT_COUNT, kind, 0);
}

/* Counters in CPUID: 6 on the model, 5 under `profile = on`. */
static u32 nr_ctrs;

static void setup(void)
{
	pmu_reset();
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | SEL_USR | EV_INSNS);
	wrmsr(MSR_PERF_CTL(1), SEL_EN | SEL_OS | EV_BRANCHES);
	wrmsr(MSR_PERF_CTL(2), SEL_EN | SEL_USR | EV_INSNS);
	wrmsr(MSR_PERF_CTL(3), SEL_EN | SEL_OS | EV_CYCLES);
	/* EN clear: an emulated instruction must not count here either. */
	wrmsr(MSR_PERF_CTL(4), SEL_OS | SEL_USR | EV_INSNS);
	if (nr_ctrs > 5)
		wrmsr(MSR_PERF_CTL(5), SEL_EN | SEL_OS | SEL_USR | EV_INSNS);
	/* Intel: fixed counter 0 (instructions) on OS+USR too. */
	if (pmu_intel)
		wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0x3);
}

/* Counter 5 (if there is one) is left out of GlobalCtl: it must stay 0. */
#define MASK (0x1f | (pmu_intel ? INTEL_FIXED_BIT(0) : 0))

/* @emulated of the @insns are the hypervisor's. */
static void check(const char *what, u64 insns, u64 emulated, u64 branches)
{
	gt_printf("%s: %llu instructions (want %llu)\n", what,
		  (unsigned long long)rdmsr(MSR_PERF_CTR(0)),
		  (unsigned long long)(insns + PMU_STOP_INSNS));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), insns + PMU_STOP_INSNS);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), branches);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(3)), insns - emulated + PMU_STOP_CYCLES);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(4)), 0);
	if (nr_ctrs > 5)
		EXPECT_EQ(rdmsr(MSR_PERF_CTR(5)), 0);
	if (pmu_intel)
		EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(0)), insns + PMU_STOP_INSNS);
}

void test_main(void)
{
	const u64 n = 1000;
	s64 e;

	nr_ctrs = pmu_require();
	EXPECT(nr_ctrs >= 5);
	gt_user_init();

	setup();
	e = exits(PV_EXIT_CPUID);
	cpuid_loop(MASK, n);
	EXPECT(exits(PV_EXIT_CPUID) - e >= (s64)n);
	check("CPUID", 1 + 5 * n, n, n);

	setup();
	e = exits(PV_EXIT_IO);
	port_loop(MASK, n);
	EXPECT(exits(PV_EXIT_IO) - e >= 2 * (s64)n);
	check("IN/OUT", 2 + 4 * n, 2 * n, n);

	setup();
	e = exits(PV_EXIT_MSR_READ);
	msr_loop(MASK, n);
	EXPECT(exits(PV_EXIT_MSR_READ) - e >= 2 * (s64)n);
	check("RDMSR/WRMSR", 1 + 7 * n, 3 * n, n);

	setup();
	e = exits(PV_EXIT_IO);
	rep_io(MASK, sizeof(pmu_io_buf));
	EXPECT(exits(PV_EXIT_IO) - e >= 2);
	check("REP INSB/OUTSB", 8, 2, 0);
	setup();
	rep_io(MASK, 1);
	check("REP INSB/OUTSB of 1 byte", 8, 2, 0);

	setup();
	e = exits(EXIT_MEM_FAULT);
	mmio_loop(MASK, n);
	EXPECT(exits(EXIT_MEM_FAULT) - e >= 2 * (s64)n);
	check("APIC MMIO", 2 + 4 * n, 2 * n, n);

	setup();
	e = exits(PV_EXIT_HYPERCALL);
	(pmu_intel ? hypercall_loop_intel : hypercall_loop_amd)(MASK, n);
	EXPECT(exits(PV_EXIT_HYPERCALL) - e >= (s64)n);
	check(pmu_intel ? "VMCALL" : "VMMCALL", 1 + 4 * n, n, n);

	/* HLT, woken by a one-shot APIC timer (whenever it fires). */
	apic_write(APIC_SVR, 0x1ff);
	gt_set_gate(TIMER_VECTOR, timer_isr, 0);
	apic_write(APIC_TDCR, 0xb);
	apic_write(APIC_LVT_TIMER, TIMER_VECTOR);
	setup();
	wrmsr(MSR_PERF_CTL(1), 0);		/* the interrupt is a branch */
	e = exits(PV_EXIT_HLT);
	apic_write(APIC_TMICT, 100000);
	hlt_window(MASK, 0);
	gt_printf("HLT exits: %lld\n", (long long)(exits(PV_EXIT_HLT) - e));
	check("STI; HLT; CLI with the timer", HLT_WINDOW_INSNS, 2, 0);

	/* CPUID at CPL 3: USR, not OS. */
	setup();
	e = exits(PV_EXIT_CPUID);
	user_cpuid_loop(MASK, n);
	EXPECT(exits(PV_EXIT_CPUID) - e >= (s64)n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), 1 + 4 * n + 1 + PMU_USER_OS_INSNS);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), 1 + 4 * n + 1);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(3)), PMU_CYCLES_OF(PMU_USER_OS_INSNS));
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), PMU_USER_OS_BRANCHES);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(4)), 0);
	if (pmu_intel)
		EXPECT_EQ(rdmsr(MSR_INTEL_FIXED_CTR(0)),
			  1 + 4 * n + 1 + PMU_USER_OS_INSNS);
	pmu_reset();
}
