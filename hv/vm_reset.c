// SPDX-License-Identifier: GPL-2.0
/*
 * Restarting a guest: what a platform reset does to a PC, done by the CPU
 * of the guest's vCPU 0 (its own time, never the console's) while none of
 * the guest's vCPUs is on a CPU. RAM is zeroed, the
 * vCPUs go back to their reset state (vCPU 0 runnable, the others waiting
 * for SIPI), local APICs, the I/O APIC, the UART and the legacy devices
 * are reset, and the images the loader read at boot (still in memory,
 * struct boot_vm) are loaded again. Kept across the reset: the console
 * output ring (and a line of it being shown), the exit statistics, CMOS RAM (battery-backed on a PC).
 */
#include <arch/x86/cpu.h>
#include <hv/apic_bus.h>
#include <hv/bootinfo.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/ram_lazy.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/vcpu.h>
#include <hv/vioapic.h>
#include <hv/vm_create.h>
#include <hv/vpit.h>
#include <hv/vuart.h>
#include <pmu/pmu.h>

/* True once no CPU has one of @vm's vCPUs as its current one. */
static bool vcpus_off_cpu(struct vm *vm)
{
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = vm->vcpus[i];
		struct pcpu *cpu = pcpus[v->pcpu];
		bool busy;

		spin_lock(&cpu->lock);
		busy = cpu->current == v;
		spin_unlock(&cpu->lock);
		if (busy)
			return false;
	}
	return true;
}

static void reset_vcpu(struct vcpu *v)
{
	virt->vcpu_reset(v);
	v->asked = false;		/* the backend's windows are off */
	xstate_vcpu_reset(v);		/* FPU/SSE/AVX, XCR0, DR0-3/DR6 */
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = 0xfff0;
	v->regs.rflags = X86_RFLAGS_FIXED;
	v->msr_tsc_aux = 0;
	v->msr_mtrr_def_type = 0x806;	/* as at creation: enabled, WB */
	v->msr_misc_enable = VCPU_MISC_ENABLE_RESET;
	v->tsc_offset = v->msr_tsc_adjust = 0;
	virt->set_tsc_offset(v, 0);
	apic_bus_init_vcpu(v);		/* power-up state (11.4.7.1) */
	pmu_vcpu_reset(v);		/* counters zero, reset values */
	v->state = v->id == 0 ? VCPU_RUNNABLE : VCPU_WAIT_SIPI;
}

static void reset_devices(struct vm *vm)
{
	vioapic_reset(vm);
	vuart_reset(vm);
	vpit_reset(vm);
	memset(vm->pic_imr, 0, sizeof(vm->pic_imr));
	memset(vm->pic_icw_left, 0, sizeof(vm->pic_icw_left));
	memset(vm->pic_elcr, 0, sizeof(vm->pic_elcr));
	vm->cmos_index = 0;
	vm->pci_addr = 0;
	vm->pm1_enable = 0;
}

/* Exits of all the VM's vCPUs, across its boots. */
static u64 vm_exits(const struct vm *vm)
{
	u64 n = 0;

	for (u32 i = 0; i < vm->nr_vcpus; i++)
		n += vm->vcpus[i]->nr_exits;
	return n;
}

/*
 * Notes an automatic restart; true if it closes a loop: RESTART_LOOP_COUNT
 * of them within RESTART_LOOP_EXITS exits. The window is counted in what
 * the guest did, not in time, so a slow machine neither hides a loop nor
 * makes one of a guest that works between its reboots.
 */
static bool restart_loop(struct vm *vm)
{
	u64 now = vm_exits(vm);

	vm->loop_exits[vm->loop_n++ % RESTART_LOOP_COUNT] = now;
	if (vm->loop_n < RESTART_LOOP_COUNT)
		return false;
	return now - vm->loop_exits[vm->loop_n % RESTART_LOOP_COUNT] <
	       RESTART_LOOP_EXITS;
}

static int vm_reboot(struct vm *vm)
{
	int err;

	vm->watchdog_tsc = 0;
	ram_lazy_reset(vm);		/* zeroed again on first touch */
	reset_devices(vm);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		reset_vcpu(vm->vcpus[i]);
	err = vm_load_image(vm, vm->boot);
	if (err)
		pr_err("vm %s: restart failed (%d)\n", vm->name, err);
	return err;
}

/* On the CPU of the VM's vCPU 0, none of its vCPUs on a CPU. */
static void vm_restart(struct vm *vm)
{
	u64 t0 = rdtsc();
	bool manual, run = false;
	int err;

	spin_lock(&vm->lock);
	if (!vm->restart_pending || vm->state != VM_STOPPED) {
		spin_unlock(&vm->lock);
		return;
	}
	manual = vm->restart_manual;
	vm->restart_manual = false;
	vm->resetting = true;
	spin_unlock(&vm->lock);

	if (manual) {
		vm->loop_n = 0;
	} else if (restart_loop(vm)) {
		/* Logged before `vms` or the supervisor can see it (vm_stop). */
		spin_lock(&vm->lock);
		pr_err("vm %s: restart loop: %u restarts within %u guest exits: stopped (`start %s` boots it again)\n",
		       vm->name, RESTART_LOOP_COUNT, RESTART_LOOP_EXITS,
		       vm->name);
		hv_snprintf(vm->reason, sizeof(vm->reason),
			    "restart loop: %u restarts within %u exits",
			    RESTART_LOOP_COUNT, RESTART_LOOP_EXITS);
		vm->resetting = false;
		__atomic_store_n(&vm->restart_pending, false, __ATOMIC_RELEASE);
		spin_unlock(&vm->lock);
		return;
	}
	err = vm_reboot(vm);

	spin_lock(&vm->lock);
	vm->resetting = false;
	if (err) {
		/* The image loaded the first time: only a bug gets here. */
		vm->restart_pending = false;
		vm->outcome = VM_OUT_CRASH;
		strlcpy(vm->reason, "restart failed", sizeof(vm->reason));
	} else if (vm->restart_pending) {
		vm->restarts++;
		vm->outcome = VM_OUT_NONE;
		vm->exit_code = 0;
		vm->reason[0] = '\0';
		vm->start_tsc = rdtsc();
		/* A rebooted guest meets its instances from the start again. */
		__atomic_store_n(&vm->rdv_phase, 0, __ATOMIC_RELEASE);
		vm->restart_pending = false;
		__atomic_store_n(&vm->state, VM_RUNNING, __ATOMIC_RELEASE);
		run = true;
	}
	/* else: `stop` from the console while RAM was being cleared. */
	spin_unlock(&vm->lock);
	if (!run)
		return;
	pr_info("vm %s: restarted (restart %u), reset took %llu ms\n",
		vm->name, vm->restarts,
		(unsigned long long)tsc_to_us(rdtsc() - t0) / 1000);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		sched_kick(pcpus[vm->vcpus[i]->pcpu]);
}

void vm_watchdog_poll(void)
{
	for (u32 i = 0; i < nr_vms; i++) {
		struct vm *vm = vms[i];
		u64 due = vm->watchdog_tsc;

		if (!due || vm->state != VM_RUNNING ||
		    (s64)(rdtsc() - due) < 0)
			continue;
		vm->watchdog_tsc = 0;
		if (!vm->boot)
			continue;
		vm_stop(vm, VM_OUT_RESET, "watchdog expired: reset");
		vm_request_restart(vm);
	}
}

void vm_restart_work(struct pcpu *cpu)
{
	for (u32 i = 0; i < nr_vms; i++) {
		struct vm *vm = vms[i];

		if (!vm->restart_pending || !vm->nr_vcpus ||
		    vm->vcpus[0]->pcpu != cpu->index ||
		    vm->state != VM_STOPPED || !vcpus_off_cpu(vm))
			continue;
		vm_restart(vm);
	}
}

static void kick_restarter(struct vm *vm)
{
	if (vm->nr_vcpus)
		sched_kick(pcpus[vm->vcpus[0]->pcpu]);
}

void vm_vcpu_left(struct vcpu *vcpu)
{
	if (vcpu->id && vcpu->vm->restart_pending)
		kick_restarter(vcpu->vm);
}

int vm_request_restart(struct vm *vm)
{
	if (!vm->boot)
		return -ENOEXEC;	/* it never started: its files are bad */
	if (vm->state == VM_RUNNING)
		vm_stop(vm, VM_OUT_RESET, "reset from the console");
	spin_lock(&vm->lock);
	vm->restart_pending = true;
	vm->restart_manual = true;
	spin_unlock(&vm->lock);
	kick_restarter(vm);
	return 0;
}

void vm_cancel_restart(struct vm *vm)
{
	spin_lock(&vm->lock);
	if (vm->restart_pending && vm->state == VM_STOPPED) {
		vm->outcome = VM_OUT_STOPPED;
		strlcpy(vm->reason, "stopped from the console",
			sizeof(vm->reason));
	}
	vm->restart_pending = false;
	spin_unlock(&vm->lock);
}
