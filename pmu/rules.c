// SPDX-License-Identifier: GPL-2.0
/*
 * When guests get the mediated PMU: the rules, as pure functions of the
 * CPU's report. pmu/amd.c and pmu/intel.c probe with them at boot, the
 * readiness report (hv/hwcheck.c) applies them to a recorded machine.
 * Why each requirement exists is said in pmu/amd.c and pmu/intel.c.
 */
#include <hv/hwcheck.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <hv/virt.h>
#include <pmu/intel.h>
#include <pmu/rules.h>

static void lacks(struct pmu_host *h, const char *what)
{
	size_t n = strlen(h->missing);

	hv_snprintf(h->missing + n, sizeof(h->missing) - n, "%s%s",
		    n ? ", " : "", what);
}

void pmu_amd_rules(struct pmu_host *h, const struct pmu_amd_cpuid *id)
{
	if (id->max_ext >= 0x80000001)
		h->perfctr_core = id->e1_ecx & BIT(23);
	if (id->max_ext >= 0x80000022) {
		h->perfmon_v2 = id->e22_eax & BIT(0);
		if (h->perfmon_v2)
			h->nr_gp = id->e22_ebx & 0xf;
	}
	if (!h->nr_gp && h->perfctr_core)
		h->nr_gp = PMU_AMD_MAX_GP;
	if (h->nr_gp > PMU_AMD_MAX_GP)
		h->nr_gp = PMU_AMD_MAX_GP;
	h->gp_width = PMU_AMD_CTR_WIDTH;
	h->version = h->perfmon_v2 ? 2 : 0;

	h->missing[0] = '\0';
	if (!h->perfctr_core)
		lacks(h, "PerfCtrExtCore (CPUID 8000_0001h ECX[23])");
	else if (!h->perfmon_v2)
		lacks(h, "PerfMonV2 (CPUID 8000_0022h EAX[0]: the global counter control and status registers)");
	else if (!h->nr_gp)
		lacks(h, "core counters (CPUID 8000_0022h EBX[3:0] = 0)");
	h->usable = !h->missing[0];
}

void pmu_intel_rules(struct pmu_host *h, const struct intel_cpuid *id,
		     u64 perf_caps, const struct virt_caps *vc)
{
	u32 nr_gp = 0, nr_fixed = 0;

	if (id->max_leaf >= 0xa) {
		h->version = id->a_eax & 0xff;
		nr_gp = (id->a_eax >> 8) & 0xff;
		h->gp_width = (id->a_eax >> 16) & 0xff;
		if (h->version > 1) {
			nr_fixed = id->a_edx & 0x1f;
			h->fixed_width = (id->a_edx >> 5) & 0xff;
		}
	}
	h->nr_gp = nr_gp < PMU_MAX_GP ? nr_gp : PMU_MAX_GP;
	h->nr_fixed = nr_fixed < PMU_MAX_FIXED ? nr_fixed : PMU_MAX_FIXED;
	h->pdcm = id->leaf1_ecx & BIT(15);
	h->perf_caps = h->pdcm ? perf_caps : 0;
	h->fw_write = h->perf_caps & INTEL_CAP_FW_WRITE;
	h->hybrid = id->max_leaf >= 7 && (id->leaf7_edx & BIT(15));
	h->gctrl_switch = vc->perf_global_ctrl;
	h->gctrl_save = vc->perf_global_ctrl && vc->perf_global_save;

	h->missing[0] = '\0';
	if (h->version < 4)
		lacks(h, "architectural performance monitoring version 4 (CPUID.0AH EAX[7:0]: GLOBAL_STATUS_SET)");
	if (!h->nr_gp)
		lacks(h, "general-purpose counters (CPUID.0AH EAX[15:8] = 0)");
	if (!h->pdcm)
		lacks(h, "IA32_PERF_CAPABILITIES (CPUID.1 ECX[15] PDCM)");
	else if (!h->fw_write)
		lacks(h, "full-width counter writes (IA32_PERF_CAPABILITIES[13])");
	if (h->hybrid)
		lacks(h, "identical cores (a hybrid part, CPUID.07H EDX[15])");
	if (!h->gctrl_switch)
		lacks(h, "the VMX \"load IA32_PERF_GLOBAL_CTRL\" entry and exit controls");
	h->usable = !h->missing[0];
}

void pmu_host_describe(const struct pmu_host *h, char *buf, size_t size)
{
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

void pmu_assess(struct pmu_host *h, const struct hw_record *rec,
		const struct virt_caps *vc)
{
	char vendor[13];
	u32 r[4];

	memset(h, 0, sizeof(*h));
	hw_vendor(rec, vendor);
	if (!strcmp(vendor, "GenuineIntel")) {
		struct intel_cpuid id = { 0 };
		u64 caps = 0;

		h->vendor = PMU_VENDOR_INTEL;
		hw_cpuid_regs(rec, 0, 0, r);
		id.max_leaf = r[0];
		hw_cpuid_regs(rec, 1, 0, r);
		id.leaf1_ecx = r[2];
		hw_cpuid_regs(rec, 7, 0, r);
		id.leaf7_edx = r[3];
		hw_cpuid_regs(rec, 0xa, 0, r);
		id.a_eax = r[0];
		id.a_ebx = r[1];
		id.a_edx = r[3];
		hw_msr(rec, HW_MSR_PERF_CAPS, &caps);
		pmu_intel_rules(h, &id, caps, vc);
	} else {
		struct pmu_amd_cpuid id = { 0 };

		/* As pmu_probe(): AMD, Hygon and any other vendor. */
		h->vendor = PMU_VENDOR_AMD;
		hw_cpuid_regs(rec, 0x80000000, 0, r);
		id.max_ext = r[0];
		hw_cpuid_regs(rec, 0x80000001, 0, r);
		id.e1_ecx = r[2];
		hw_cpuid_regs(rec, 0x80000022, 0, r);
		id.e22_eax = r[0];
		id.e22_ebx = r[1];
		pmu_amd_rules(h, &id);
	}
}
