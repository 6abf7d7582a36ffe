/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-ins shared by the PMU unit tests: a fake MSR file behind pmu_hw
 * (the test says what each MSR does), a fake virt with the PMU ops that
 * records intercepts, controls and the VMCS GLOBAL_CTRL guest field, and
 * the rest of the hypervisor that pmu/core.c reaches. Included by exactly
 * one test file each.
 */
#ifndef TESTS_UNIT_PMU_FAKE_H
#define TESTS_UNIT_PMU_FAKE_H

#include "unit.h"
#include <arch/x86/cpu.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hv/vcpu.h>
#include <hv/virt.h>
#include <hv/vlapic.h>
#include <pmu/pmu_impl.h>

char *strstr(const char *haystack, const char *needle);

/* ---- the rest of the hypervisor ---- */

bool percpu_ready;
struct pcpu *pcpus[MAX_CPUS];
struct virt_caps virt_caps;
static u32 fake_cpl = 3;
static int pmis_delivered;

void hv_log(enum log_level level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void sched_kick(struct pcpu *cpu)
{
	(void)cpu;
}

u64 us_to_tsc(u64 us)
{
	return us * 1000;
}

u32 vcpu_cpl(struct vcpu *vcpu)
{
	(void)vcpu;
	return fake_cpl;
}

bool vlapic_hw_enabled(const struct vlapic *vl)
{
	(void)vl;
	return true;
}

bool vlapic_deliver_lvt(struct vlapic *vl, enum vlapic_lvt lvt)
{
	(void)vl;
	(void)lvt;
	pmis_delivered++;
	return true;
}

/* ---- the fake virt: intercepts, controls, the GLOBAL_CTRL field ---- */

#define FAKE_MSR_SLOTS 64
static struct {
	u32 msr[FAKE_MSR_SLOTS];
	bool icpt[FAKE_MSR_SLOTS];
	u32 n;
	bool rdpmc_icpt;
	int enable_calls;
	bool enabled;		/* entry/exit PERF_GLOBAL_CTRL controls */
	int enable_ret;
	u64 guest_field;	/* VMCS GUEST_PERF_GLOBAL_CTRL */
	u64 cr4;
} fv;

/* -1: never set (the MSR bitmap's default: intercepted). */
static inline int fake_intercepted(u32 msr)
{
	for (u32 i = 0; i < fv.n; i++)
		if (fv.msr[i] == msr)
			return fv.icpt[i];
	return -1;
}

static void fake_msr_intercept(struct vcpu *vcpu, u32 msr, bool intercept)
{
	(void)vcpu;
	for (u32 i = 0; i < fv.n; i++) {
		if (fv.msr[i] == msr) {
			fv.icpt[i] = intercept;
			return;
		}
	}
	assert_true(fv.n < FAKE_MSR_SLOTS);
	fv.msr[fv.n] = msr;
	fv.icpt[fv.n++] = intercept;
}

static void fake_rdpmc_intercept(struct vcpu *vcpu, bool intercept)
{
	(void)vcpu;
	fv.rdpmc_icpt = intercept;
}

static int fake_global_enable(struct vcpu *vcpu, bool on)
{
	(void)vcpu;
	fv.enable_calls++;
	if (on && !virt_caps.perf_global_ctrl)
		return -ENODEV;
	if (fv.enable_ret)
		return fv.enable_ret;
	fv.enabled = on;
	return 0;
}

static u64 fake_global_get(struct vcpu *vcpu)
{
	(void)vcpu;
	return fv.guest_field;
}

static void fake_global_set(struct vcpu *vcpu, u64 val)
{
	(void)vcpu;
	fv.guest_field = val;
}

static void fake_get_sregs(struct vcpu *vcpu, struct vcpu_sregs *s)
{
	(void)vcpu;
	memset(s, 0, sizeof(*s));
	s->cr4 = fv.cr4;
}

static const struct virt_ops fake_virt = {
	.name = "fake",
	.get_sregs = fake_get_sregs,
	.msr_intercept = fake_msr_intercept,
	.rdpmc_intercept = fake_rdpmc_intercept,
	.pmu_global_ctrl_enable = fake_global_enable,
	.pmu_global_ctrl_get = fake_global_get,
	.pmu_global_ctrl_set = fake_global_set,
};

const struct virt_ops *virt = &fake_virt;

/* pmu/probe.c's globals (probe.c itself is not linked). */
struct pmu_host pmu_host;
const struct pmu_vendor_ops *pmu_ops;

#endif /* TESTS_UNIT_PMU_FAKE_H */
