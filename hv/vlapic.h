/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual local APIC of one vCPU (SDM vol. 3 ch. 11): registers, the
 * interrupt state (IRR/ISR/TMR/PPR), the timer and IA32_APIC_BASE. This is
 * pure logic: time is the TSC value the caller passes in, and what leaves
 * the APIC (IPIs, EOIs of level-triggered vectors) goes through `ops`.
 * hv/apic_bus.c routes it between vCPUs, hv/vcpu_irq.c injects.
 *
 * Concurrency: other CPUs only call vlapic_accept() and set the pending_*
 * flags (atomically); everything else runs on the vCPU's own CPU.
 */
#ifndef HV_VLAPIC_H
#define HV_VLAPIC_H

#include <hv/types.h>

/* The APIC bus clock the timer counts, as CPUID 0x40000010 EBX says. */
#define VLAPIC_BUS_HZ      1000000000ULL
#define VLAPIC_DEFAULT_BASE 0xfee00000ULL
/*
 * Version register bits 7:0: Intel's integrated APICs report 14h (SDM vol.
 * 3 11.4.8), AMD's 10h (APM vol. 2 16.3.4); the owner picks (vl->version).
 */
#define VLAPIC_VERSION       0x14
#define VLAPIC_VERSION_AMD   0x10

/* Register offsets in the xAPIC page; x2APIC MSR = 0x800 + (off >> 4). */
#define APIC_REG_ID        0x020
#define APIC_REG_VERSION   0x030
#define APIC_REG_TPR       0x080
#define APIC_REG_APR       0x090
#define APIC_REG_PPR       0x0a0
#define APIC_REG_EOI       0x0b0
#define APIC_REG_RRD       0x0c0
#define APIC_REG_LDR       0x0d0
#define APIC_REG_DFR       0x0e0
#define APIC_REG_SVR       0x0f0
#define APIC_REG_ISR       0x100
#define APIC_REG_TMR       0x180
#define APIC_REG_IRR       0x200
#define APIC_REG_ESR       0x280
#define APIC_REG_LVT_CMCI  0x2f0
#define APIC_REG_ICR       0x300
#define APIC_REG_ICR2      0x310
#define APIC_REG_LVT_TIMER 0x320
#define APIC_REG_LVT_THERM 0x330
#define APIC_REG_LVT_PERF  0x340
#define APIC_REG_LVT_LINT0 0x350
#define APIC_REG_LVT_LINT1 0x360
#define APIC_REG_LVT_ERROR 0x370
#define APIC_REG_TMICT     0x380
#define APIC_REG_TMCCT     0x390
#define APIC_REG_TDCR      0x3e0
#define APIC_REG_SELF_IPI  0x3f0	/* x2APIC only */

#define MSR_X2APIC_FIRST   0x800
#define MSR_X2APIC_LAST    0x8ff

/* LVT and ICR fields (SDM vol. 3 11.5.1, 11.6.1). */
#define APIC_LVT_MASKED    BIT(16)
#define APIC_DM_SHIFT      8
#define APIC_DM_MASK       (7u << APIC_DM_SHIFT)
#define APIC_DM_FIXED      0
#define APIC_DM_LOWEST     1
#define APIC_DM_SMI        2
#define APIC_DM_NMI        4
#define APIC_DM_INIT       5
#define APIC_DM_STARTUP    6
#define APIC_DM_EXTINT     7
#define APIC_ICR_LOGICAL   BIT(11)
#define APIC_ICR_ASSERT    BIT(14)
#define APIC_ICR_LEVEL     BIT(15)
#define APIC_ICR_SH_SHIFT  18
#define APIC_SH_NONE       0
#define APIC_SH_SELF       1
#define APIC_SH_ALL        2
#define APIC_SH_OTHERS     3
#define APIC_TIMER_ONESHOT  0
#define APIC_TIMER_PERIODIC 1
#define APIC_TIMER_DEADLINE 2
#define APIC_SVR_ENABLE    BIT(8)

/* IA32_APIC_BASE (SDM vol. 3 11.4.4, 11.12.1). */
#define APIC_BASE_MSR_BSP  BIT(8)
#define APIC_BASE_MSR_EXTD BIT(10)
#define APIC_BASE_MSR_EN   BIT(11)

/*
 * The LVT entries emulated: six, so the version register's Max LVT Entry
 * is 5 (SDM vol. 3 11.4.8). No CMCI entry (0x2f0): CPUID offers no
 * machine-check architecture, so there is nothing to signal; the offset is
 * reserved, as on a CPU without CMCI (reads 0, x2APIC MSR 0x82f #GP).
 */
enum vlapic_lvt {
	LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR,
	NR_LVT
};

struct vlapic;

struct vlapic_ops {
	/* An ICR write (or self IPI); @dest is the full destination field. */
	void (*send_ipi)(struct vlapic *vl, u32 icr_lo, u32 dest);
	/* EOI of a level-triggered vector (the IOAPIC's remote IRR). */
	void (*eoi_level)(struct vlapic *vl, u8 vector);
};

struct vlapic {
	const struct vlapic_ops *ops;
	void *owner;			/* the vCPU */
	u32 id;
	u32 version;			/* version register bits 7:0 */
	u64 base_msr;
	u64 bus_to_tsc;			/* 32.32 fixed point */
	u64 tsc_to_bus;			/* 40.24 fixed point */

	u32 tpr, ldr, dfr, svr, esr, esr_pending, icr_lo, icr_hi;
	u32 lvt[NR_LVT];
	u32 isr[8];
	u32 irr[8];			/* set by any CPU, atomically */
	u32 tmr[8];			/* likewise */

	u32 timer_icr, timer_dcr;
	u64 timer_period;		/* TSC ticks of one count */
	u64 timer_expiry;		/* TSC of the next expiry, 0: none */
	u64 tsc_deadline;		/* in the guest's TSC */
	u64 tsc_offset;			/* guest TSC - host TSC */

	/* Signals from other CPUs, consumed by the vCPU (hv/vcpu_irq.c). */
	u32 pending_nmi;
	u32 pending_init;
	u32 pending_sipi;
	u32 sipi_vector;
};

void vlapic_init(struct vlapic *vl, u32 id, bool bsp, u64 tsc_hz,
		 const struct vlapic_ops *ops, void *owner);
/* Power-up state of the registers (SDM vol. 3 11.4.7.1); keeps ID, base. */
void vlapic_reset(struct vlapic *vl);

bool vlapic_hw_enabled(const struct vlapic *vl);
bool vlapic_x2apic(const struct vlapic *vl);
bool vlapic_xapic(const struct vlapic *vl);	/* enabled, MMIO mode */

/* xAPIC register access by offset; reads of holes give 0. */
u32 vlapic_read(struct vlapic *vl, u32 off, u64 now);
void vlapic_write(struct vlapic *vl, u32 off, u32 val, u64 now);
/* x2APIC MSRs 0x800-0x8ff; -EINVAL means #GP. */
int vlapic_msr_read(struct vlapic *vl, u32 msr, u64 now, u64 *val);
int vlapic_msr_write(struct vlapic *vl, u32 msr, u64 val, u64 now);
/* IA32_APIC_BASE write; -EINVAL means #GP. */
int vlapic_set_base(struct vlapic *vl, u64 val);
/*
 * IA32_TSC_DEADLINE (SDM vol. 3 11.5.4.1), in the guest's TSC; `now` and
 * timer_expiry everywhere else are host TSC values. The guest's TSC is the
 * host's plus the offset set here (IA32_TSC writes, hv/msr.c); an armed
 * deadline keeps its guest value when the offset changes.
 */
u64 vlapic_get_tsc_deadline(const struct vlapic *vl);
void vlapic_set_tsc_deadline(struct vlapic *vl, u64 val);
void vlapic_set_tsc_offset(struct vlapic *vl, u64 offset);

/* A fixed interrupt arrives (any CPU); false if not accepted. */
bool vlapic_accept(struct vlapic *vl, u8 vector, bool level);
/*
 * Raises a local interrupt through its LVT entry (LVTPC, LINT0/1...);
 * false if the entry is masked (or its mode not modelled) and nothing
 * was delivered.
 */
bool vlapic_deliver_lvt(struct vlapic *vl, enum vlapic_lvt lvt);

u32 vlapic_ppr(const struct vlapic *vl);
/* The vector to deliver now (highest IRR above PPR), or -1. */
int vlapic_pending_vector(const struct vlapic *vl);
/*
 * The priority class of the highest pending interrupt if it is held back
 * by the TPR alone (above the in-service class, at most the TPR's), or -1.
 */
int vlapic_tpr_held_class(const struct vlapic *vl);
/*
 * Both at once, one scan of IRR (and of ISR only if IRR is not empty):
 * returns vlapic_pending_vector(); when that is -1, *held is
 * vlapic_tpr_held_class(), else -1.
 */
int vlapic_irq_check(const struct vlapic *vl, int *held);
/* The CPU takes @vector: IRR -> ISR. */
void vlapic_ack(struct vlapic *vl, u8 vector);

/* Fires the timer if due at @now; returns the next expiry, 0 if none. */
u64 vlapic_timer_check(struct vlapic *vl, u64 now);

#endif /* HV_VLAPIC_H */
