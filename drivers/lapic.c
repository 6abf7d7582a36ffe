// SPDX-License-Identifier: GPL-2.0
/*
 * Host local APIC driver. The hypervisor takes no device interrupts: it
 * masks every local interrupt source and uses the APIC only for IPIs
 * (AP start-up, kicks, NMIs), its one-shot timer and PMIs.
 *
 * Every access to the host's APIC registers goes through apic_read(),
 * apic_write() and apic_write_icr() below, which pick the xAPIC page
 * (MMIO) or the x2APIC MSRs (SDM vol. 3A 11.12.1.2: MSR 0x800 + offset/16)
 * by the mode chosen once on the boot CPU (drivers/apic_mode.c). In
 * x2APIC mode the xAPIC page does not reach the APIC (11.12.1.2) and is
 * not even mapped (hv/mm/host_map.c): a stray access faults.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <boot/acpi.h>
#include <drivers/apic_mode.h>
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

#define X2APIC_MSR(reg) (0x800 + ((reg) >> 4))
#define X2APIC_ICR      X2APIC_MSR(APIC_ICR_LO)	/* 0x830, 64 bits */

#define LVT_MASKED BIT(16)
#define SVR_ENABLE BIT(8)
#define CPUID1_ECX_X2APIC BIT(21)

static bool x2apic;
static u64 timer_ticks_per_ms;	/* APIC timer rate, divide by 16 */
static u64 mmio_base = 0xfee00000;

static u32 apic_read(u32 reg)
{
	if (x2apic)
		return (u32)rdmsr(X2APIC_MSR(reg));
	return *(volatile u32 *)(mmio_base + reg);
}

static void apic_write(u32 reg, u32 val)
{
	if (x2apic)
		wrmsr(X2APIC_MSR(reg), val);
	else
		*(volatile u32 *)(mmio_base + reg) = val;
}

/*
 * The ICR: one 64-bit WRMSR with the 32-bit destination in the high half
 * in x2APIC mode (11.12.9), which has no delivery-status bit to wait for;
 * WRMSR to the x2APIC MSRs is not serializing (11.12.3), so a fence first
 * makes the stores the target will look for (a kick flag, the start-up
 * page) visible before the IPI. In xAPIC mode, destination in ICR[63:56]
 * and a write to the low half that sends, then a wait for the APIC to
 * take it (11.6.1); interrupts off between the two writes.
 */
static int apic_write_icr(u32 dest, u32 low)
{
	u64 flags;

	if (x2apic) {
		asm volatile("mfence; lfence" ::: "memory");
		wrmsr(X2APIC_ICR, ((u64)dest << 32) | low);
		return 0;
	}
	flags = read_rflags();
	irq_disable();
	apic_write(APIC_ICR_HI, dest << 24);
	apic_write(APIC_ICR_LO, low);
	if (flags & BIT(9))
		irq_enable();
	for (int i = 0; i < 1000000; i++) {
		if (!(apic_read(APIC_ICR_LO) & ICR_BUSY))
			return 0;
		cpu_relax();
	}
	return -ETIMEDOUT;
}

/*
 * Puts the calling CPU's APIC in the chosen mode. From disabled only
 * xAPIC can be entered, x2APIC only from xAPIC, and xAPIC from x2APIC
 * only through disabled (11.12.5, figure 11-27). An INIT keeps the mode
 * (disabled stays disabled), so an AP comes up in whatever mode the
 * firmware left it.
 */
static void apic_set_mode(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);
	bool en = base & APIC_BASE_ENABLE, extd = base & APIC_BASE_X2APIC;

	if (en && extd == x2apic)
		return;
	if (en && extd) {	/* x2APIC here, the others in xAPIC mode */
		base &= ~(APIC_BASE_ENABLE | APIC_BASE_X2APIC);
		wrmsr(MSR_IA32_APIC_BASE, base);
		en = false;
	}
	base &= ~APIC_BASE_X2APIC;
	if (!en) {
		base |= APIC_BASE_ENABLE;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	if (x2apic)
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_X2APIC);
}

void lapic_init_global(const struct acpi_info *acpi, bool want_x2apic,
		       struct apic_choice *choice)
{
	struct apic_facts f = {
		.apic_base = rdmsr(MSR_IA32_APIC_BASE),
		.fw_opt_out = acpi->dmar_flags & ACPI_DMAR_X2APIC_OPT_OUT,
		.want_x2apic = want_x2apic,
	};
	struct cpuid_regs r;

	cpuid_count(1, 0, &r);
	f.cpu_x2apic = r.ecx & CPUID1_ECX_X2APIC;
	for (u32 i = 0; i < acpi->nr_cpus; i++)
		if (acpi->cpus[i].apic_id > f.max_apic_id)
			f.max_apic_id = acpi->cpus[i].apic_id;
	apic_choose(&f, choice);
	x2apic = choice->x2apic;
	mmio_base = f.apic_base & 0xffffff000ULL;
	if (!mmio_base)
		mmio_base = 0xfee00000;
	apic_set_mode();
}

bool lapic_x2apic(void)
{
	return x2apic;
}

u64 lapic_mmio_base(void)
{
	return x2apic ? 0 : mmio_base;
}

bool lapic_can_reach(u32 apic_id)
{
	return apic_id <= apic_max_dest(x2apic);
}

void lapic_init_cpu(void)
{
	apic_set_mode();
	apic_write(APIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_TIMER, LVT_MASKED);
	apic_write(APIC_LVT_THERMAL, LVT_MASKED);
	apic_write(APIC_LVT_PERF, LVT_MASKED | ICR_DM_NMI);
	apic_write(APIC_LVT_LINT0, LVT_MASKED);
	apic_write(APIC_LVT_LINT1, LVT_MASKED);
	apic_write(APIC_LVT_ERROR, LVT_MASKED);
	/* x2APIC's ESR takes only 0 as well (11.12.1.2). */
	apic_write(APIC_ESR, 0);
}

/* The 32-bit x2APIC ID, or the 8-bit xAPIC ID in bits 31:24 (11.12.5.1). */
u32 lapic_id(void)
{
	u32 id = apic_read(APIC_ID);

	return x2apic ? id : id >> 24;
}

void lapic_eoi(void)
{
	apic_write(APIC_EOI, 0);	/* x2APIC: anything else is #GP */
}

int lapic_send_ipi(u32 apic_id, u32 icr)
{
	if (!lapic_can_reach(apic_id))
		return -EINVAL;	/* would be another CPU, or all of them */
	return apic_write_icr(apic_id, icr);
}

/*
 * Measures the APIC timer (divide by 16) against the TSC over 1 ms. The
 * boot CPU's rate holds for every CPU: they share the bus clock.
 */
void lapic_timer_calibrate(void)
{
	apic_write(APIC_TIMER_DCR, 0x3);	/* divide by 16 */
	apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	apic_write(APIC_TIMER_ICR, 0xffffffff);
	udelay(1000);
	timer_ticks_per_ms = 0xffffffffULL - apic_read(APIC_TIMER_CCR);
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

void lapic_write_lint(u32 pin, u32 val)
{
	apic_write(pin ? APIC_LVT_LINT1 : APIC_LVT_LINT0, val);
}

void lapic_write_lvtpc(u32 val)
{
	apic_write(APIC_LVT_PERF, val);
}
