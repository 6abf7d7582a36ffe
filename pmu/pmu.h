/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mediated PMU, as the rest of the hypervisor sees it.
 *
 * While a guest runs it owns the hardware counters. Event selectors (and
 * Intel's FIXED_CTR_CTRL) are always intercepted: the guest reads back what
 * it wrote, the hardware gets a sanitised copy. Counters, the global
 * registers and RDPMC pass through when the guest's counter layout is the
 * hardware's; otherwise they exit and are emulated on the live hardware.
 * The state stays loaded across exits (see pmu/vpmu.h) and is saved only
 * when the vCPU leaves its CPU: pmu_vcpu_load() / pmu_vcpu_put() bracket
 * vcpu_run(). Overflows reach the guest through its vLAPIC LVTPC.
 * Instructions the hypervisor retires for the guest are counted by
 * pmu_retired_insn().
 *
 * Everything here runs on the vCPU's own CPU with interrupts off, except
 * where a comment says otherwise. docs/pmu.md has the design.
 */
#ifndef PMU_PMU_H
#define PMU_PMU_H

#include <arch/x86/cpu.h>
#include <hv/types.h>
#include <pmu/vpmu.h>

struct vcpu;
struct vm;
struct cpuid_regs;

enum pmu_vendor_kind { PMU_VENDOR_NONE, PMU_VENDOR_AMD, PMU_VENDOR_INTEL };

/* What the host CPU offers and whether guests can have a mediated PMU. */
struct pmu_host {
	enum pmu_vendor_kind vendor;
	bool usable;		/* guests get a PMU */
	u32 version;		/* Intel: CPUID.0AH EAX[7:0]; AMD: 2 with PerfMonV2 */
	u32 nr_gp;
	u32 nr_fixed;
	u32 gp_width;
	u32 fixed_width;
	/* AMD */
	bool perfctr_core;	/* CPUID 8000_0001h ECX[23] */
	bool perfmon_v2;	/* CPUID 8000_0022h EAX[0] */
	/* Intel */
	bool pdcm;		/* IA32_PERF_CAPABILITIES exists */
	bool fw_write;		/* PERF_CAPABILITIES[13] full-width writes */
	bool hybrid;		/* CPUID.07H EDX[15] */
	bool gctrl_switch;		/* entry and exit "load PERF_GLOBAL_CTRL" */
	bool gctrl_save;		/* exit "save PERF_GLOBAL_CTRL" */
	u64 perf_caps;		/* IA32_PERF_CAPABILITIES */
	char missing[192];	/* why guests get no PMU */
	/*
	 * profile = on: general counter prof_ctr (the highest) counts the
	 * hypervisor's retired instructions on every CPU; guests get the
	 * others (pmu_guest_max_gp()). prof_why: why there is none.
	 */
	bool prof;
	u32 prof_ctr;
	const char *prof_why;
};

extern struct pmu_host pmu_host;

/*
 * Boot CPU, after the virtualization backend was chosen: probe, report.
 * @profile: reserve the highest counter for the hypervisor (hv/prof.h).
 */
void pmu_probe(bool profile);
/* General counters a guest may have: the host's, minus the profile's. */
static inline u32 pmu_guest_max_gp(void)
{
	return pmu_host.nr_gp - (pmu_host.prof ? 1 : 0);
}
/*
 * The hypervisor's instruction count on this CPU (the profile counter; it
 * counts nothing in guest mode), 0 without one. Inline: hv/prof.h reads
 * it right before each entry.
 */
static inline u64 pmu_prof_read(void)
{
	return pmu_host.prof ? rdpmc(pmu_host.prof_ctr) : 0;
}
/* Every CPU, once: counters stopped and zeroed, host LVTPC masked. */
void pmu_cpu_init(void);
/* One line describing the host PMU (banner, console). */
void pmu_describe(char *buf, size_t size);

/*
 * At VM creation, from any CPU: the guest's PMU from its configuration
 * and the host. -EINVAL (after a console message) if the configuration
 * asks for what the host cannot give; the VM is then not started.
 */
int pmu_vm_init(struct vm *vm);
int pmu_vcpu_init(struct vcpu *vcpu);
/* Reset values (a restarted guest); the vCPU runs nowhere. */
void pmu_vcpu_reset(struct vcpu *vcpu);

/* vcpu_run() start and end: the hardware gets, then gives back, the state. */
void pmu_vcpu_load(struct vcpu *vcpu);
void pmu_vcpu_put(struct vcpu *vcpu);
/*
 * Top of every vCPU loop iteration: delivers a pending PMI to the vLAPIC
 * and answers console snapshot requests.
 */
void pmu_vcpu_poll(struct vcpu *vcpu);
/*
 * Is there work for pmu_vcpu_poll() (a PMI, a snapshot request)? @p is
 * the vCPU's &vcpu->pmu; inline for the quiet-exit test (hv/io.c).
 */
static inline bool pmu_events_pending(const struct vpmu *p)
{
	return p->on && (__atomic_load_n(&p->pmi_pending, __ATOMIC_ACQUIRE) ||
			 __atomic_load_n(&p->snap_req, __ATOMIC_ACQUIRE) !=
				 p->snap_done);
}
/*
 * Right before entry (host LVTPC mirror) and right after the exit; the
 * latter only where pmu_exit_work(&vcpu->pmu) says so (Intel's loaded
 * PMU: the guest's GLOBAL_CTRL from the backend), tested inline.
 */
void pmu_guest_enter(struct vcpu *vcpu);
void pmu_guest_exit(struct vcpu *vcpu);
static inline bool pmu_exit_work(const struct vpmu *p)
{
	return p->exit_hook;
}

/*
 * Guest MSR access. 0: done (a write has already counted its WRMSR, see
 * pmu_retired_insn()); -EINVAL: #GP; -ENOENT: not a PMU MSR.
 */
int pmu_msr_read(struct vcpu *vcpu, u32 msr, u64 *val);
int pmu_msr_write(struct vcpu *vcpu, u32 msr, u64 val);
/* An intercepted RDPMC: 0 and *val, or -EINVAL for #GP. */
int pmu_rdpmc(struct vcpu *vcpu, u32 ecx, u64 *val);
/* The PMU's part of the guest's CPUID (leaves 1, 0AH, 8000_0001h, 8000_0022h). */
void pmu_cpuid(struct vcpu *vcpu, u32 leaf, u32 sub, struct cpuid_regs *r);

/*
 * IA32_MISC_ENABLE bits the PMU owns, ORed into the guest's value by
 * hv/msr.c (Intel: performance monitoring available, BTS and PEBS
 * unavailable); 0 where the vendor has none.
 */
u64 pmu_misc_enable(struct vcpu *vcpu);

/*
 * The hypervisor retired a guest instruction (skipped or emulated it):
 * the hardware never saw it, so counters of retired instructions (and of
 * branches, if it was one) that count at the guest's CPL go up by one,
 * with overflow, status and PMI as the hardware would.
 */
void pmu_retired_insn(struct vcpu *vcpu, bool branch);
/*
 * pmu_retired_insn()'s first test, inline for the exit path (@p:
 * &vcpu->pmu): false if no counter counts retired instructions, so a
 * skipped non-branch instruction has nothing to add.
 */
static inline bool pmu_emulated_may_count(const struct vpmu *p)
{
	return p->on && (p->emu_insn[0] | p->emu_insn[1]);
}

/* The host PMI vector (VEC_PMI): an overflow of the loaded guest's PMU. */
void pmu_host_pmi(void);

/*
 * Console, boot CPU: a copy of @vcpu's PMU state with live counter values
 * (read on the vCPU's CPU). -ETIMEDOUT if that CPU did not answer.
 */
int pmu_snapshot(struct vcpu *vcpu, struct vpmu *out);
/* Which vCPU's PMU the hardware of CPU @cpu holds, or NULL. */
struct vcpu *pmu_owner(u32 cpu);

/* The console's `pmu` and `pmu VM [VCPU]` (pmu/console.c). */
void pmu_console_host(void);
void pmu_console_vcpu(struct vcpu *vcpu);

#endif /* PMU_PMU_H */
