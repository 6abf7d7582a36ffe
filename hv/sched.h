/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Placement of vCPUs on physical CPUs. Every vCPU is pinned; a CPU runs the
 * vCPUs queued on it one after the other, each until its VM stops (in
 * normal mode hv/vm_create.c gives each CPU at most one vCPU; test mode
 * may queue several guests on one CPU and run them in turn, but never two
 * vCPUs of one guest). Each CPU also restarts the guests whose vCPU 0 it
 * runs (vm_restart_work()).
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <hv/types.h>

struct vcpu;
struct pcpu;

/*
 * Queues @vcpu on CPU @pcpu_index: -ENODEV if there is no such CPU,
 * -ENXIO if virtualization failed to start on it, -ENOSPC if its queue
 * is full.
 */
int sched_pin(struct vcpu *vcpu, u32 pcpu_index);
/* Releases the application processors into their loops. */
void sched_start(void);
/* True once sched_start() has run: vCPUs may be on their CPUs. */
bool sched_started(void);
__noreturn void sched_cpu_loop(void);
/* Halts this CPU until a kick (or any host interrupt) arrives. */
void sched_idle(void);
/* Makes @cpu leave guest mode soon and look at its vCPUs again. */
void sched_kick(struct pcpu *cpu);

#endif /* HV_SCHED_H */
