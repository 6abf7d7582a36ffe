// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI PM timer (ACPI 6.5 4.8.3.3): the FADT names its I/O port
 * (PM_TMR_BLK, PM_TMR_LEN 4, X_PM_TMR_BLK) and says it is 32 bits wide
 * (flag TMR_VAL_EXT); it counts at 3.579545 MHz, checked against the TSC
 * to 1%. Each bound is bracketed from outside: the shortest TSC interval
 * that surely lies between the two reads and the longest that surely
 * holds them, so a stalled vCPU can only widen the bracket.
 */
#include "gt.h"

#define PM_HZ       3579545ULL
#define TMR_VAL_EXT (1u << 8)

static const u8 *find_fadt(void)
{
	const u8 *rsdp = NULL, *xsdt;
	u64 n;

	for (u64 a = 0xe0000; a < 0x100000; a += 16)
		if (!memcmp((const void *)a, "RSD PTR ", 8)) {
			rsdp = (const u8 *)a;
			break;
		}
	if (!rsdp)
		return NULL;
	xsdt = (const u8 *)*(const u64 *)(rsdp + 24);
	n = (*(const u32 *)(xsdt + 4) - 36) / 8;
	for (u64 i = 0; i < n; i++) {
		const u8 *t = (const u8 *)*(const u64 *)(xsdt + 36 + 8 * i);

		if (!memcmp(t, "FACP", 4))
			return t;
	}
	return NULL;
}

void test_main(void)
{
	const u8 *fadt = find_fadt();
	u64 khz = gt_tsc_per_ms(), t0, t1, t2, t3, lo, hi;
	u32 port, p0, p1, ticks;

	EXPECT(fadt != NULL);
	if (!fadt)
		return;
	port = *(const u32 *)(fadt + 76);		/* PM_TMR_BLK */
	gt_printf("PM timer at port %#x, length %u, flags %#x\n", port,
		  fadt[91], *(const u32 *)(fadt + 112));
	EXPECT(port != 0 && port < 0x10000);
	EXPECT_EQ(fadt[91], 4);				/* PM_TMR_LEN */
	EXPECT(*(const u32 *)(fadt + 112) & TMR_VAL_EXT);
	EXPECT_EQ(fadt[208], 1);			/* X_PM_TMR_BLK: I/O */
	EXPECT_EQ(fadt[209], 32);
	EXPECT_EQ(*(const u64 *)(fadt + 212), port);
	if (!port || port >= 0x10000)
		return;

	t0 = rdtsc();
	p0 = inl((u16)port);
	t1 = rdtsc();
	do
		t2 = rdtsc();
	while (t2 - t1 < 20 * khz);
	p1 = inl((u16)port);
	t3 = rdtsc();
	ticks = p1 - p0;
	/* TSC ticks * PM_HZ / TSC Hz, with 1% either side. */
	lo = (t2 - t1) * PM_HZ / (khz * 1000) * 99 / 100;
	hi = (t3 - t0) * PM_HZ / (khz * 1000) * 101 / 100 + 1;
	gt_printf("PM timer %u ticks, TSC bracket %llu..%llu\n", ticks,
		  (unsigned long long)lo, (unsigned long long)hi);
	EXPECT(ticks >= lo);
	EXPECT(ticks <= hi);
}
