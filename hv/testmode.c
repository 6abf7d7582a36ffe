// SPDX-License-Identifier: GPL-2.0
#include <arch/x86/cpu.h>
#include <hv/abi.h>
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/printf.h>
#include <hv/rendezvous.h>
#include <hv/testmode.h>
#include <hv/time.h>
#include <hv/vm.h>

static bool reported;

static bool verdict(const struct vm *vm)
{
	switch (vm->cfg->expect) {
	case CFG_EXPECT_PASS:
		return vm->outcome == VM_OUT_EXIT && vm->exit_code == 0;
	case CFG_EXPECT_FAIL:
		return vm->outcome == VM_OUT_EXIT && vm->exit_code != 0;
	case CFG_EXPECT_CRASH:
		return vm->outcome == VM_OUT_CRASH;
	}
	return false;
}

/* Leaves the emulator with the verdict; on real hardware, just stops. */
static __noreturn void machine_exit(u32 status)
{
	outl(PV_DEBUG_EXIT_PORT, status);
	cpu_halt_forever();
}

void testmode_poll(void)
{
	u32 passed = 0, failed = 0;
	u64 now = rdtsc();

	if (reported)
		return;
	for (u32 i = 0; i < nr_vms; i++) {
		struct vm *vm = vms[i];

		/*
		 * Its time runs from its start, so a long guest ahead in its
		 * CPU's queue does not use up the time of those behind it.
		 */
		u64 start = vm_run_start(vm);

		if (vm->state == VM_RUNNING && start && now > start &&
		    now - start > us_to_tsc(vm->cfg->timeout_s * 1000000ULL))
			vm_stop(vm, VM_OUT_TIMEOUT, "no verdict after %u s",
				vm->cfg->timeout_s);
		if (vm->state == VM_RUNNING || vm->restart_pending)
			return;
	}

	reported = true;
	console_flush();	/* the guests' last words before the verdicts */
	for (u32 i = 0; i < nr_vms; i++) {
		struct vm *vm = vms[i];
		bool ok = verdict(vm);

		char notes[96];
		size_t n = 0;

		ok ? passed++ : failed++;
		notes[0] = '\0';
		if (vm->restarts)
			n += hv_snprintf(notes + n, sizeof(notes) - n,
					 "; %u restarts", vm->restarts);
		if (vm->out.lost)
			hv_snprintf(notes + n, sizeof(notes) - n,
				    "; %llu bytes of output lost",
				    (unsigned long long)vm->out.lost);
		pr_info("test %s: %s (%s: %s%s)\n", vm->name,
			ok ? "PASS" : "FAIL", vm_outcome_name(vm->outcome),
			vm->reason, notes);
	}
	/* Sections dropped for config errors count as failures too. */
	failed += boot_info->cfg.nr_errors ? 1 : 0;
	pr_info("guest-tests: %u passed, %u failed\n", passed, failed);
	console_flush();
	machine_exit(failed ? 1 : 0);
}
