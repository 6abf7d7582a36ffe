// SPDX-License-Identifier: GPL-2.0
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <drivers/lapic.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/vcpu.h>
#include <hv/vm.h>

static volatile bool started;

int sched_pin(struct vcpu *vcpu, u32 pcpu_index)
{
	struct pcpu *cpu;
	int err = 0;

	if (pcpu_index >= nr_pcpus)
		return -ENODEV;
	cpu = pcpus[pcpu_index];
	/* VMRUN/VMLAUNCH outside SVM/VMX operation would #UD the host. */
	if (!cpu->virt_on)
		return -ENXIO;
	spin_lock(&cpu->lock);
	if (cpu->nr_runq == MAX_RUNQ)
		err = -ENOSPC;
	else
		cpu->runq[cpu->nr_runq++] = vcpu;
	spin_unlock(&cpu->lock);
	if (!err)
		vcpu->pcpu = pcpu_index;
	return err;
}

bool sched_started(void)
{
	return __atomic_load_n(&started, __ATOMIC_ACQUIRE);
}

void sched_start(void)
{
	__atomic_store_n(&started, true, __ATOMIC_RELEASE);
	for (u32 i = 1; i < nr_pcpus; i++)
		sched_kick(pcpus[i]);
}

/*
 * Waits for a kick with the CPU halted. STI's one-instruction interrupt
 * shadow covers the HLT (SDM vol. 2 "STI"), so a kick that arrives after
 * the caller's last check still wakes us.
 */
void sched_idle(void)
{
	struct pcpu *cpu = this_cpu();

	if (__atomic_exchange_n(&cpu->kick_pending, 0, __ATOMIC_ACQ_REL))
		return;
	asm volatile("sti; hlt; cli" ::: "memory");
	cpu->kick_pending = 0;
}

void sched_kick(struct pcpu *cpu)
{
	if (cpu == this_cpu())
		return;
	__atomic_store_n(&cpu->kick_pending, 1, __ATOMIC_RELEASE);
	lapic_send_ipi(cpu->apic_id, VEC_KICK);
}

static struct vcpu *pick(struct pcpu *cpu)
{
	struct vcpu *found = NULL;

	spin_lock(&cpu->lock);
	for (u32 i = 0; i < cpu->nr_runq; i++) {
		struct vcpu *v = cpu->runq[i];

		if (v->vm->state == VM_RUNNING && v->state != VCPU_STOPPED) {
			found = v;
			break;
		}
	}
	/* Under the lock: a VM restart waits until no CPU holds its vCPUs. */
	cpu->current = found;
	spin_unlock(&cpu->lock);
	return found;
}

void sched_cpu_loop(void)
{
	struct pcpu *cpu = this_cpu();

	/* Until the start, help the boot CPU zero guest RAM. */
	while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE)) {
		mm_zero_help();
		sched_idle();
	}
	/* Virtualization failed to start here: sched_pin() queues nothing. */
	while (!cpu->virt_on)
		sched_idle();
	for (;;) {
		struct vcpu *v;

		vm_restart_work(cpu);
		v = pick(cpu);
		if (!v) {
			sched_idle();
			continue;
		}
		vcpu_run(v);
		spin_lock(&cpu->lock);
		cpu->current = NULL;
		spin_unlock(&cpu->lock);
		vm_vcpu_left(v);
	}
}
