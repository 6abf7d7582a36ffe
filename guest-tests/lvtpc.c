// SPDX-License-Identifier: GPL-2.0
/*
 * The performance-counter LVT entry (LVTPC), which the mediated PMU will
 * deliver through: reset value, fixed and NMI delivery modes, the mask
 * bit, reserved bits, in xAPIC (MMIO) and x2APIC (MSR) mode.
 */
#include "gt.h"

#define MSR_APIC_BASE 0x1b
#define X2_LVT_PERF   0x834
#define X2_SVR        0x80f
#define XAPIC         0xfee00000UL
#define LVT_PERF      0x340
#define SVR           0x0f0

#define MASKED  (1u << 16)
#define DM_NMI  (4u << 8)

static volatile u32 *reg(u32 off)
{
	return (volatile u32 *)(XAPIC + off);
}

void test_main(void)
{
	u64 v;

	/* xAPIC: out of reset masked; software-disabled keeps it masked. */
	EXPECT_EQ(*reg(LVT_PERF), MASKED);
	*reg(LVT_PERF) = DM_NMI;
	EXPECT_EQ(*reg(LVT_PERF), MASKED | DM_NMI);
	*reg(SVR) = 0x1ff;
	*reg(LVT_PERF) = DM_NMI;
	EXPECT_EQ(*reg(LVT_PERF), DM_NMI);
	*reg(LVT_PERF) = 0xee;
	EXPECT_EQ(*reg(LVT_PERF), 0xee);
	*reg(LVT_PERF) = MASKED | 0xee;
	EXPECT_EQ(*reg(LVT_PERF), MASKED | 0xee);
	/* Delivery status (bit 12), polarity, trigger: not in LVTPC. */
	*reg(LVT_PERF) = 0xffffffff;
	EXPECT_EQ(*reg(LVT_PERF), 0x107ff);

	/* x2APIC: the same register as MSR 0x834. */
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1 << 10));
	EXPECT_EQ(rdmsr(X2_LVT_PERF), 0x107ff);
	wrmsr(X2_LVT_PERF, DM_NMI);
	EXPECT_EQ(rdmsr(X2_LVT_PERF), DM_NMI);
	wrmsr(X2_LVT_PERF, DM_NMI | MASKED);
	EXPECT_EQ(rdmsr(X2_LVT_PERF), DM_NMI | MASKED);
	/* Bits 63:32 are reserved: #GP. */
	EXPECT_EQ(wrmsr_try(X2_LVT_PERF, 1ULL << 32), 13);
	EXPECT_EQ(rdmsr_try(X2_LVT_PERF, &v), -1);
	EXPECT_EQ(v, DM_NMI | MASKED);
	/* Clearing SVR's enable bit masks every LVT entry. */
	wrmsr(X2_LVT_PERF, DM_NMI);
	wrmsr(X2_SVR, 0xff);
	EXPECT_EQ(rdmsr(X2_LVT_PERF), DM_NMI | MASKED);
}
