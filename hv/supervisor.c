// SPDX-License-Identifier: GPL-2.0
/*
 * The boot CPU's loop, once the guests run: every tick it takes console
 * input, drives each running guest's PIT, supervises test mode and sends
 * queued console output; in between it sleeps on its APIC timer. Nothing
 * in it waits for a guest: restarts are done by the guest's own CPU
 * (hv/vm_reset.c), guest output only waits in the guest's ring.
 */
#include <drivers/lapic.h>
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/sched.h>
#include <hv/shell.h>
#include <hv/supervisor.h>
#include <hv/testmode.h>
#include <hv/vm.h>
#include <hv/vpit.h>

#define TICK_US 1000	/* 115200 baud moves 16 bytes (a FIFO) in 1.4 ms */

void supervisor_loop(void)
{
	bool all_done_reported = false;
	bool test = boot_info->cfg.mode == CFG_MODE_TEST;

	console_start();
	for (;;) {
		bool running = false;

		if (!test)
			console_poll_input();
		for (u32 i = 0; i < nr_vms; i++) {
			if (vms[i]->state == VM_RUNNING)
				vpit_poll(vms[i]);
			if (vms[i]->state == VM_RUNNING ||
			    vms[i]->restart_pending)
				running = true;
		}
		vm_watchdog_poll();
		if (test) {
			testmode_poll();
		} else if (!running && !all_done_reported) {
			pr_info("no guest is running\n");
			all_done_reported = true;
			if (!console_focused())
				shell_prompt();
		} else if (running) {
			all_done_reported = false;
		}
		console_out_poll();
		lapic_timer_oneshot_us(TICK_US);
		sched_idle();
	}
}
