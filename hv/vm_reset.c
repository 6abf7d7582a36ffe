// SPDX-License-Identifier: GPL-2.0
/*
 * Restarting a guest: what a platform reset does to a PC, done by the
 * boot CPU while none of the guest's vCPUs is on a CPU. RAM is zeroed, the
 * vCPUs go back to their reset state (vCPU 0 runnable, the others waiting
 * for SIPI), local APICs, the I/O APIC, the UART and the legacy devices
 * are reset, and the images the loader read at boot (still in memory,
 * struct boot_vm) are loaded again. Kept across the reset: the console
 * output ring, the exit statistics, CMOS RAM (battery-backed on a PC).
 */
#include <arch/x86/cpu.h>
#include <hv/apic_bus.h>
#include <hv/bootinfo.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
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
	vm->line_len = 0;
}

/* Guest RAM is 2 MiB aligned and sized: 8 bytes at a time (fast under TCG). */
static void zero_ram(struct vm *vm)
{
	void *d = phys_to_virt(vm->ram_hpa);
	u64 n = vm->ram_size / 8;

	asm volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(0ULL) : "memory");
}

static int vm_restart(struct vm *vm)
{
	u64 t0 = rdtsc();
	int err;

	vm->watchdog_tsc = 0;
	zero_ram(vm);
	reset_devices(vm);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		reset_vcpu(vm->vcpus[i]);
	err = vm_load_image(vm, vm->boot);
	if (err)
		return err;

	vm->restarts++;
	vm->outcome = VM_OUT_NONE;
	vm->exit_code = 0;
	vm->reason[0] = '\0';
	vm->start_tsc = rdtsc();
	vm->restart_pending = false;
	pr_info("vm %s: restarted (restart %u), reset took %llu ms\n",
		vm->name, vm->restarts,
		(unsigned long long)tsc_to_us(rdtsc() - t0) / 1000);
	__atomic_store_n(&vm->state, VM_RUNNING, __ATOMIC_RELEASE);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		sched_kick(pcpus[vm->vcpus[i]->pcpu]);
	return 0;
}

/* The guest asked to be reset if still running now (PV_HC_WATCHDOG). */
static void watchdog_check(struct vm *vm)
{
	u64 due = vm->watchdog_tsc;

	if (!due || vm->state != VM_RUNNING || (s64)(rdtsc() - due) < 0)
		return;
	vm->watchdog_tsc = 0;
	if (!vm->boot)
		return;
	vm_stop(vm, VM_OUT_RESET, "watchdog expired: reset");
	vm->restart_pending = true;
}

void vm_restart_poll(void)
{
	for (u32 i = 0; i < nr_vms; i++) {
		struct vm *vm = vms[i];
		int err;

		watchdog_check(vm);
		if (!vm->restart_pending || vm->state != VM_STOPPED ||
		    !vcpus_off_cpu(vm))
			continue;
		err = vm_restart(vm);
		if (err) {
			/* The image loaded the first time: only a bug gets here. */
			vm->restart_pending = false;
			vm->outcome = VM_OUT_CRASH;
			strlcpy(vm->reason, "restart failed", sizeof(vm->reason));
			pr_err("vm %s: restart failed (%d)\n", vm->name, err);
		}
	}
}

int vm_request_restart(struct vm *vm)
{
	if (!vm->boot)
		return -ENOEXEC;	/* it never started: its files are bad */
	if (vm->state == VM_RUNNING)
		vm_stop(vm, VM_OUT_RESET, "reset from the console");
	vm->restart_pending = true;
	return 0;
}
