/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the AMD side of the mediated PMU (pmu/amd.c, pmu/amd_msr.c): the
 * PerfMonV2 core-counter MSRs (AMD APM vol. 2 13.2) and the accessors the
 * two files share, which reach the live hardware while the vCPU's state
 * is loaded and the saved state otherwise.
 */
#ifndef PMU_AMD_H
#define PMU_AMD_H

#include <hv/types.h>
#include <pmu/pmu_impl.h>

#define AMD_CTL(i)         (0xc0010200 + 2 * (i))
#define AMD_CTR(i)         (0xc0010201 + 2 * (i))
#define AMD_EXT_FIRST      0xc0010200
#define AMD_EXT_LAST       0xc001022f
#define AMD_K7_CTL(i)      (0xc0010000 + (i))
#define AMD_K7_CTR(i)      (0xc0010004 + (i))
#define AMD_K7_FIRST       0xc0010000
#define AMD_K7_LAST        0xc0010007
#define AMD_GLOBAL_STATUS  0xc0000300
#define AMD_GLOBAL_CTL     0xc0000301
#define AMD_GLOBAL_CLR     0xc0000302
#define AMD_GLOBAL_SET     0xc0000303

#define AMD_SEL_EVENT_HI   (0xfULL << 32)
#define AMD_SEL_GUESTONLY  BIT(40)
#define AMD_SEL_HOSTONLY   BIT(41)
/* Reserved: bits 19, 21, 39:36, 63:42 (APM 13.2.1 figure 13-7). */
#define AMD_SEL_VALID      (0xffffULL | PMU_SEL_USR | PMU_SEL_OS | \
			    PMU_SEL_EDGE | PMU_SEL_INT | PMU_SEL_EN | \
			    PMU_SEL_INV | PMU_SEL_CMASK | AMD_SEL_EVENT_HI | \
			    AMD_SEL_GUESTONLY | AMD_SEL_HOSTONLY)

#define AMD_EV_RETIRED_INSNS    0xc0
#define AMD_EV_RETIRED_BRANCHES 0xc2

#define AMD_CTR_WIDTH      PMU_AMD_CTR_WIDTH

static inline u64 amd_counters_mask(const struct vpmu *p)
{
	return (1ULL << p->nr_gp) - 1;
}

/* pmu/amd.c */
u64 amd_read_ctr(struct vpmu *p, u32 i);
void amd_write_ctr(struct vpmu *p, u32 i, u64 val);
u64 amd_global_ctl(struct vpmu *p);
u64 amd_global_status(struct vpmu *p);
void amd_status_set(struct vpmu *p, u64 bits);
void amd_status_clear(struct vpmu *p, u64 bits);

/* pmu/amd_msr.c */
int amd_msr_read(struct vcpu *vcpu, u32 msr, u64 *val);
int amd_msr_write(struct vcpu *vcpu, u32 msr, u64 val);
int amd_rdpmc(struct vcpu *vcpu, u32 ecx, u64 *val);

#endif /* PMU_AMD_H */
