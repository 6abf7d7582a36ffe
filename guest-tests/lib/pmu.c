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

u32 pmu_nr_counters(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000022)
		return 0;
	cpuid(0x80000022, 0, &a, &b, &c, &d);
	return a & 1 ? b & 0xf : 0;
}

u32 pmu_require(void)
{
	u32 n = pmu_nr_counters();

	if (!n) {
		gt_printf("FAIL: no PerfMonV2 PMU in CPUID 0x80000022\n");
		gt_exit(1);
	}
	return n;
}

void pmu_reset(void)
{
	u32 n = pmu_nr_counters();

	wrmsr(MSR_GLOBAL_CTL, 0);
	for (u32 i = 0; i < n; i++) {
		wrmsr(MSR_PERF_CTL(i), 0);
		wrmsr(MSR_PERF_CTR(i), 0);
	}
	wrmsr(MSR_GLOBAL_STATUS_CLR, (1ULL << n) - 1);
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
