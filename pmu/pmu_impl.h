/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the mediated PMU: the vendor operations (one implementation per
 * PMU vendor, as KVM's kvm_pmu_ops), the hardware accessors every PMU MSR
 * access goes through (counted, and replaceable by a fake in unit tests),
 * and the helpers the vendor files share.
 */
#ifndef PMU_PMU_IMPL_H
#define PMU_PMU_IMPL_H

#include <hv/types.h>
#include <pmu/pmu.h>

struct vcpu;
struct cpuid_regs;

/* Event-select bits common to AMD PERF_CTL and Intel PERFEVTSEL. */
#define PMU_SEL_EVENT   0xffULL
#define PMU_SEL_UMASK   (0xffULL << 8)
#define PMU_SEL_USR     BIT(16)
#define PMU_SEL_OS      BIT(17)
#define PMU_SEL_EDGE    BIT(18)
#define PMU_SEL_INT     BIT(20)
#define PMU_SEL_ANY     BIT(21)		/* Intel AnyThread */
#define PMU_SEL_EN      BIT(22)
#define PMU_SEL_INV     BIT(23)
#define PMU_SEL_CMASK   (0xffULL << 24)

/* The host LVTPC while a guest's PMU is loaded: its own vector. */
#define PMU_LVTPC_MASKED BIT(16)

struct pmu_vendor_ops {
	const char *name;
	/* Fills pmu_host; sets usable, or missing[] with what is lacking. */
	void (*probe)(struct pmu_host *h);
	/* This CPU's PMU stopped and zeroed. */
	void (*cpu_init)(void);
	/* Guest layout from the host and @nr_gp; sets p->passthrough. */
	void (*vcpu_setup)(struct vcpu *vcpu, u32 nr_gp);
	/* The MSR and RDPMC intercepts for the layout (virt ops). */
	void (*set_intercepts)(struct vcpu *vcpu);
	/* Architectural reset values of the software state. */
	void (*reset)(struct vpmu *p);
	void (*cpuid)(struct vcpu *vcpu, u32 leaf, u32 sub,
		      struct cpuid_regs *r);
	/* IA32_MISC_ENABLE bits the PMU reports (pmu_misc_enable); may be NULL. */
	u64 (*misc_enable)(struct vcpu *vcpu);
	/* As pmu_msr_read/write; also called for guests without a PMU. */
	int (*msr_read)(struct vcpu *vcpu, u32 msr, u64 *val);
	int (*msr_write)(struct vcpu *vcpu, u32 msr, u64 val);
	/* An intercepted RDPMC with a valid CPL: index checks and value. */
	int (*rdpmc)(struct vcpu *vcpu, u32 ecx, u64 *val);
	/* Saved state into the hardware (clean before), and back (zeroed). */
	void (*load)(struct vcpu *vcpu);
	void (*put)(struct vcpu *vcpu);
	/* Right after every exit (e.g. the guest GLOBAL_CTRL the backend saved); may be NULL. */
	void (*after_exit)(struct vcpu *vcpu);
	/*
	 * Adds one to the counters in @mask (GLOBAL_CTRL layout), live or
	 * saved, with overflow: status bit, and pmu_raise_pmi() if the
	 * counter's interrupt is enabled.
	 */
	void (*add_one)(struct vcpu *vcpu, u64 mask);
	/* The guest's current GLOBAL_CTRL (live if loaded). */
	u64 (*global_ctrl)(struct vcpu *vcpu);
	/* Live values for the console. */
	void (*snapshot)(struct vcpu *vcpu, struct pmu_snapshot *s);
	/*
	 * profile = on, at boot: counter @ctr will be the hypervisor's;
	 * non-zero if it cannot be kept from guests. May be NULL.
	 */
	int (*prof_setup)(u32 ctr);
};

/* The event selector of the profile counter: retired instructions, CPL 0. */
#define PMU_PROF_SEL (0xc0ULL | PMU_SEL_OS | PMU_SEL_EN)

/* GLOBAL_CTRL bits the hypervisor's profile counter keeps set. */
static inline u64 pmu_prof_ctrl(void)
{
	return pmu_host.prof ? BIT(pmu_host.prof_ctr) : 0;
}

extern const struct pmu_vendor_ops pmu_amd_ops;
extern const struct pmu_vendor_ops pmu_intel_ops;
/* The vendor of this machine (NULL before pmu_probe()). */
extern const struct pmu_vendor_ops *pmu_ops;

/* Hardware access; unit tests install a fake. */
struct pmu_hw_ops {
	u64 (*rdmsr)(u32 msr);
	void (*wrmsr)(u32 msr, u64 val);
	u64 (*rdpmc)(u32 ecx);
	void (*write_lvtpc)(u32 val);
};

extern const struct pmu_hw_ops *pmu_hw;

/* Every PMU MSR access is counted where the vCPU says (pmu/vpmu.h). */
static inline u64 pmu_rdmsr(struct vpmu *p, u32 msr)
{
	(*p->msr_ctx)++;
	return pmu_hw->rdmsr(msr);
}

static inline void pmu_wrmsr(struct vpmu *p, u32 msr, u64 val)
{
	(*p->msr_ctx)++;
	pmu_hw->wrmsr(msr, val);
}

static inline u64 pmu_rdpmc_hw(struct vpmu *p, u32 ecx)
{
	(*p->msr_ctx)++;
	return pmu_hw->rdpmc(ecx);
}

struct vpmu *vcpu_pmu(struct vcpu *vcpu);

/* pmu/filter.c */
bool pmu_filter_allows(const struct pmu_filter *f, u16 event, u8 umask);
bool pmu_filter_allows_fixed(const struct pmu_filter *f, u32 idx);

/* pmu/core.c: an overflow the hypervisor caused (status already set). */
void pmu_raise_pmi(struct vcpu *vcpu);

#endif /* PMU_PMU_IMPL_H */
