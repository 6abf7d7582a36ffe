// SPDX-License-Identifier: GPL-2.0
/*
 * Host local APIC driver. The hypervisor takes no device interrupts: it
 * masks every local interrupt source and uses the APIC only for IPIs
 * (AP start-up, kicks) and, later, for PMIs.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <drivers/lapic.h>
#include <hv/errno.h>
#include <hv/time.h>

#define APIC_ID     0x020
#define APIC_TPR    0x080
#define APIC_EOI    0x0b0
#define APIC_SVR    0x0f0
#define APIC_ESR    0x280
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_THERMAL 0x330
#define APIC_LVT_PERF 0x340
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_LVT_CMCI 0x2f0

#define APIC_TIMER_ICR 0x380
#define APIC_TIMER_CCR 0x390
#define APIC_TIMER_DCR 0x3e0

#define LVT_MASKED BIT(16)
#define SVR_ENABLE BIT(8)

static bool x2apic;
static u64 timer_ticks_per_ms;	/* APIC timer rate, divide by 16 */
static u64 mmio_base = 0xfee00000;

static u32 apic_read(u32 reg)
{
	if (x2apic)
		return (u32)rdmsr(0x800 + (reg >> 4));
	return *(volatile u32 *)(mmio_base + reg);
}

static void apic_write(u32 reg, u32 val)
{
	if (x2apic)
		wrmsr(0x800 + (reg >> 4), val);
	else
		*(volatile u32 *)(mmio_base + reg) = val;
}

void lapic_init_global(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);

	x2apic = base & APIC_BASE_X2APIC;
	mmio_base = base & 0xffffff000ULL;
}

bool lapic_x2apic(void)
{
	return x2apic;
}

u64 lapic_base(void)
{
	return mmio_base;
}

void lapic_init_cpu(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);

	/* APs come out of INIT in xAPIC mode; follow the BSP's mode. */
	if (x2apic && !(base & APIC_BASE_X2APIC))
		wrmsr(MSR_IA32_APIC_BASE,
		      base | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
	else if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_ENABLE);

	apic_write(APIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_TIMER, LVT_MASKED);
	apic_write(APIC_LVT_THERMAL, LVT_MASKED);
	apic_write(APIC_LVT_PERF, LVT_MASKED | ICR_DM_NMI);
	apic_write(APIC_LVT_LINT0, LVT_MASKED);
	apic_write(APIC_LVT_LINT1, LVT_MASKED);
	apic_write(APIC_LVT_ERROR, LVT_MASKED);
	if (!x2apic)
		apic_write(APIC_ESR, 0);
}

u32 lapic_id(void)
{
	u32 id = apic_read(APIC_ID);

	return x2apic ? id : id >> 24;
}

void lapic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

int lapic_send_ipi(u32 apic_id, u32 icr)
{
	if (x2apic) {
		wrmsr(0x830, ((u64)apic_id << 32) | icr);
		return 0;
	}
	apic_write(APIC_ICR_HI, apic_id << 24);
	apic_write(APIC_ICR_LO, icr);
	for (int i = 0; i < 1000000; i++) {
		if (!(apic_read(APIC_ICR_LO) & ICR_BUSY))
			return 0;
		cpu_relax();
	}
	return -ETIMEDOUT;
}

/*
 * Measures the APIC timer (divide by 16) against the TSC over 1 ms. The
 * boot CPU's rate holds for every CPU: they share the bus clock.
 */
void lapic_timer_calibrate(void)
{
	u64 t0;

	apic_write(APIC_TIMER_DCR, 0x3);	/* divide by 16 */
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	apic_write(APIC_TIMER_ICR, 0xffffffff);
	t0 = rdtsc();
	udelay(1000);
	timer_ticks_per_ms = 0xffffffffULL - apic_read(APIC_TIMER_CCR);
	(void)t0;
	apic_write(APIC_TIMER_ICR, 0);
	if (!timer_ticks_per_ms)
		timer_ticks_per_ms = 1;
}

void lapic_timer_oneshot_us(u64 us)
{
	apic_write(APIC_TIMER_DCR, 0x3);
	apic_write(APIC_LVT_TIMER, VEC_TIMER);	/* one-shot, unmasked */
	apic_write(APIC_TIMER_ICR, lapic_timer_ticks(us, timer_ticks_per_ms));
}

void lapic_timer_stop(void)
{
	apic_write(APIC_TIMER_ICR, 0);
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
}

void lapic_write_lvtpc(u32 val)
{
	apic_write(0x340, val);
}
