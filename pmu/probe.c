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

struct pmu_host pmu_host;
const struct pmu_vendor_ops *pmu_ops = &pmu_amd_ops;

void pmu_describe(char *buf, size_t size)
{
	const struct pmu_host *h = &pmu_host;

	if (h->vendor == PMU_VENDOR_AMD && h->nr_gp)
		hv_snprintf(buf, size, "AMD%s%s, %u counters of %u bits",
			    h->perfmon_v2 ? " PerfMonV2" : "",
			    h->perfctr_core ? " PerfCtrExtCore" : "",
			    h->nr_gp, h->gp_width);
	else if (h->vendor == PMU_VENDOR_INTEL && h->version)
		hv_snprintf(buf, size,
			    "Intel architectural v%u, %u general counters of %u bits, %u fixed of %u bits%s",
			    h->version, h->nr_gp, h->gp_width, h->nr_fixed,
			    h->fixed_width, h->fw_write ? ", full-width writes" : "");
	else
		hv_snprintf(buf, size, "none");
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
	pmu_describe(desc, sizeof(desc));
	if (pmu_host.usable)
		pr_info("PMU: %s: guests get a mediated PMU\n", desc);
	else
		pr_warn("PMU: %s: guests get no PMU: the CPU lacks %s\n", desc,
			pmu_host.missing);
	reserve_profile_counter(profile);
}

void pmu_cpu_init(void)
{
	if (pmu_host.usable)
		pmu_ops->cpu_init();
}
