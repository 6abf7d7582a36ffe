/* sources: hv/sched.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for vCPU placement (hv/sched.c): a vCPU is queued only on a
 * CPU that exists and on which virtualization started. A vCPU queued on a
 * CPU whose cpu_enable() failed would run VMRUN/VMLAUNCH outside SVM/VMX
 * operation there, a #UD that panics the hypervisor.
 */
#include "unit.h"
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/vcpu.h>

/* ---- stand-ins for the rest of the hypervisor ---- */

struct pcpu *pcpus[MAX_CPUS];
u32 nr_pcpus;

int lapic_send_ipi(u32 apic_id, u32 icr)
{
	(void)apic_id;
	(void)icr;
	return 0;
}

void vcpu_run(struct vcpu *vcpu)
{
	(void)vcpu;
}

void vm_restart_work(struct pcpu *cpu)
{
	(void)cpu;
}

/* The idle CPUs' part in zeroing guest RAM (hv/mm/zero.c): none here. */
void mm_zero_help(void)
{
}

void vm_vcpu_left(struct vcpu *vcpu)
{
	(void)vcpu;
}

/* ---- fixtures ---- */

static struct pcpu cpu[3];
static struct vcpu vcpu;

static int setup(void **state)
{
	(void)state;
	memset(cpu, 0, sizeof(cpu));
	memset(&vcpu, 0, sizeof(vcpu));
	for (u32 i = 0; i < ARRAY_SIZE(cpu); i++) {
		cpu[i].self = &cpu[i];
		cpu[i].index = i;
		cpu[i].online = true;
		cpu[i].virt_on = true;
		pcpus[i] = &cpu[i];
	}
	nr_pcpus = ARRAY_SIZE(cpu);
	vcpu.pcpu = 99;
	return 0;
}

/* ---- tests ---- */

static void test_pin_queues(void **state)
{
	(void)state;
	assert_int_equal(sched_pin(&vcpu, 2), 0);
	assert_int_equal(cpu[2].nr_runq, 1);
	assert_ptr_equal(cpu[2].runq[0], &vcpu);
	assert_int_equal(vcpu.pcpu, 2);
}

static void test_pin_refuses_cpu_without_virt(void **state)
{
	(void)state;
	cpu[1].virt_on = false;		/* cpu_enable() failed there */
	assert_int_equal(sched_pin(&vcpu, 1), -ENXIO);
	assert_int_equal(cpu[1].nr_runq, 0);
	assert_int_equal(vcpu.pcpu, 99);
	/* The others still take vCPUs. */
	assert_int_equal(sched_pin(&vcpu, 2), 0);
}

static void test_pin_refuses_missing_cpu(void **state)
{
	(void)state;
	assert_int_equal(sched_pin(&vcpu, 3), -ENODEV);
	assert_int_equal(sched_pin(&vcpu, MAX_CPUS + 5), -ENODEV);
}

static void test_pin_full_queue(void **state)
{
	(void)state;
	for (u32 i = 0; i < MAX_RUNQ; i++)
		assert_int_equal(sched_pin(&vcpu, 2), 0);
	assert_int_equal(sched_pin(&vcpu, 2), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pin_queues, setup),
		cmocka_unit_test_setup(test_pin_refuses_cpu_without_virt, setup),
		cmocka_unit_test_setup(test_pin_refuses_missing_cpu, setup),
		cmocka_unit_test_setup(test_pin_full_queue, setup),
	};

	return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
