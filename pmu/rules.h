/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether guests can get the mediated PMU, as pure functions of what the
 * CPU reports (pmu/rules.c): the boot probe (pmu/amd.c, pmu/intel.c) and
 * the readiness report (hv/hwcheck.c, from a recorded machine) decide
 * with the same code.
 */
#ifndef PMU_RULES_H
#define PMU_RULES_H

#include <hv/types.h>
#include <pmu/pmu.h>

struct hw_record;
struct intel_cpuid;
struct virt_caps;

#define PMU_AMD_CTR_WIDTH 48	/* APM vol. 2 13.2.1: 48-bit counters */
#define PMU_AMD_MAX_GP    6	/* PerfCtrExtCore: PERF_CTL0-5 */

/* What the AMD rules read: CPUID 8000_0000h EAX, 8000_0001h ECX, 8000_0022h. */
struct pmu_amd_cpuid {
	u32 max_ext;
	u32 e1_ecx;
	u32 e22_eax, e22_ebx;
};

/*
 * Fill @h (vendor already set) from the CPU's report; h->usable, or
 * h->missing with what guests would lack. @perf_caps is
 * IA32_PERF_CAPABILITIES (read only when CPUID.1 ECX[15] says it exists).
 */
void pmu_amd_rules(struct pmu_host *h, const struct pmu_amd_cpuid *id);
void pmu_intel_rules(struct pmu_host *h, const struct intel_cpuid *id,
		     u64 perf_caps, const struct virt_caps *vc);

/* One line describing @h (the banner, `pmu`, `hw`). */
void pmu_host_describe(const struct pmu_host *h, char *buf, size_t size);

/* Both, for a recorded machine (hv/hwcheck.h), by its CPUID vendor. */
void pmu_assess(struct pmu_host *h, const struct hw_record *rec,
		const struct virt_caps *vc);

#endif /* PMU_RULES_H */
