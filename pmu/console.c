// SPDX-License-Identifier: GPL-2.0
/*
 * The console's view of the PMU: the host PMU and which vCPU each CPU's
 * counters belong to; for one vCPU the guest-visible and hardware
 * selectors, live counter values, the global registers, LVTPC and the
 * counts of what the mediated PMU did.
 */
#include <hv/console.h>
#include <hv/percpu.h>
#include <hv/vm.h>
#include <hv/vlapic.h>
#include <pmu/pmu_impl.h>

void pmu_console_host(void)
{
	char desc[160];
	u32 shown = 0;

	pmu_describe(desc, sizeof(desc));
	console_printf("  host PMU: %s\n", desc);
	if (!pmu_host.usable) {
		console_printf("  guests get no PMU: the CPU lacks %s\n",
			       pmu_host.missing);
		return;
	}
	console_printf("  guests get a mediated PMU (%s); counters held by:\n",
		       pmu_ops->name);
	for (u32 c = 0; c < nr_pcpus; c++) {
		struct vcpu *v = pmu_owner(c);

		if (!v)
			continue;
		console_printf("    cpu%-3u %s vcpu%u\n", c, v->vm->name, v->id);
		shown++;
	}
	if (!shown)
		console_printf("    no CPU holds a guest's PMU\n");
	for (u32 i = 0; i < nr_vms; i++)
		if (!vms[i]->pmu_on)
			console_printf("  vm %s: no PMU (pmu = off)\n",
				       vms[i]->name);
}

static void show_stats(const struct vpmu_stats *s)
{
	console_printf("    loads %llu saves %llu; PMU MSR accesses: exits %llu, switches %llu, console %llu\n",
		       (unsigned long long)s->loads,
		       (unsigned long long)s->saves,
		       (unsigned long long)s->msr_exit,
		       (unsigned long long)s->msr_switch,
		       (unsigned long long)s->msr_console);
	console_printf("    guest PMU MSR exits %llu, RDPMC exits %llu; PMIs: hardware %llu, delivered %llu, masked %llu\n",
		       (unsigned long long)s->guest_msr_exits,
		       (unsigned long long)s->rdpmc_exits,
		       (unsigned long long)s->host_pmis,
		       (unsigned long long)s->pmis,
		       (unsigned long long)s->pmis_masked);
	console_printf("    emulated-instruction increments %llu, filtered selector writes %llu\n",
		       (unsigned long long)s->emulated,
		       (unsigned long long)s->filtered);
}

void pmu_console_vcpu(struct vcpu *vcpu)
{
	static struct vpmu p;	/* console only: one at a time */
	const struct pmu_snapshot *s = &p.snap;
	int err;

	console_printf("  vm %s vcpu%u:", vcpu->vm->name, vcpu->id);
	err = pmu_snapshot(vcpu, &p);
	if (!p.on) {
		console_printf(" no PMU\n");
		return;
	}
	console_printf(" %u counters, %s, %s\n", p.nr_gp,
		       p.passthrough ? "counters/global/RDPMC passed through" :
				       "counters/global/RDPMC emulated",
		       err ? "values saved (its CPU did not answer)" :
		       s->live ? "live values" : "saved values (not loaded)");
	for (u32 i = 0; i < p.nr_gp; i++)
		console_printf("    ctr%u %#014llx  sel %#llx  hw %#llx\n", i,
			       (unsigned long long)(s->live ? s->ctr[i] : p.ctr[i]),
			       (unsigned long long)p.sel[i],
			       (unsigned long long)(s->live ? s->sel_hw_read[i] :
							      p.sel_hw[i]));
	for (u32 i = 0; i < p.nr_fixed; i++)
		console_printf("    fixed%u %#014llx\n", i,
			       (unsigned long long)(s->live ? s->fixed_ctr[i] :
							      p.fixed_ctr[i]));
	if (p.nr_fixed)
		console_printf("    fixed ctrl %#llx hw %#llx\n",
			       (unsigned long long)p.fixed_ctrl,
			       (unsigned long long)p.fixed_ctrl_hw);
	console_printf("    global ctrl %#llx status %#llx  LVTPC %#x%s\n",
		       (unsigned long long)(s->live ? s->global_ctrl :
						      p.global_ctrl),
		       (unsigned long long)(s->live ? s->global_status :
						      p.global_status),
		       vcpu->lapic.lvt[LVT_PERF],
		       p.pmi_pending ? "  PMI pending" : "");
	show_stats(&p.stats);
}
