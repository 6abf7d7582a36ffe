// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmutest: checks of the Bochs Intel architectural PMU model, as a UEFI
 * application run by OVMF at CPL 0 (see tools/bochs-pmu/tests/run.sh).
 *
 * It first prints "PROBE" lines (CPUID leaves, PMU MSR and RDPMC
 * behaviour) that run.sh compares between the patched Bochs with the model
 * off and the unpatched Bochs. If the model is on (IA32_A_PMC0 keeps a
 * written value) it then checks CPUID, the MSRs and their #GP cases, exact
 * counts of known loops, the events, CMASK/INV/EDGE, RDPMC, overflow and
 * PMIs (NMI and fixed vector, exact position, LVTPC auto-mask), and a VMX
 * guest (VMXON/VMLAUNCH here) whose loop is counted by a counter enabled
 * only by the VM-entry load of IA32_PERF_GLOBAL_CTRL, the VM-exit save and
 * load, the VM-entry checks of both fields, the MSR-load/store lists and
 * RDPMC exiting.
 *
 * Output goes to COM1; the run ends through Bochs' shutdown port (0x8900),
 * after the line "pmutest: N passed, M failed". This file: the entry, the
 * probe; the checks are in msrs.c, counting.c and vmx.c (pmutest.h), the
 * harness in tools/efi-test.
 */
#include "pmutest.h"

const char efitest_name[] = "pmutest";

/* Bochs' shutdown port: the string "Shutdown" at 0x8900 ends the run. */
void emu_exit(int pass)
{
	const char *s = "Shutdown";

	puts_serial(pass ? "pmutest: exit pass\n" : "pmutest: exit fail\n");
	while (*s)
		outb(0x8900, *s++);
	for (;;)
		__asm__ volatile("cli; hlt");
}

unsigned ngp, version;

u64 gp_bits(void)
{
	return (1ul << ngp) - 1;
}

void pmu_clear(void)
{
	unsigned i;

	wrmsr(GLOBAL_CTRL, 0);
	for (i = 0; i < ngp; i++) {
		wrmsr(EVTSEL(i), 0);
		wrmsr(A_PMC(i), 0);
	}
	wrmsr(FIXED_CTRL, 0);
	for (i = 0; i < 3; i++)
		wrmsr(FIXED_CTR(i), 0);
	wrmsr(GLOBAL_RESET, gp_bits() | FIXED_BITS);
}

/* ---- the probe: what run.sh compares with the unpatched Bochs ------- */

/* returns 1 if the model is on (IA32_A_PMC0 keeps a written value) */
static int probe(void)
{
	static const u32 msrs[] = {
		0xc1, 0xc8, 0x186, 0x18d, 0x309, 0x30b, 0x30c, 0x345, 0x38d,
		0x38e, 0x38f, 0x390, 0x391, 0x392, 0x4c1, 0x4c8,
	};
	static const u32 pmcs[] = { 0, 1, 17, 18, 0x40000000, 0x80000000 };
	u32 a, b, c, d;
	u64 v, apmc0 = 0;
	unsigned i;

	cpuid(0, 0, &a, &b, &c, &d);
	probe_line("cpuid.0.eax", a);
	cpuid(1, 0, &a, &b, &c, &d);
	probe_line("cpuid.1.ecx", c);
	cpuid(0xa, 0, &a, &b, &c, &d);
	probe_line("cpuid.a.eax", a);
	probe_line("cpuid.a.ebx", b);
	probe_line("cpuid.a.ecx", c);
	probe_line("cpuid.a.edx", d);
	for (i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		int r = rdmsr_safe(msrs[i], &v);

		probe_line("rdmsr.fault", (u64)msrs[i] << 8 | (u8)r);
		probe_line("rdmsr.value", v);
		r = wrmsr_safe(msrs[i], 0x1234);
		probe_line("wrmsr.fault", (u64)msrs[i] << 8 | (u8)r);
		r = rdmsr_safe(msrs[i], &v);
		probe_line("rdmsr.after", (u64)msrs[i] << 8 | (u8)r);
		probe_line("rdmsr.value", v);
		if (msrs[i] == 0x4c1 && r < 0)
			apmc0 = v;
	}
	for (i = 0; i < sizeof(pmcs) / sizeof(pmcs[0]); i++) {
		int r = rdpmc_safe(pmcs[i], &v);

		probe_line("rdpmc.fault", (u64)pmcs[i] << 8 | (u8)r);
		probe_line("rdpmc.value", v);
	}
	return apmc0 == 0x1234;
}

void run_tests(void)
{
	u32 a, b, c, d;
	u64 reset_ctrl = 0;

	rdmsr_safe(GLOBAL_CTRL, &reset_ctrl);
	if (!probe()) {
		puts_serial("pmutest: no PMU model, probe done\n");
		emu_exit(1);
	}
	cpuid(0xa, 0, &a, &b, &c, &d);
	version = a & 0xff;
	ngp = (a >> 8) & 0xff;
	puts_serial("pmutest: PMU model v");
	put_dec(version);
	puts_serial(", ");
	put_dec(ngp);
	puts_serial(" general counters\n");
	test_cpuid();
	test_msrs(reset_ctrl);
	if (ngp < 8) {
		puts_serial("pmutest: fewer than 8 counters, CPUID and MSR checks only\n");
		return;
	}
	test_counting();
	test_pmi();
	test_vmx();
}
