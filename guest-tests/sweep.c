// SPDX-License-Identifier: GPL-2.0
/*
 * instances: 2
 * overlap: required
 * config: timeout = 300
 *
 * A hostile guest, twice at the same time on two CPUs, each the other's
 * neighbour: it sweeps every MSR of the architectural (0-0x1fff) and AMD
 * (0xc0000000-0xc0001fff, 0xc0010000-0xc0011fff) ranges (read, write 0,
 * write all ones, put back what was read), every I/O port (read, write 0
 * and 0xff; not its own console, debug-exit, reset and power-off ports),
 * every register of the vLAPIC and IOAPIC pages (0 and all ones), every
 * bit of CR0 and CR4 (set or clear, then restore), and floods itself with
 * self-IPI NMIs. Faults are caught and it carries on. After each sweep it
 * checks that the hypervisor still answers, that its memory and an XMM
 * register it keeps across all exits are intact, and that it still gets
 * a timer interrupt; the other instance does the same meanwhile. The two
 * start together (gt_rendezvous()), and the one done first goes on
 * checking until the other is done too, so each one's checks run all
 * through the other's sweeps.
 * Catches: a guest-reachable path that panics the hypervisor, stalls a
 * CPU, or changes state another guest (or this one's untouched state)
 * sees.
 */
#include "gt.h"

#define XAPIC   0xfee00000UL
#define IOAPIC  0xfec00000UL
#define SVR     0x0f0
#define ICR     0x300
#define ICR2    0x310
#define EOI     0x0b0
#define LVTT    0x320
#define TMICT   0x380
#define TDCR    0x3e0
#define VEC     0x41

#define CANARY_WORDS 4096

static u64 canary[CANARY_WORDS];
static volatile u32 nmis, ticks;

static void apic_w(u32 reg, u32 v)
{
	*(volatile u32 *)(XAPIC + reg) = v;
}

static void fill_canary(void)
{
	for (u32 i = 0; i < CANARY_WORDS; i++)
		canary[i] = 0x9e3779b97f4a7c15ULL * (i + 1);
}

static bool canary_ok(void)
{
	for (u32 i = 0; i < CANARY_WORDS; i++)
		if (canary[i] != 0x9e3779b97f4a7c15ULL * (i + 1))
			return false;
	return true;
}

static u64 xmm15_lo(void)
{
	u64 v;

	asm volatile("movq %%xmm15, %0" : "=r"(v));
	return v;
}

static void on_nmi(u8 vector)
{
	nmis++;
}

static void on_timer(u8 vector)
{
	ticks++;
	apic_w(EOI, 0);
}

/* A local APIC timer interrupt, set up afresh. */
static void timer_tick(void)
{
	u32 before = ticks;

	apic_w(SVR, 0x1ff);
	apic_w(TDCR, 0xb);
	apic_w(LVTT, VEC);
	apic_w(TMICT, 100000);
	while (ticks == before)
		sti_hlt();
	cli();
}

/* The guest, the hypervisor and the guest's own state are all still fine. */
static void sane(const char *after)
{
	gt_printf("after %s: checking\n", after);
	EXPECT_EQ(hypercall(PV_HC_ECHO, 0x1234, 0), ~0x1234LL);
	EXPECT(canary_ok());
	EXPECT_EQ(xmm15_lo(), 0x0123456789abcdefULL);
	timer_tick();
}

/* The same without a line per check. */
static bool intact(void)
{
	timer_tick();
	return hypercall(PV_HC_ECHO, 0x1234, 0) == ~0x1234LL &&
	       canary_ok() && xmm15_lo() == 0x0123456789abcdefULL;
}

static bool skip_msr_write(u32 msr)
{
	/* Its own EFER stays intact (efer.c sweeps its bits). */
	return msr == 0xc0000080;
}

static void msr_sweep(u32 first, u32 last)
{
	for (u32 msr = first; msr <= last; msr++) {
		u64 orig = 0;
		int r = rdmsr_try(msr, &orig);

		if (skip_msr_write(msr))
			continue;
		wrmsr_try(msr, 0);
		wrmsr_try(msr, ~0ULL);
		if (r < 0)
			wrmsr_try(msr, orig);
	}
}

static bool skip_port(u32 port)
{
	return (port >= 0x3f8 && port <= 0x3ff) ||	/* its console */
	       (port >= 0xf4 && port <= 0xf7) ||	/* debug exit */
	       port == 0xcf9 || port == 0x92 ||		/* resets */
	       port == 0x64 || port == 0x60 ||		/* 8042 reset */
	       (port >= 0x600 && port <= 0x605);	/* ACPI S5 */
}

static void port_sweep(void)
{
	for (u32 port = 0; port < 0x10000; port++) {
		if (skip_port(port))
			continue;
		(void)inb(port);
		outb(port, 0);
		outb(port, 0xff);
	}
	for (u32 port = 0; port < 0x10000; port += 4)
		if (!skip_port(port) && !skip_port(port + 3))
			(void)inl(port);
}

static void page_sweep(unsigned long base)
{
	for (u32 off = 0; off < 0x1000; off += 4) {
		*(volatile u32 *)(base + off) = ~0u;
		*(volatile u32 *)(base + off) = 0;
		(void)*(volatile u32 *)(base + off);
	}
}

static void ioapic_sweep(void)
{
	page_sweep(IOAPIC);
	/* Every register index through IOREGSEL/IOWIN; masked at the end. */
	for (u32 idx = 0; idx < 256; idx++) {
		*(volatile u32 *)IOAPIC = idx;
		*(volatile u32 *)(IOAPIC + 0x10) = 0;
		*(volatile u32 *)IOAPIC = idx;
		*(volatile u32 *)(IOAPIC + 0x10) = ~0u;
	}
}

/*
 * CR0: every bit but PE and PG, which long mode forbids changing (SDM
 * vol. 3 10.8.5; QEMU TCG does not raise that #GP under nested SVM, and
 * the guest would fall out of paging in 64-bit code). CR4: the bits the
 * CPU offers (CPUID) that long mode lets change; reserved bits and those
 * CPUID hides (VMXE, SMXE) are issue 9's checks: an SVM guest can set
 * them today and the next VMRUN refuses the state.
 */
static u64 cr0_bits(void)
{
	return ~(BIT(0) | BIT(31));
}

static u64 cr4_bits(void)
{
	u32 a, b, c1, d1, b7 = 0, c7 = 0, d;
	u64 m = BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(6) |
		BIT(7) | BIT(8) | BIT(9) | BIT(10);	/* VME..OSXMMEXCPT */

	cpuid(1, 0, &a, &b, &c1, &d1);
	cpuid(0, 0, &a, &b, &c7, &d);
	if (a >= 7)
		cpuid(7, 0, &a, &b7, &c7, &d);
	else
		c7 = 0;
	if (c7 & BIT(2))
		m |= BIT(11);		/* UMIP */
	if (b7 & BIT(0))
		m |= BIT(16);		/* FSGSBASE */
	if (c1 & BIT(17))
		m |= BIT(17);		/* PCIDE */
	if (c1 & BIT(26))
		m |= BIT(18);		/* OSXSAVE */
	if (b7 & BIT(7))
		m |= BIT(20);		/* SMEP */
	if (b7 & BIT(20))
		m |= BIT(21);		/* SMAP */
	if (c7 & BIT(3))
		m |= BIT(22);		/* PKE */
	return m;
}

#define CR_SWEEP(n)                                                         \
	static void cr##n##_sweep(void)                                     \
	{                                                                   \
		u64 orig = read_cr##n(), bits = cr##n##_bits();             \
		for (u32 bit = 0; bit < 64; bit++) {                        \
			u64 v = orig ^ (1ULL << bit);                       \
			if (!(bits & (1ULL << bit)))                        \
				continue;                                   \
			gt_clear_exception();                               \
			asm volatile(ASM_TRY("1f") "mov %0, %%cr" #n "\n1:" \
				     : : "r"(v) : "memory");                \
			gt_fixup_rip = 0;                                   \
			if (read_cr##n() != orig)                           \
				write_cr##n(orig);                          \
		}                                                           \
		EXPECT_EQ(read_cr##n(), orig);                              \
	}
CR_SWEEP(0)
CR_SWEEP(4)

static void nmi_flood(void)
{
	gt_set_irq_handler(2, on_nmi);
	for (u32 i = 0; i < 20000; i++) {
		apic_w(ICR2, 0);
		apic_w(ICR, (1u << 18) | (4u << 8));	/* self, NMI */
	}
	gt_printf("NMI flood: %u taken\n", nmis);
	EXPECT(nmis >= 1);
}

void test_main(void)
{
	u64 pattern = 0x0123456789abcdefULL, checks = 0, bad = 0, start;

	gt_rendezvous(1);
	start = rdtsc();

	write_cr0((read_cr0() | BIT(1)) & ~(BIT(2) | BIT(3)));	/* MP; no EM, TS */
	write_cr4(read_cr4() | BIT(9));				/* OSFXSR */
	asm volatile("movq %0, %%xmm15" : : "r"(pattern));
	fill_canary();
	gt_set_irq_handler(VEC, on_timer);
	sane("start");
	msr_sweep(0, 0x1fff);
	msr_sweep(0xc0000000, 0xc0001fff);
	msr_sweep(0xc0010000, 0xc0011fff);
	sane("MSR sweep");
	port_sweep();
	sane("I/O port sweep");
	page_sweep(XAPIC);
	sane("vLAPIC page");
	ioapic_sweep();
	sane("IOAPIC page");
	cr0_sweep();
	cr4_sweep();
	sane("CR0/CR4 bits");
	nmi_flood();
	sane("NMI flood");
	/* Phase 2: this instance's sweeps are done. */
	for (; !gt_reached(2); checks++)
		bad += !intact();
	gt_printf("checked %llu more times until the other was done\n",
		  (unsigned long long)checks);
	EXPECT_EQ(bad, 0);
	gt_printf("window %llx %llx\n", (unsigned long long)start,
		  (unsigned long long)rdtsc());
}
