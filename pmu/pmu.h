/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mediated PMU's hooks into the world switch. While a guest runs it
 * owns the hardware counters: pmu_guest_enter() loads the guest's PMU
 * state just before the guest is entered and pmu_guest_exit() saves it
 * right after the exit, both with host interrupts disabled. The mediated
 * PMU itself is a later piece of work; for now the guest is offered no PMU
 * (CPUID hides it) and the hooks only mark the switch points.
 */
#ifndef PMU_PMU_H
#define PMU_PMU_H

#include <hv/types.h>

struct vcpu;

struct pmu_host_caps {
	u32 version;		/* Intel architectural PMU version */
	u32 nr_gp;		/* general-purpose counters */
	u32 nr_fixed;
	bool amd_perfmon_v2;
};

extern struct pmu_host_caps pmu_host;

/* Reads the host PMU's shape from CPUID and reports it. */
void pmu_probe(void);
void pmu_guest_enter(struct vcpu *vcpu);
void pmu_guest_exit(struct vcpu *vcpu);

#endif /* PMU_PMU_H */
