// SPDX-License-Identifier: GPL-2.0
/* Host PMU discovery and the world-switch hooks (see pmu.h). */
#include <arch/x86/cpu.h>
#include <hv/log.h>
#include <pmu/pmu.h>

struct pmu_host_caps pmu_host;

void pmu_probe(void)
{
	struct cpuid_regs r;

	cpuid_count(0, 0, &r);
	if (r.eax >= 0xa) {
		cpuid_count(0xa, 0, &r);
		pmu_host.version = r.eax & 0xff;
		pmu_host.nr_gp = (r.eax >> 8) & 0xff;
		pmu_host.nr_fixed = pmu_host.version > 1 ? r.edx & 0x1f : 0;
	}
	cpuid_count(0x80000000, 0, &r);
	if (r.eax >= 0x80000022) {
		cpuid_count(0x80000022, 0, &r);
		if (r.eax & 1) {
			pmu_host.amd_perfmon_v2 = true;
			pmu_host.nr_gp = r.ebx & 0xf;
		}
	}
	if (!pmu_host.version && !pmu_host.amd_perfmon_v2)
		pr_info("PMU: none found (mediated PMU needs Intel arch PMU v4+ or AMD PerfMonV2)\n");
	else
		pr_info("PMU: %s, %u general counters, %u fixed\n",
			pmu_host.amd_perfmon_v2 ? "AMD PerfMonV2" :
						  "Intel architectural",
			pmu_host.nr_gp, pmu_host.nr_fixed);
}

void pmu_guest_enter(struct vcpu *vcpu)
{
	(void)vcpu;
}

void pmu_guest_exit(struct vcpu *vcpu)
{
	(void)vcpu;
}
