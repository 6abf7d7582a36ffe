/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the Intel side of the mediated PMU (pmu/intel.c, pmu/intel_msr.c):
 * the architectural MSRs (SDM vol. 3 ch. 21 "Performance Monitoring",
 * 21.2 "Architectural Performance Monitoring"; vol. 4 table 2-2) and the
 * helpers the two files share.
 */
#ifndef PMU_INTEL_H
#define PMU_INTEL_H

#include <hv/types.h>
#include <pmu/pmu_impl.h>

struct virt_caps;

#define INTEL_PMC(i)             (0xc1 + (i))	/* legacy, 32-bit writes */
#define INTEL_PERFEVTSEL(i)      (0x186 + (i))
#define INTEL_FIXED_CTR(i)       (0x309 + (i))
#define INTEL_PERF_CAPABILITIES  0x345
#define INTEL_FIXED_CTR_CTRL     0x38d
#define INTEL_GLOBAL_STATUS      0x38e
#define INTEL_GLOBAL_CTRL        0x38f
#define INTEL_GLOBAL_OVF_CTRL    0x390		/* v4: GLOBAL_STATUS_RESET */
#define INTEL_GLOBAL_STATUS_SET  0x391		/* v4 */
#define INTEL_GLOBAL_INUSE       0x392		/* v4 */
#define INTEL_A_PMC(i)           (0x4c1 + (i))	/* full width (FW_WRITE) */

/* RDPMC ECX (SDM vol. 2 RDPMC): bit 30 fixed counters, bit 31 fast read. */
#define INTEL_RDPMC_FIXED        BIT(30)
#define INTEL_RDPMC_FAST         BIT(31)

/* IA32_PERF_CAPABILITIES (vol. 4 table 2-2; SDM 21.2.4 full-width writes). */
#define INTEL_CAP_FW_WRITE       BIT(13)

/*
 * The guest's PERFEVTSELx (architectural version 2, SDM 21.2.1.1 figure
 * "Layout of IA32_PERFEVTSELx"): bits 31:0 with bit 21 reserved (AnyThread
 * only exists from version 3), bits 63:32 reserved.
 */
#define INTEL_SEL_PC             BIT(19)	/* pin control */
#define INTEL_SEL_VALID          (0xffffffffULL & ~PMU_SEL_ANY)

/* IA32_FIXED_CTR_CTRL: 4 bits per counter (SDM 21.2.2). */
#define INTEL_FIXED_OS           0x1ULL
#define INTEL_FIXED_USR          0x2ULL
#define INTEL_FIXED_ANY          0x4ULL		/* v3+ */
#define INTEL_FIXED_PMI          0x8ULL
#define INTEL_FIXED_FIELD(i, v)  ((u64)(v) << (4 * (i)))

/* GLOBAL_STATUS / OVF_CTRL bits 62 (OvfBuffer) and 63 (CondChgd), v2. */
#define INTEL_STATUS_OVF_BUF     BIT(62)
#define INTEL_STATUS_COND_CHGD   BIT(63)

#define INTEL_EV_INSNS           0xc0	/* instructions retired, umask 0 */
#define INTEL_EV_BRANCHES        0xc4	/* branch instructions retired */

/* The guest's architectural PMU version (see pmu/intel.c). */
#define INTEL_GUEST_VERSION      2

/* What intel_probe() reads from CPUID, so unit tests can give their own. */
struct intel_cpuid {
	u32 max_leaf;
	u32 a_eax, a_ebx, a_edx;	/* leaf 0AH */
	u32 leaf1_ecx;
	u32 leaf7_edx;
};

/* pmu/intel.c */
void intel_probe_from(struct pmu_host *h, const struct intel_cpuid *id,
		      const struct virt_caps *vc);
u64 intel_read_ctr(struct vpmu *p, u32 idx);	/* GLOBAL_CTRL bit index */
void intel_write_ctr(struct vpmu *p, u32 idx, u64 val);
u64 intel_guest_global_ctrl(struct vcpu *vcpu);
u64 intel_global_status(struct vpmu *p);
void intel_status_set(struct vpmu *p, u64 bits);
void intel_status_clear(struct vpmu *p, u64 bits);

/* pmu/intel_msr.c */
u64 intel_sel_hw(struct vpmu *p, u32 i, u64 sel);
u64 intel_fixed_ctrl_hw(struct vpmu *p, u64 ctrl);
u64 intel_fixed_ctrl_valid(const struct vpmu *p);
int intel_msr_read(struct vcpu *vcpu, u32 msr, u64 *val);
int intel_msr_write(struct vcpu *vcpu, u32 msr, u64 val);
int intel_rdpmc(struct vcpu *vcpu, u32 ecx, u64 *val);

#endif /* PMU_INTEL_H */
