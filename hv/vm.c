// SPDX-License-Identifier: GPL-2.0
/* VM life cycle shared by all paths: stopping and reporting. */
#include <arch/x86/cpu.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/sched.h>
#include <hv/vm.h>

struct vm *vms[MAX_VMS];
u32 nr_vms;

static const char *const outcome_names[] = {
	[VM_OUT_NONE] = "running",
	[VM_OUT_EXIT] = "exited",
	[VM_OUT_POWEROFF] = "powered off",
	[VM_OUT_RESET] = "reset",
	[VM_OUT_CRASH] = "crashed",
	[VM_OUT_TIMEOUT] = "timed out",
	[VM_OUT_STOPPED] = "stopped",
};

static bool restarts_on(const struct vm *vm, enum vm_outcome outcome)
{
	if (!vm->boot || vm->cfg->on_exit != CFG_ON_EXIT_RESTART)
		return false;
	return outcome == VM_OUT_POWEROFF || outcome == VM_OUT_RESET ||
	       outcome == VM_OUT_CRASH;
}

const char *vm_outcome_name(enum vm_outcome o)
{
	return o < ARRAY_SIZE(outcome_names) ? outcome_names[o] : "?";
}

void vm_stop(struct vm *vm, enum vm_outcome outcome, const char *fmt, ...)
{
	va_list ap;

	spin_lock(&vm->lock);
	if (vm->state == VM_STOPPED) {
		spin_unlock(&vm->lock);
		return;
	}
	va_start(ap, fmt);
	hv_vsnprintf(vm->reason, sizeof(vm->reason), fmt, ap);
	va_end(ap);
	vm->outcome = outcome;
	vm->stop_tsc = rdtsc();
	if (restarts_on(vm, outcome))
		vm->restart_pending = true;
	/*
	 * The line goes into the host ring before anyone can see the guest
	 * stopped: the supervisor's "no guest is running" then always comes
	 * after it, and tests and users can wait for that one line. It never
	 * waits for the port off the boot CPU (hv/console_out.c).
	 */
	if (outcome == VM_OUT_CRASH || outcome == VM_OUT_TIMEOUT)
		pr_err("vm %s %s: %s\n", vm->name, vm_outcome_name(outcome),
		       vm->reason);
	else
		pr_info("vm %s %s: %s\n", vm->name, vm_outcome_name(outcome),
			vm->reason);
	__atomic_store_n(&vm->state, VM_STOPPED, __ATOMIC_RELEASE);
	spin_unlock(&vm->lock);

	/* vCPUs running elsewhere leave the guest at their next exit. */
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		sched_kick(pcpus[vm->vcpus[i]->pcpu]);
}
