// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmutest: checks of the QEMU TCG AMD PerfMonV2 PMU model, as a UEFI
 * application run by OVMF at CPL 0 (see tools/qemu-pmu/tests/run.sh).
 *
 * With the model present (CPUID 0x80000022 PerfMonV2) it checks CPUID,
 * the MSRs and their #GP cases, exact instruction counts, CMASK/INV/EDGE,
 * RDPMC, overflow and PMIs (fixed vector and NMI, exact position), and,
 * in a nested SVM guest, Host-Only/Guest-Only counting, exceptions that
 * cut a block short, REP string instructions and the RDPMC intercept.
 * Without the model it prints "PROBE" lines (CPUID leaves, MSR and RDPMC
 * behaviour) for run.sh to compare against Debian's QEMU.
 *
 * Output goes to COM1; the verdict leaves through isa-debug-exit at 0xf4
 * (QEMU exits with 33 on pass, 35 on failure). This file: the entry, the
 * probe; the checks are in msrs.c, counting.c and svm.c (pmutest.h), the
 * harness in tools/efi-test.
 */
#include "pmutest.h"

const char efitest_name[] = "pmutest";

/* isa-debug-exit: QEMU exits with (value << 1) | 1. */
void emu_exit(int pass)
{
	__asm__ volatile("outl %0, %1" : : "a"(pass ? 0x10u : 0x11u), "Nd"((u16)0xf4));
	for (;;)
		__asm__ volatile("cli; hlt");
}

unsigned num_counters;

void pmu_clear(void)
{
	unsigned i;

	wrmsr(GLOBAL_CTL, 0);
	for (i = 0; i < num_counters; i++) {
		wrmsr(PERF_CTL(i), 0);
		wrmsr(PERF_CTR(i), 0);
	}
	wrmsr(GLOBAL_CLR, (1ul << num_counters) - 1);
}

__asm__(".text\n"
	".globl counted_loop, loop_dec, loop_jnz\n"
	"counted_loop:\n"
	"mov %rdi, %rax\n"
	"mov $0xc0000301, %ecx\n"
	"xor %edx, %edx\n"
	"wrmsr\n"
	"mov %rsi, %rcx\n"
	"loop_dec: dec %rcx\n"
	"loop_jnz: jnz loop_dec\n"
	"mov $0xc0000301, %ecx\n"
	"xor %eax, %eax\n"
	"wrmsr\n"
	"ret\n");

/* ---- without the model: what run.sh compares with Debian's QEMU ---- */

static void probe(void)
{
	static const u32 msrs[] = {
		0xc0010000, 0xc0010003, 0xc0010004, 0xc0010007, 0xc0010200,
		0xc0010201, 0xc001020b, 0xc001020c, 0xc001022f, 0xc0000300,
		0xc0000301, 0xc0000302, 0xc0000303,
	};
	u32 a, b, c, d;
	u64 v;
	unsigned i;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	probe_line("cpuid.80000000.eax", a);
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	probe_line("cpuid.80000001.ecx", c);
	cpuid(0x80000022, 0, &a, &b, &c, &d);
	probe_line("cpuid.80000022.eax", a);
	probe_line("cpuid.80000022.ebx", b);
	cpuid(0xa, 0, &a, &b, &c, &d);
	probe_line("cpuid.0000000a.eax", a);
	for (i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		int r = wrmsr_safe(msrs[i], 0x1234);

		probe_line("wrmsr.fault", (u64)msrs[i] << 8 | (u8)r);
		r = rdmsr_safe(msrs[i], &v);
		probe_line("rdmsr.fault", (u64)msrs[i] << 8 | (u8)r);
		probe_line("rdmsr.value", v);
	}
	probe_line("rdpmc0.fault", (u8)rdpmc_safe(0, &v));
}

void run_tests(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000022)
		cpuid(0x80000022, 0, &a, &b, &c, &d);
	else
		a = b = 0;
	if (!(a & 1)) {
		puts_serial("pmutest: no PerfMonV2, probing\n");
		probe();
		puts_serial("pmutest: probe done\n");
		emu_exit(1);
	}
	num_counters = b & 0xf;

	test_cpuid();
	test_msrs();
	if (num_counters < 6) {
		/* The other checks use six counters. */
		puts_serial("pmutest: fewer than 6 counters, CPUID and MSR checks only\n");
		return;
	}
	test_counting();
	test_pmi();
	test_svm();
}
