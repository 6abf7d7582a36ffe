// SPDX-License-Identifier: GPL-2.0
/*
 * A host invariant broke: say so, stop the other CPUs with an NMI and halt
 * (arch/x86/fault.c). In test mode the emulator is told the run failed.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/fault.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/printf.h>

bool panic_in_progress(void)
{
	return fault_stopping();
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	irq_disable();
	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Halts here if another CPU is already stopping the machine. */
	if (fault_fatal_begin() != STOP_QUIET)
		fault_printf("PANIC: %s\n", msg);
	fault_stop_machine();
}
