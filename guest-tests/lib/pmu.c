// SPDX-License-Identifier: GPL-2.0
/* PMU helpers for the guest-tests (see pmu.h). */
#include "pmu.h"

int rdpmc_try(u32 idx, u64 *val)
{
	u32 lo = 0, hi = 0;

	gt_clear_exception();
	asm volatile(ASM_TRY("1f") "rdpmc\n1:"
		     : "+a"(lo), "=d"(hi)
		     : "c"(idx)
		     : "memory");
	gt_fixup_rip = 0;
	*val = (u64)hi << 32 | lo;
	return gt_last_vector();
}

struct gt_pmu gt_pmu;
u32 gt_pmu_msr_gctl = 0xc0000301u;

static bool vendor_intel(void)
{
	u32 a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	/* "GenuineIntel" in EBX, EDX, ECX */
	return b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e;
}

void pmu_detect(void)
{
	u32 a, b, c, d, max;

	gt_pmu = (struct gt_pmu){ .intel = vendor_intel() };
	if (gt_pmu.intel) {
		gt_pmu_msr_gctl = 0x38f;
		cpuid(0, 0, &max, &b, &c, &d);
		if (max < 0xa)
			return;
		cpuid(0xa, 0, &a, &b, &c, &d);
		gt_pmu.version = a & 0xff;
		if (!gt_pmu.version)
			return;
		gt_pmu.nr = a >> 8 & 0xff;
		gt_pmu.width = a >> 16 & 0xff;
		if (gt_pmu.version > 1) {
			gt_pmu.nr_fixed = d & 0x1f;
			gt_pmu.fixed_width = d >> 5 & 0xff;
		}
		return;
	}
	gt_pmu_msr_gctl = 0xc0000301u;
	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000022)
		return;
	cpuid(0x80000022, 0, &a, &b, &c, &d);
	gt_pmu.nr = a & 1 ? b & 0xf : 0;
	gt_pmu.width = CTR_BITS;
}

u32 pmu_nr_counters(void)
{
	return gt_pmu.nr;
}

u32 pmu_require(void)
{
	u32 n = pmu_nr_counters();

	if (!n) {
		gt_printf("FAIL: no PMU in CPUID (%s)\n", pmu_intel ?
			  "leaf 0AH" : "PerfMonV2, CPUID 0x80000022");
		gt_exit(1);
	}
	if (gt_pmu.width != CTR_BITS) {
		gt_printf("FAIL: counters of %u bits, the tests need %u\n",
			  gt_pmu.width, CTR_BITS);
		gt_exit(1);
	}
	return n;
}

void pmu_reset(void)
{
	u32 n = pmu_nr_counters();
	u64 all = (1ULL << n) - 1;

	wrmsr(MSR_GLOBAL_CTL, 0);
	for (u32 i = 0; i < n; i++) {
		wrmsr(MSR_PERF_CTL(i), 0);
		wrmsr(MSR_PERF_CTR(i), 0);
	}
	if (pmu_intel) {
		wrmsr(MSR_INTEL_FIXED_CTR_CTRL, 0);
		for (u32 i = 0; i < gt_pmu.nr_fixed; i++) {
			wrmsr(MSR_INTEL_FIXED_CTR(i), 0);
			all |= INTEL_FIXED_BIT(i);
		}
	}
	wrmsr(MSR_GLOBAL_STATUS_CLR, all);
}

/* pmu_loop, with the addresses of its DEC and JNZ (for PMI positions). */
PMU_WINDOW(pmu_loop,
	   "	mov %rsi, %rcx\n"
	   ".globl pmu_loop_dec\n"
	   "pmu_loop_dec:\n"
	   "	dec %rcx\n"
	   ".globl pmu_loop_jnz\n"
	   "pmu_loop_jnz:\n"
	   "	jnz pmu_loop_dec\n");

PMU_USER_WINDOW(pmu_user_loop,
		"1:	dec %rcx\n"
		"	jnz 1b\n");

PMU_USER_WINDOW_EXIT(pmu_user_fault_loop,
		     "1:	dec %rcx\n"
		     "	jnz 1b\n",
		     "	ud2\n");
