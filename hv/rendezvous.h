/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests that wait for each other (hv/abi.h): which guests have started
 * (PV_HC_RUNNING_VMS), and a barrier for the instances of one guest image
 * or of one `meet` name (PV_HC_RENDEZVOUS). Pure over the table of VMs it
 * is given.
 */
#ifndef HV_RENDEZVOUS_H
#define HV_RENDEZVOUS_H

#include <hv/vm.h>

/* The highest phase PV_HC_RENDEZVOUS takes. */
#define RDV_PHASE_MAX 0xffffffffULL

/*
 * When a guest started: when vCPU 0 first ran since the VM was
 * (re)started, or 0 while it is still queued behind other guests on its
 * CPU (test mode runs them in turn), or has no vCPU.
 */
u64 vm_run_start(const struct vm *vm);

/* VMs of @vms[0..@nr) that run and have started (vm_run_start()). */
u32 vms_started(struct vm *const *vms, u32 nr);

/*
 * @self has reached @phase (1..RDV_PHASE_MAX; a VM's phase only grows
 * until it restarts): returns how many of the VMs of @vms it meets (those
 * whose config has its `meet` name, or without one, those booted from its
 * image; @self included) have not reached @phase yet, 0 once all have;
 * -EINVAL for a phase out of range.
 */
s64 rendezvous_arrive(struct vm *self, struct vm *const *vms, u32 nr,
		      u64 phase);

#endif /* HV_RENDEZVOUS_H */
