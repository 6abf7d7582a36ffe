// SPDX-License-Identifier: GPL-2.0
/*
 * Nothing the hypervisor executes is counted: 10000 CPUIDs, then 20000
 * mixed exits (CPUID, port read, RDMSR, hypercall), with counters on
 * USR+OS, OS, cycles and branches: every count is the guest's exact
 * instruction count, however long the hypervisor spends on the exits.
 * Cycles (= instructions on the model) are exactly the instructions that
 * retired in the hardware: the emulated ones are the hypervisor's time
 * (docs/pmu.md).
 * Catches: host instructions leaking into the guest's counters (a missing
 * Guest-Only bit in the hardware selector, counters left running across
 * the world switch, host PMU state not separated), cycles counting time
 * spent outside the guest.
 * requires: pmu
 */
#include "pmu.h"

/* 1 + 5n */
PMU_WINDOW(cpuids,
	   "	mov %rsi, %r8\n"
	   "1:	xor %eax, %eax\n"
	   "	xor %ecx, %ecx\n"
	   "	cpuid\n"
	   "	dec %r8\n"
	   "	jnz 1b\n");

/* 1 + 12n: CPUID, IN 0x61, RDMSR TSC_AUX, VMMCALL (PV_HC_VERSION) */
PMU_WINDOW(mixed,
	   "	mov %rsi, %r8\n"
	   "1:	mov $1, %eax\n"
	   "	cpuid\n"
	   "	mov $0x61, %edx\n"
	   "	inb %dx, %al\n"
	   "	mov $0xc0000103, %ecx\n"
	   "	rdmsr\n"
	   "	xor %eax, %eax\n"
	   "	vmmcall\n"
	   "	mov $0, %edi\n"
	   "	nop\n"
	   "	dec %r8\n"
	   "	jnz 1b\n");

static void program(void)
{
	pmu_reset();
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | SEL_USR | EV_INSNS);
	wrmsr(MSR_PERF_CTL(1), SEL_EN | SEL_OS | EV_INSNS);
	wrmsr(MSR_PERF_CTL(2), SEL_EN | SEL_OS | SEL_USR | EV_CYCLES);
	wrmsr(MSR_PERF_CTL(3), SEL_EN | SEL_OS | SEL_USR | EV_BRANCHES);
	wrmsr(MSR_PERF_CTL(4), SEL_EN | SEL_USR | EV_INSNS);
	wrmsr(MSR_PERF_CTL(5), SEL_EN | SEL_OS | SEL_USR | EV_TAKEN);
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
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), insns - emulated);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(3)), n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(4)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(5)), n - 1);
}

void test_main(void)
{
	s64 e;

	pmu_require();

	program();
	e = hypercall(PV_HC_EXIT_COUNT, PV_EXIT_CPUID, 0);
	cpuids(0x3f, 10000);
	EXPECT(hypercall(PV_HC_EXIT_COUNT, PV_EXIT_CPUID, 0) - e >= 10000);
	check(1 + 5 * 10000, 10000, 10000);

	program();
	mixed(0x3f, 20000);
	check(1 + 12 * 20000, 4 * 20000, 20000);
	pmu_reset();
}
