// SPDX-License-Identifier: GPL-2.0
/*
 * A host invariant broke: say so, stop the other CPUs with an NMI and halt.
 * In test mode the emulator is told the run failed.
 */
#include <arch/x86/cpu.h>
#include <drivers/lapic.h>
#include <hv/abi.h>
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/printf.h>

static volatile bool in_panic;

bool panic_in_progress(void)
{
	return in_panic;
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	irq_disable();
	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (__atomic_exchange_n(&in_panic, true, __ATOMIC_SEQ_CST))
		cpu_halt_forever();	/* another CPU is already panicking */
	console_emergency();

	pr_err("PANIC: %s\n", msg);
	for (u32 i = 0; i < nr_pcpus; i++)
		if (pcpus[i] && pcpus[i]->online && i != this_cpu_index())
			lapic_send_ipi(pcpus[i]->apic_id, ICR_DM_NMI);
	if (boot_info && boot_info->cfg.mode == CFG_MODE_TEST)
		outl(PV_DEBUG_EXIT_PORT, 1);
	cpu_halt_forever();
}
