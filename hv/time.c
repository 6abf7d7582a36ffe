// SPDX-License-Identifier: GPL-2.0
#include <arch/x86/cpu.h>
#include <hv/log.h>
#include <hv/time.h>

u64 tsc_hz;
u64 boot_tsc;

void time_init(u64 hz, u64 tsc_at_boot)
{
	tsc_hz = hz ? hz : 1000000000ULL;
	boot_tsc = tsc_at_boot;
}

u64 tsc_to_us(u64 ticks)
{
	if (!tsc_hz)
		return 0;
	/* Split to avoid overflow for long uptimes. */
	return ticks / tsc_hz * 1000000 + ticks % tsc_hz * 1000000 / tsc_hz;
}

u64 us_to_tsc(u64 us)
{
	return us / 1000000 * tsc_hz + us % 1000000 * tsc_hz / 1000000;
}

void udelay(u64 us)
{
	u64 end = rdtsc() + us_to_tsc(us);

	while ((s64)(rdtsc() - end) < 0)
		cpu_relax();
}

u64 hv_uptime_us(void)
{
	return tsc_to_us(rdtsc() - boot_tsc);
}
