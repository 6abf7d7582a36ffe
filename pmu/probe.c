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

/*
 * profile = on: the highest general counter becomes the hypervisor's. It
 * needs a guest PMU's machinery (the vendor's cpu_init programs it, and
 * the guest side must hide it) and one counter left for guests.
 */
static void reserve_profile_counter(bool profile)
{
	pmu_host.prof = false;
	pmu_host.prof_why = NULL;
	if (!profile)
		return;
	if (!pmu_host.usable)
		pmu_host.prof_why = "the host PMU is not usable";
	else if (pmu_host.nr_gp < 2)
		pmu_host.prof_why = "the host has fewer than 2 general counters";
	else if (pmu_ops->prof_setup && pmu_ops->prof_setup(pmu_host.nr_gp - 1))
		pmu_host.prof_why = "the backend cannot fence the counter from guests";
	if (pmu_host.prof_why) {
		pr_warn("profile: no hypervisor counter (%s): exit round trips are measured in TSC ticks only\n",
			pmu_host.prof_why);
		return;
	}
	pmu_host.prof = true;
	pmu_host.prof_ctr = pmu_host.nr_gp - 1;
	pr_info("profile: counter %u counts the hypervisor's instructions; guests get %u counters instead of %u, the missing one emulated (exact)\n",
		pmu_host.prof_ctr, pmu_guest_max_gp(), pmu_host.nr_gp);
}

void pmu_probe(bool profile)
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
	reserve_profile_counter(profile);
}

void pmu_cpu_init(void)
{
	if (pmu_host.usable)
		pmu_ops->cpu_init();
}
