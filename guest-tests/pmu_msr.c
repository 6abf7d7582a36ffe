// SPDX-License-Identifier: GPL-2.0
/*
 * The PMU's MSRs as on bare metal of the model (docs/qemu-pmu.md): reset
 * values; every PERF_CTL/PERF_CTR keeps what is written (bits 63:48 of a
 * counter ignored); the legacy K7 MSRs are aliases of counters 0-3; #GP
 * for each reserved selector bit (19, 21, 39:36, 63:42) with the old value
 * kept, for the MSRs beyond the counter count up to 0xc001022f, for any
 * GlobalStatus write and reserved GlobalCtl bits (GlobalStatusClr/Set
 * ignore bits beyond the counters);
 * GlobalStatusSet/Clr set and clear status bits and read as 0. The guest
 * reads back Host/Guest-Only as written.
 * Catches: wrong reset values, a selector not read back as written (e.g.
 * the hypervisor's forced GuestOnly bit leaking into the guest's view),
 * missing or extra #GP, aliases that are separate registers, 64-bit wide
 * counters, a writable GlobalStatus.
 * requires: pmu-amd
 */
#include "pmu.h"

static u32 nr;

/* RDMSR that must not fault (a FAIL line if it does). */
static u64 rd(u32 msr)
{
	u64 v = 0xdeadbeef;

	if (rdmsr_try(msr, &v) != -1) {
		gt_printf("rdmsr %#x faulted\n", msr);
		EXPECT(!"rdmsr faulted");
	}
	return v;
}

static void reset_values(void)
{
	u64 v;

	for (u32 i = 0; i < nr; i++) {
		EXPECT_EQ(rd(MSR_PERF_CTL(i)), 0);
		EXPECT_EQ(rd(MSR_PERF_CTR(i)), 0);
	}
	for (u32 i = 0; i < 4 && i < nr; i++) {
		EXPECT_EQ(rd(MSR_K7_EVNTSEL(i)), 0);
		EXPECT_EQ(rd(MSR_K7_PERFCTR(i)), 0);
	}
	EXPECT_EQ(rd(MSR_GLOBAL_CTL), (1ULL << nr) - 1);
	EXPECT_EQ(rd(MSR_GLOBAL_STATUS), 0);
	EXPECT_EQ(rdmsr_try(MSR_GLOBAL_STATUS_CLR, &v), -1);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(rdmsr_try(MSR_GLOBAL_STATUS_SET, &v), -1);
	EXPECT_EQ(v, 0);
}

static void read_write(void)
{
	u32 bad = 0;

	/* EN clear: nothing counts while the values are checked. */
	for (u32 i = 0; i < nr; i++) {
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTL(i), SEL_EVENT(0x1c0 + i) |
				    SEL_UMASK(0x5a) | SEL_USR | SEL_OS |
				    SEL_INT | SEL_EDGE | SEL_INV |
				    SEL_CMASK(3) | SEL_GUESTONLY), -1);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTR(i), 0x123456789a00ULL + i),
			  -1);
	}
	for (u32 i = 0; i < nr; i++) {
		EXPECT_EQ(rd(MSR_PERF_CTL(i)), SEL_EVENT(0x1c0 + i) |
			  SEL_UMASK(0x5a) | SEL_USR | SEL_OS | SEL_INT |
			  SEL_EDGE | SEL_INV | SEL_CMASK(3) | SEL_GUESTONLY);
		EXPECT_EQ(rd(MSR_PERF_CTR(i)), 0x123456789a00ULL + i);
	}

	/* Every valid bit at once, EN too: read back exactly. */
	for (u32 i = 0; i < nr; i++) {
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTL(i), SEL_VALID), -1);
		EXPECT_EQ(rd(MSR_PERF_CTL(i)), SEL_VALID);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTL(i), SEL_HOSTONLY | SEL_EN |
				    SEL_OS | EV_INSNS), -1);
		EXPECT_EQ(rd(MSR_PERF_CTL(i)), SEL_HOSTONLY | SEL_EN |
			  SEL_OS | EV_INSNS);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTL(i), 0), -1);
	}

	/* 48-bit counters: bits 63:48 are ignored and read as 0. */
	for (u32 i = 0; i < nr; i++) {
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTR(i), ~0ULL), -1);
		EXPECT_EQ(rd(MSR_PERF_CTR(i)), CTR_MASK);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTR(i), 0xabcd000000001234ULL),
			  -1);
		EXPECT_EQ(rd(MSR_PERF_CTR(i)), 0x1234);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTR(i), 0), -1);
	}

	/* Reserved selector bits: #GP, the old value kept. */
	for (u32 i = 0; i < nr; i++) {
		u64 keep = SEL_EVENT(EV_INSNS) | SEL_OS | SEL_USR;

		wrmsr(MSR_PERF_CTL(i), keep);
		for (int b = 19; b < 64; b++) {
			if (b == 20 || (b >= 22 && b <= 35) || b == 40 ||
			    b == 41)
				continue;
			if (wrmsr_try(MSR_PERF_CTL(i), keep | 1ULL << b) != 13 ||
			    rdmsr(MSR_PERF_CTL(i)) != keep) {
				gt_printf("counter %u: reserved bit %d accepted\n",
					  i, b);
				bad++;
			}
		}
		wrmsr(MSR_PERF_CTL(i), 0);
	}
	EXPECT_EQ(bad, 0);
}

static void aliases(void)
{
	for (u32 i = 0; i < 4 && i < nr; i++) {
		u64 sel = SEL_EVENT(0xc2) | SEL_UMASK(i) | SEL_OS;

		EXPECT_EQ(wrmsr_try(MSR_PERF_CTL(i), sel), -1);
		EXPECT_EQ(rd(MSR_K7_EVNTSEL(i)), sel);
		EXPECT_EQ(wrmsr_try(MSR_K7_EVNTSEL(i), sel | SEL_USR), -1);
		EXPECT_EQ(rd(MSR_PERF_CTL(i)), sel | SEL_USR);
		EXPECT_EQ(wrmsr_try(MSR_PERF_CTR(i), 0x100 + i), -1);
		EXPECT_EQ(rd(MSR_K7_PERFCTR(i)), 0x100 + i);
		EXPECT_EQ(wrmsr_try(MSR_K7_PERFCTR(i), ~0ULL - i), -1);
		EXPECT_EQ(rd(MSR_PERF_CTR(i)), CTR_MASK - i);
		/* Reserved bits through the alias too. */
		EXPECT_EQ(wrmsr_try(MSR_K7_EVNTSEL(i), 1ULL << 21), 13);
		EXPECT_EQ(rd(MSR_PERF_CTL(i)), sel | SEL_USR);
		wrmsr(MSR_K7_EVNTSEL(i), 0);
		wrmsr(MSR_K7_PERFCTR(i), 0);
		EXPECT_EQ(rd(MSR_PERF_CTR(i)), 0);
	}
}

static void beyond_count(void)
{
	u32 bad = 0;
	u64 v;

	for (u32 msr = MSR_PERF_CTL(nr); msr <= MSR_PERF_LAST; msr++) {
		if (rdmsr_try(msr, &v) != 13 || wrmsr_try(msr, 0) != 13) {
			gt_printf("MSR %#x beyond the %u counters: no #GP\n",
				  msr, nr);
			bad++;
		}
	}
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(rdpmc_try(nr, &v), 13);
}

static void global_msrs(void)
{
	u64 all = (1ULL << nr) - 1, v;

	/* GlobalStatus is read-only. */
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS, 0), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS, 1), 13);
	EXPECT_EQ(rd(MSR_GLOBAL_STATUS), 0);

	/* GlobalCtl: one bit per counter. */
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, 0), -1);
	EXPECT_EQ(rd(MSR_GLOBAL_CTL), 0);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, 0x15 & all), -1);
	EXPECT_EQ(rd(MSR_GLOBAL_CTL), 0x15 & all);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, 1ULL << nr), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, 1ULL << 32), 13);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, 1ULL << 63), 13);
	EXPECT_EQ(rd(MSR_GLOBAL_CTL), 0x15 & all);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_CTL, all), -1);
	EXPECT_EQ(rd(MSR_GLOBAL_CTL), all);
	wrmsr(MSR_GLOBAL_CTL, 0);

	/* GlobalStatusSet / Clr. */
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_SET, 0x5 & all), -1);
	EXPECT_EQ(rd(MSR_GLOBAL_STATUS), 0x5 & all);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_SET, 0x1), -1);
	EXPECT_EQ(rd(MSR_GLOBAL_STATUS), 0x5 & all);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_CLR, 0x1), -1);
	EXPECT_EQ(rd(MSR_GLOBAL_STATUS), 0x4 & all);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_SET, all), -1);
	EXPECT_EQ(rd(MSR_GLOBAL_STATUS), all);
	EXPECT_EQ(rdmsr_try(MSR_GLOBAL_STATUS_SET, &v), -1);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(rdmsr_try(MSR_GLOBAL_STATUS_CLR, &v), -1);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_CLR, all), -1);
	EXPECT_EQ(rd(MSR_GLOBAL_STATUS), 0);
	/*
	 * Bits beyond the counters are ignored, never #GP: Linux's PerfMonV2
	 * PMI handler writes ~status (all ones) to Clr after every PMI.
	 */
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_SET, 1ULL << nr), -1);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_CLR, 1ULL << nr), -1);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_SET, 1ULL << 32), -1);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_CLR, ~0ULL), -1);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_CLR, GLOBAL_STATUS_LBR_FROZEN),
		  -1);
	EXPECT_EQ(wrmsr_try(MSR_GLOBAL_STATUS_SET, GLOBAL_STATUS_LBR_FROZEN),
		  -1);
	EXPECT_EQ(rd(MSR_GLOBAL_STATUS), 0);
}

void test_main(void)
{
	nr = pmu_require();
	/* Six on the model; five under `profile = on` (docs/profile.md). */
	EXPECT(nr == PMU_MAX_COUNTERS || nr == PMU_MAX_COUNTERS - 1);
	reset_values();
	read_write();
	aliases();
	beyond_count();
	global_msrs();
}
