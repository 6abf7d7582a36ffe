// SPDX-License-Identifier: GPL-2.0
/* The real hardware behind pmu_hw (unit tests install a fake instead). */
#include <arch/x86/cpu.h>
#include <drivers/lapic.h>
#include <pmu/pmu_impl.h>

static u64 hw_rdmsr(u32 msr)
{
	return rdmsr(msr);
}

static void hw_wrmsr(u32 msr, u64 val)
{
	wrmsr(msr, val);
}

static u64 hw_rdpmc(u32 ecx)
{
	return rdpmc(ecx);
}

static const struct pmu_hw_ops real_hw = {
	.rdmsr = hw_rdmsr,
	.wrmsr = hw_wrmsr,
	.rdpmc = hw_rdpmc,
	.write_lvtpc = lapic_write_lvtpc,
};

const struct pmu_hw_ops *pmu_hw = &real_hw;
