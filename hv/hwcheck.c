// SPDX-License-Identifier: GPL-2.0
/*
 * The readiness report (hv/hwcheck.h): from the decoded capabilities and
 * the PMU rules, one verdict per perfvisor feature, and the table that
 * says what the machine offers and what needs it. Pure: the unit tests
 * run it on recorded CPUs (tests/unit/data/hw/).
 */
#include <hv/hwcheck.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <pmu/rules.h>

static const char *yesno(bool b)
{
	return b ? "yes" : "no";
}

static struct hw_verdict *verdict(struct hw_report *rep, const char *feature,
				  bool ok)
{
	struct hw_verdict *v = &rep->v[rep->nr_verdicts++];

	v->feature = feature;
	v->ok = ok;
	return v;
}

#define SAY(rep, feature, ok, ...)                                          \
	hv_snprintf(verdict(rep, feature, ok)->text,                         \
		    sizeof(rep->v[0].text), __VA_ARGS__)

static const char *core_type_name(u32 t)
{
	switch (t) {
	case 0x20:
		return "an E-core: Atom, CPUID 1AH 20h";
	case 0x40:
		return "a P-core: Core, CPUID 1AH 40h";
	default:
		return "of an unknown core type";
	}
}

static bool guests_ok(const struct hw_caps *c)
{
	return c->virt_name && !c->virt_err;
}

static void verdict_guests(struct hw_report *rep)
{
	const struct hw_caps *c = &rep->c;

	if (!c->virt_name)
		SAY(rep, "guests", false,
		    "no: CPU vendor '%s': perfvisor drives AMD SVM and Intel VMX only",
		    c->vendor);
	else if (c->virt_fw_off)
		SAY(rep, "guests", false,
		    "no: %s is disabled by the firmware (%s): enable it in the firmware setup",
		    c->virt_name, c->fw_off_how);
	else if (c->virt_err)
		SAY(rep, "guests", false, "no: the CPU lacks %s",
		    c->virt.missing);
	else
		SAY(rep, "guests", true, "yes (%s, %s%s%s)", c->virt_name,
		    c->np_name, c->virt.tlb_tags ? ", " : "",
		    c->virt.tlb_tags ? c->tags_name : "");
}

static void verdict_perf(struct hw_report *rep)
{
	const struct pmu_host *h = &rep->pmu;
	char desc[160];

	if (!guests_ok(&rep->c)) {
		SAY(rep, "perf in guests", false, "no: no guest can run");
		return;
	}
	if (!h->usable) {
		SAY(rep, "perf in guests", false, "no: the CPU lacks %s",
		    h->missing);
		return;
	}
	pmu_host_describe(h, desc, sizeof(desc));
	SAY(rep, "perf in guests", true, "yes (mediated PMU: %s%s)", desc,
	    h->vendor == PMU_VENDOR_INTEL && !h->gctrl_save ?
	    "; no PERF_GLOBAL_CTRL save control: exits store it through the MSR-store list" :
	    "");
}

static void verdicts(struct hw_report *rep)
{
	const struct hw_caps *c = &rep->c;
	bool guests = guests_ok(c);

	verdict_guests(rep);
	verdict_perf(rep);
	if (c->hybrid)
		SAY(rep, "hybrid cores", false,
		    "yes: counters and events differ between core types (this CPU is %s): guests get no PMU",
		    core_type_name(c->core_type));
	else
		SAY(rep, "hybrid cores", true, "no: all cores alike");
	if (guests && c->virt.tlb_tags)
		SAY(rep, "TLB tags", true, "yes (%s): no TLB flush per world switch",
		    c->tags_name);
	else if (guests)
		SAY(rep, "TLB tags", false,
		    "no: every world switch flushes the TLB (no %s)",
		    c->tags_name);
	if (guests)
		SAY(rep, "instruction lengths", c->virt.next_rip, "%s",
		    c->virt.next_rip ? "from the CPU (next-RIP)" :
		    "decoded in software: the CPU has no next-RIP save (slower exits)");
	if (guests)
		SAY(rep, "guest NMIs", true, "%s", c->virt.nmi_how);
	SAY(rep, "guest TSC", c->invariant_tsc, "%s",
	    c->invariant_tsc ? "invariant: the same rate in every power state" :
	    "not invariant (CPUID 8000_0007h EDX[8]): guest clocks may drift with CPU frequency");
	SAY(rep, "x2APIC", c->x2apic, "%s",
	    c->x2apic ? "yes: APIC IDs above 255 can be reached" :
	    "no: xAPIC only, at most 255 APIC IDs");
	if (!c->acpi_known)
		SAY(rep, "IOMMU", true, "not known (no ACPI tables recorded); not used yet");
	else
		SAY(rep, "IOMMU", true, "not used yet: guests get no devices (%s)",
		    c->dmar ? "DMAR present" : c->ivrs ? "IVRS present" :
		    "no DMAR or IVRS table");
	SAY(rep, "host", !c->hypervisor, "%s",
	    c->hypervisor ? "a virtual machine (CPUID.1 ECX[31]): these are the emulator's features, not a real CPU's" :
	    "bare metal");
}

void hw_assess(const struct hw_record *r, struct hw_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	hw_decode(r, &rep->c);
	pmu_assess(&rep->pmu, r, &rep->c.virt);
	verdicts(rep);
}

const struct hw_verdict *hw_verdict(const struct hw_report *rep,
				    const char *feature)
{
	for (u32 i = 0; i < rep->nr_verdicts; i++)
		if (!strcmp(rep->v[i].feature, feature))
			return &rep->v[i];
	return NULL;
}

/* ---- output ---- */

static void row(hw_out_fn out, void *ctx, const char *name, const char *offer,
		const char *need)
{
	char line[256];

	hv_snprintf(line, sizeof(line), "  %-18s %-46s %s", name, offer, need);
	out(ctx, line);
}

#define ROW(name, need, ...)                                                \
	do {                                                                 \
		hv_snprintf(buf, sizeof(buf), __VA_ARGS__);                  \
		row(out, ctx, name, buf, need);                              \
	} while (0)

static void table_virt(const struct hw_caps *c, hw_out_fn out, void *ctx)
{
	char buf[160];
	bool on = c->virt_name && c->virt_cpuid && !c->virt_fw_off;

	ROW("virtualization", "guests", "%s: %s", c->virt_name ? c->virt_name : "-",
	    !c->virt_cpuid ? "no" : c->virt_fw_off ? "disabled by firmware" : "yes");
	if (!on)
		return;
	ROW("nested paging", "guests", "%s (%s%s%s)", yesno(c->virt.nested_paging),
	    c->np_name, c->np_detail[0] ? ": " : "", c->np_detail);
	if (c->virt.tlb_tags && c->tags_counted)
		ROW("ASID/VPID", "no TLB flush per world switch", "%s: yes (%u)",
		    c->tags_name, c->virt.nr_tags);
	else
		ROW("ASID/VPID", "no TLB flush per world switch", "%s: %s",
		    c->tags_name, yesno(c->virt.tlb_tags));
	if (c->unrestricted_needed)
		ROW("unrestricted guest", "guests (real mode)", "%s",
		    yesno(c->virt.unrestricted));
	else
		ROW("unrestricted guest", "-", "always (%s runs real mode)",
		    c->virt_name);
	ROW("next-RIP", "instruction lengths from the CPU", "%s (%s)",
	    yesno(c->virt.next_rip), c->next_rip_how);
	ROW("decode assists", "-", "%s%s%s%s", yesno(c->decode_assists),
	    c->decode_assists ? " (" : "", c->decode_assists ? c->decode_how : "",
	    c->decode_assists ? ")" : "");
	ROW("vNMI", c->vnmi_need, "%s", yesno(c->vnmi));
	ROW("AVIC/APICv", "not used: the local APIC is emulated", "%s: %s%s%s%s",
	    c->apicv_name, yesno(c->apicv), c->apicv_detail[0] ? " (" : "",
	    c->apicv_detail, c->apicv_detail[0] ? ")" : "");
}

static void table_pmu(const struct hw_report *rep, hw_out_fn out, void *ctx)
{
	const struct pmu_host *h = &rep->pmu;
	bool intel = h->vendor == PMU_VENDOR_INTEL;
	char buf[160];

	if (intel)
		ROW("PMU", "perf in guests: version 4+", "Intel architectural v%u",
		    h->version);
	else
		ROW("PMU", "perf in guests: PerfMonV2", "AMD: PerfCtrExtCore %s",
		    yesno(h->perfctr_core));
	if (!h->nr_gp)
		ROW("counters", "perf in guests", "none");
	else if (intel)
		ROW("counters", "perf in guests", "%u general of %u bits, %u fixed of %u bits",
		    h->nr_gp, h->gp_width, h->nr_fixed, h->fixed_width);
	else
		ROW("counters", "perf in guests", "%u general of %u bits, no fixed",
		    h->nr_gp, h->gp_width);
	ROW("FW_WRITE", intel ? "perf in guests" : "-", "%s",
	    intel ? (h->pdcm ? yesno(h->fw_write) : "no (no PERF_CAPABILITIES)") :
	    "n/a (AMD: 48-bit writes)");
	ROW("PerfMonV2", intel ? "-" : "perf in guests", "%s",
	    intel ? "n/a (Intel)" : yesno(h->perfmon_v2));
	if (rep->c.gctrl_none || !rep->c.virt_name)
		ROW("PERF_GLOBAL_CTRL", "-", "%s",
		    rep->c.gctrl_none ? rep->c.gctrl_none : "n/a");
	else
		ROW("PERF_GLOBAL_CTRL", "perf in guests: load",
		    "load on entry/exit: %s, save on exit: %s",
		    yesno(rep->c.virt.perf_global_ctrl),
		    yesno(rep->c.virt.perf_global_save));
	if (rep->c.hybrid)
		ROW("hybrid cores", "perf in guests: none", "yes (this CPU is %s)",
		    core_type_name(rep->c.core_type));
	else
		ROW("hybrid cores", "perf in guests: none", "no");
}

void hw_print_table(const struct hw_report *rep, hw_out_fn out, void *ctx)
{
	const struct hw_caps *c = &rep->c;
	char buf[160];

	row(out, ctx, "", "offered", "needed by");
	ROW("CPU", "-", "%s", c->brand[0] ? c->brand : "(no brand string)");
	ROW("model", "-", "%s family %#x model %#x stepping %u", c->vendor,
	    c->family, c->model, c->stepping);
	if (c->microcode_known)
		ROW("microcode", "-", "%#x", c->microcode);
	else
		ROW("microcode", "-", "unknown (MSR 8Bh not read)");
	table_virt(c, out, ctx);
	table_pmu(rep, out, ctx);
	if (c->acpi_known)
		ROW("IOMMU tables", "not used yet", "DMAR: %s, IVRS: %s",
		    yesno(c->dmar), yesno(c->ivrs));
	else
		ROW("IOMMU tables", "not used yet", "unknown");
	ROW("invariant TSC", "steady guest clocks", "%s", yesno(c->invariant_tsc));
	ROW("x2APIC", "APIC IDs above 255", "%s", yesno(c->x2apic));
	if (c->threads_per_core)
		ROW("SMT", "-", "%s (%u thread%s per core)",
		    yesno(c->threads_per_core > 1), c->threads_per_core,
		    c->threads_per_core > 1 ? "s" : "");
	else
		ROW("SMT", "-", "unknown");
	ROW("hypervisor bit", "-", "%s", c->hypervisor ?
	    "set: this is a virtual machine" : "clear: bare metal");
}

void hw_print_verdicts(const struct hw_report *rep, const char *prefix,
		       hw_out_fn out, void *ctx)
{
	char line[300];

	for (u32 i = 0; i < rep->nr_verdicts; i++) {
		hv_snprintf(line, sizeof(line), "%s%s: %s", prefix,
			    rep->v[i].feature, rep->v[i].text);
		out(ctx, line);
	}
}

void hw_print_summary(const struct hw_report *rep, hw_out_fn out, void *ctx)
{
	const struct hw_caps *c = &rep->c;
	char line[320], ucode[24], smt[16], pmu[48];

	if (c->microcode_known)
		hv_snprintf(ucode, sizeof(ucode), "%#x", c->microcode);
	else
		strlcpy(ucode, "?", sizeof(ucode));
	if (!rep->pmu.nr_gp)
		strlcpy(pmu, "none", sizeof(pmu));
	else if (rep->pmu.nr_fixed)
		hv_snprintf(pmu, sizeof(pmu), "v%u %ux%u+%ux%u bits",
			    rep->pmu.version, rep->pmu.nr_gp, rep->pmu.gp_width,
			    rep->pmu.nr_fixed, rep->pmu.fixed_width);
	else
		hv_snprintf(pmu, sizeof(pmu), "v%u %ux%u bits",
			    rep->pmu.version, rep->pmu.nr_gp, rep->pmu.gp_width);
	if (c->threads_per_core)
		hv_snprintf(smt, sizeof(smt), "%u", c->threads_per_core);
	else
		strlcpy(smt, "?", sizeof(smt));
	hv_snprintf(line, sizeof(line),
		    "hw: %s (%s %#x/%#x/%u, microcode %s): %s %s, %s %s, %s %s, vNMI %s, %s %s; PMU %s; invariant TSC %s, x2APIC %s, threads/core %s, DMAR %s, IVRS %s",
		    c->brand[0] ? c->brand : "?", c->vendor, c->family,
		    c->model, c->stepping, ucode,
		    c->virt_name ? c->virt_name : "no SVM/VMX",
		    c->virt_err ? "unusable" : "usable", c->np_name ? c->np_name : "-",
		    yesno(c->virt.nested_paging), c->tags_name ? c->tags_name : "-",
		    yesno(c->virt.tlb_tags), yesno(c->vnmi),
		    c->apicv_name ? c->apicv_name : "-", yesno(c->apicv),
		    pmu, yesno(c->invariant_tsc), yesno(c->x2apic), smt,
		    c->acpi_known ? yesno(c->dmar) : "?",
		    c->acpi_known ? yesno(c->ivrs) : "?");
	out(ctx, line);
}

void hw_print_record(const struct hw_record *r, hw_out_fn out, void *ctx)
{
	char line[96];

	for (u32 i = 0; i < r->nr_cpuid; i++) {
		const struct hw_cpuid_leaf *l = &r->cpuid[i];

		hv_snprintf(line, sizeof(line),
			    "CPUID %08X: %08X-%08X-%08X-%08X [SL %02X]", l->leaf,
			    l->eax, l->ebx, l->ecx, l->edx, l->sub);
		out(ctx, line);
	}
	for (u32 i = 0; i < r->nr_msrs; i++) {
		hv_snprintf(line, sizeof(line), "MSR %08X: %016llX",
			    r->msrs[i].index,
			    (unsigned long long)r->msrs[i].value);
		out(ctx, line);
	}
	if (r->acpi_known) {
		hv_snprintf(line, sizeof(line), "ACPI DMAR %u IVRS %u",
			    r->acpi_dmar, r->acpi_ivrs);
		out(ctx, line);
	}
}
