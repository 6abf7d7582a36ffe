// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmutest (Bochs): CPUID leaf 0xA of the model and the PMU MSRs: values
 * kept, widths, the #GP cases, the global control and status MSRs.
 */
#include "pmutest.h"

void test_cpuid(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	check("cpuid 1 ecx[15] PDCM", (c >> 15) & 1, 1);
	cpuid(0xa, 0, &a, &b, &c, &d);
	check("cpuid 0xa version 4 or 5", version == 4 || version == 5, 1);
	check("cpuid 0xa eax[23:16] counter width 48", (a >> 16) & 0xff, 48);
	check("cpuid 0xa eax[31:24] event vector length 7", a >> 24, 7);
	check("cpuid 0xa ebx: only LLC events unavailable", b, 0x18);
	check("cpuid 0xa edx[4:0] fixed counters 3", d & 0x1f, 3);
	check("cpuid 0xa edx[12:5] fixed width 48", (d >> 5) & 0xff, 48);
	check("cpuid 0xa ecx: fixed-counter bitmask (v5) / 0 (v4)", c, version >= 5 ? 7 : 0);
	check("cpuid 0xa edx[15] AnyThread deprecated iff v5", (d >> 15) & 1, version >= 5);
	check("PERF_CAPABILITIES FW_WRITE", (rdmsr(PERF_CAP) >> 13) & 1, 1);
}

void test_msrs(u64 reset_ctrl)
{
	u64 v;
	unsigned i;

	check("GLOBAL_CTRL after reset enables the general counters", reset_ctrl, gp_bits());
	pmu_clear();
	check("GLOBAL_STATUS clear", rdmsr(GLOBAL_STATUS), 0);
	for (i = 0; i < ngp; i++) {
		wrmsr(EVTSEL(i), 0x12345 + i);
		wrmsr(A_PMC(i), 0x111100000000ul + i);
	}
	for (i = 0; i < ngp; i++) {
		if (!check("PERFEVTSEL keeps its value", rdmsr(EVTSEL(i)), 0x12345 + i))
			break;
		if (!check("IA32_A_PMC keeps 48 bits", rdmsr(A_PMC(i)), 0x111100000000ul + i))
			break;
		if (!check("IA32_PMC reads the same counter", rdmsr(PMC(i)), 0x111100000000ul + i))
			break;
	}
	wrmsr(PMC(1), 0xffffffff80000000ul);
	check("legacy PMC write sign-extends bit 31", rdmsr(A_PMC(1)), 0xffff80000000ul);
	wrmsr(PMC(1), 0x123456787ffffffful);
	check("legacy PMC write: EDX ignored, bit 31 clear", rdmsr(PMC(1)), 0x7ffffffful);
	check("A_PMC write of bit 48 #GP", wrmsr_safe(A_PMC(0), 1ul << 48), 13);
	for (i = 0; i < 3; i++)
		wrmsr(FIXED_CTR(i), 0xabc000000000ul + i);
	for (i = 0; i < 3; i++)
		check("FIXED_CTR keeps 48 bits", rdmsr(FIXED_CTR(i)), 0xabc000000000ul + i);
	check("FIXED_CTR write of bit 48 #GP", wrmsr_safe(FIXED_CTR(0), 1ul << 48), 13);
	check("rdmsr FIXED_CTR3 #GP", rdmsr_safe(FIXED_CTR(3), &v), 13);
	if (ngp < 8) {
		check("rdmsr PMC(n) #GP", rdmsr_safe(PMC(ngp), &v), 13);
		check("wrmsr PMC(n) #GP", wrmsr_safe(PMC(ngp), 0), 13);
		check("rdmsr A_PMC(n) #GP", rdmsr_safe(A_PMC(ngp), &v), 13);
		check("rdmsr PERFEVTSEL(n) #GP", rdmsr_safe(EVTSEL(ngp), &v), 13);
		check("wrmsr PERFEVTSEL(n) #GP", wrmsr_safe(EVTSEL(ngp), 0), 13);
	}
	check("PERFEVTSEL bit 32 #GP", wrmsr_safe(EVTSEL(0), 1ul << 32), 13);
	check("PERFEVTSEL bit 63 #GP", wrmsr_safe(EVTSEL(0), 1ul << 63), 13);
	check("PERFEVTSEL ANY: #GP iff v5", wrmsr_safe(EVTSEL(0), ANY) == 13, version >= 5);
	check("PERFEVTSEL all defined bits ok",
	      wrmsr_safe(EVTSEL(0), CMASK(0xff) | INV | EN | INT | PC | EDGE | OS | USR | 0xffff), -1);
	check("FIXED_CTR_CTRL bit 12 #GP", wrmsr_safe(FIXED_CTRL, 1ul << 12), 13);
	check("FIXED_CTR_CTRL ANY bit: #GP iff v5", wrmsr_safe(FIXED_CTRL, 4) == 13, version >= 5);
	check("FIXED_CTR_CTRL EN/PMI bits ok", wrmsr_safe(FIXED_CTRL, 0xbbb), -1);
	check("GLOBAL_CTRL bit 35 #GP", wrmsr_safe(GLOBAL_CTRL, 1ul << 35), 13);
	if (ngp < 32)
		check("GLOBAL_CTRL bit n #GP", wrmsr_safe(GLOBAL_CTRL, 1ul << ngp), 13);
	check("GLOBAL_CTRL counters' bits ok", wrmsr_safe(GLOBAL_CTRL, gp_bits() | FIXED_BITS), -1);
	check("GLOBAL_CTRL reads back", rdmsr(GLOBAL_CTRL), gp_bits() | FIXED_BITS);
	wrmsr(GLOBAL_CTRL, 0);
	check("GLOBAL_STATUS write #GP", wrmsr_safe(GLOBAL_STATUS, 0), 13);
	check("GLOBAL_INUSE write #GP", wrmsr_safe(GLOBAL_INUSE, 0), 13);
	check("PERF_CAPABILITIES write #GP", wrmsr_safe(PERF_CAP, 0), 13);
	check("GLOBAL_STATUS_SET bit 40 #GP", wrmsr_safe(GLOBAL_SET, 1ul << 40), 13);
	check("GLOBAL_STATUS_RESET bit 40 #GP", wrmsr_safe(GLOBAL_RESET, 1ul << 40), 13);
	wrmsr(GLOBAL_SET, 0x5 | (1ul << 33));
	check("GLOBAL_STATUS_SET sets status bits", rdmsr(GLOBAL_STATUS), 0x5 | (1ul << 33));
	wrmsr(GLOBAL_RESET, 0x1 | (1ul << 33));
	check("GLOBAL_STATUS_RESET clears status bits", rdmsr(GLOBAL_STATUS), 0x4);
	check("GLOBAL_STATUS_SET reads 0", rdmsr(GLOBAL_SET), 0);
	wrmsr(GLOBAL_RESET, (1ul << 63) | 0x4);	/* CondChgd: accepted */
	check("GLOBAL_STATUS_RESET clears all", rdmsr(GLOBAL_STATUS), 0);

	/* GLOBAL_INUSE: event select non-zero, fixed enabled, PMI_InUse */
	pmu_clear();
	wrmsr(EVTSEL(0), 0xc0);
	wrmsr(EVTSEL(2), INT);
	wrmsr(FIXED_CTRL, 0x200);
	check("GLOBAL_INUSE", rdmsr(GLOBAL_INUSE), 0x1 | (1ul << 34) | (1ul << 63));
	pmu_clear();
	check("GLOBAL_INUSE after clearing", rdmsr(GLOBAL_INUSE), 0);
}
