// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI PM timer (ACPI 6.5 4.8.3.3): a free-running counter at
 * 3.579545 MHz at ACPI_PM_TMR_PORT, 32 bits wide (the FADT sets
 * TMR_VAL_EXT, hv/acpi_build.c). It is derived from the host TSC, whose
 * rate is known (tsc_hz), so it keeps the TSC's pace exactly and never
 * exits to be kept up to date. It is the platform's clock, one for the
 * whole VM: it does not follow a vCPU's own TSC writes (IA32_TSC, which
 * move only that vCPU's TSC). TMR_STS and the SCI on a carry out of bit
 * 31 are not modelled (TMR_EN may be set, nothing fires).
 */
#include <arch/x86/cpu.h>
#include <hv/acpi_build.h>
#include <hv/io.h>
#include <hv/time.h>
#include <hv/vm.h>

static int tmr_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	u64 hz = tsc_hz ? tsc_hz : 1, ticks = rdtsc() - vm->start_tsc;
	/* Split so that nothing overflows 64 bits (hz is below 2^42). */
	u32 v = (u32)((ticks / hz) * ACPI_PM_TMR_HZ +
		      (ticks % hz) * ACPI_PM_TMR_HZ / hz);

	/* A narrower read gives the low bytes from @port's offset on. */
	*val = v >> ((port - ACPI_PM_TMR_PORT) * 8);
	if (size < 4)
		*val &= (1u << (size * 8)) - 1;
	return 0;
}

const struct io_dev vpm_timer_dev = {
	.name = "acpi-pm-timer",
	.base = ACPI_PM_TMR_PORT,
	.len = 4,
	.read = tmr_read,
	/* writes: read-only register, ignored */
};
