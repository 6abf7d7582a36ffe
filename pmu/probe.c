// SPDX-License-Identifier: GPL-2.0
/*
 * Host PMU discovery at boot: which PMU vendor this is, what it offers,
 * and whether guests can be given a mediated PMU. Guests get all of it or
 * nothing: if something is missing the banner says exactly what, CPUID
 * hides the PMU from every guest and the console's `pmu` says why.
 */
#include <arch/x86/cpu.h>
#include <hv/log.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <pmu/pmu_impl.h>
#include <pmu/rules.h>

struct pmu_host pmu_host;
const struct pmu_vendor_ops *pmu_ops = &pmu_amd_ops;

void pmu_describe(char *buf, size_t size)
{
	pmu_host_describe(&pmu_host, buf, size);
}

void pmu_probe(void)
{
	char vendor[13], desc[160];

	cpu_vendor(vendor);
	if (!strcmp(vendor, "GenuineIntel")) {
		pmu_ops = &pmu_intel_ops;
		pmu_host.vendor = PMU_VENDOR_INTEL;
	} else {
		/* AMD and Hygon; also any other vendor, which finds nothing. */
		pmu_ops = &pmu_amd_ops;
		pmu_host.vendor = PMU_VENDOR_AMD;
	}
	pmu_ops->probe(&pmu_host);
	/* The readiness report's "perf in guests" says the rest. */
	pmu_describe(desc, sizeof(desc));
	pr_debug("PMU: %s%s%s\n", desc, pmu_host.usable ? "" : ": lacks ",
		 pmu_host.usable ? "" : pmu_host.missing);
}

void pmu_cpu_init(void)
{
	if (pmu_host.usable)
		pmu_ops->cpu_init();
}
