/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per physical CPU data, reached through the GS base (gs:0 holds a pointer
 * to the structure itself).
 */
#ifndef HV_PERCPU_H
#define HV_PERCPU_H

#include <hv/types.h>
#include <hv/spinlock.h>
#include <arch/x86/desc.h>

#define MAX_CPUS      512
#define MAX_RUNQ      32
#define HV_STACK_SIZE (32 * KiB)

struct vcpu;
struct vm;

struct pcpu {
	struct pcpu *self;		/* must stay first: %gs:0 */
	u32 index;			/* 0 is the boot CPU */
	u32 apic_id;
	volatile bool started;		/* reached ap_entry (smp.c) */
	volatile bool online;
	volatile bool virt_on;		/* hardware virtualization is on */
	u64 stack_top;
	struct arch_desc desc;		/* GDT, TSS, IDT, IST stacks */
	u64 virt_area;			/* vendor per-CPU page (phys) */
	u64 virt_area2;			/* a second one, if the vendor needs it */

	spinlock_t lock;		/* protects the run queue */
	u32 nr_runq;
	struct vcpu *runq[MAX_RUNQ];	/* vCPUs pinned here, in order */
	struct vcpu *current;
	struct vcpu *xstate_owner;	/* whose registers are loaded (xstate.c) */
	struct vm *last_vm;		/* ... and of which VM, for IBPB */
	u64 ibpbs;			/* barriers issued between VMs */
	volatile u32 kick_pending;
	volatile u64 host_nmis;		/* NMIs the host's handler took */
	volatile u32 nmi_expected;	/* NMIs sent on purpose (test mode) */
	u32 nmi_unexpected;		/* NMIs nobody here sent (fault.c) */
	volatile bool stopped;		/* halted for good by a machine fault */
	u32 lint_lvt[2];		/* what LINT0/LINT1 were set to */
};

extern struct pcpu *pcpus[MAX_CPUS];
extern u32 nr_pcpus;
extern bool percpu_ready;

static inline struct pcpu *this_cpu(void)
{
	struct pcpu *p;

	asm volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

static inline u32 this_cpu_index(void)
{
	return percpu_ready ? this_cpu()->index : 0;
}

#endif /* HV_PERCPU_H */
