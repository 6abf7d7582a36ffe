// SPDX-License-Identifier: GPL-2.0
/*
 * The 8254 PIT: counter 2 gated by port 0x61 as calibration loops use it
 * (mode 0, OUT2 in port 0x61 bit 5), counter latch and read-back, a low
 * gate freezing the count, and counter 0 interrupts through I/O APIC
 * pin 2 (ISA IRQ 0 as the MADT overrides it): mode 2 periodic, mode 0
 * once.
 */
#include "gt.h"

#define IOAPIC 0xfec00000UL
#define XAPIC  0xfee00000UL
#define VEC    0x62
#define PIN    2

static volatile u32 ticks;

static void ioapic_write(u32 idx, u32 val)
{
	*(volatile u32 *)IOAPIC = idx;
	*(volatile u32 *)(IOAPIC + 0x10) = val;
}

static void pit_irq(u8 vector)
{
	ticks++;
	*(volatile u32 *)(XAPIC + 0xb0) = 0;	/* EOI */
}

static u16 latch2(void)
{
	u16 lo, hi;

	outb(0x43, 0x80);			/* counter 2 latch */
	lo = inb(0x42);
	hi = inb(0x42);
	return lo | hi << 8;
}

/* Waits @ms with interrupts on. */
static void wait_ms(u64 ms)
{
	u64 end = rdtsc() + ms * gt_tsc_per_ms();

	sti();
	while (rdtsc() < end)
		asm volatile("pause");
	cli();
}

/*
 * Counter 2's count and OUT latched together by one read-back command
 * (8254 data sheet: status byte first, bit 7 is OUT).
 */
static u16 sample2(bool *out)
{
	u16 lo, hi;
	u8 st;

	outb(0x43, 0xc8);			/* read-back: count + status, ch2 */
	st = inb(0x42);
	lo = inb(0x42);
	hi = inb(0x42);
	*out = st & 0x80;
	return lo | hi << 8;
}

/*
 * Every time bound below brackets what it measures from outside: a
 * lower bound ("never early") takes its start before the cause and its
 * end after the effect is seen, so a host that stalls this vCPU between
 * the two can only make the measured time longer. An upper bound is
 * only a last resort against "never".
 */
void test_main(void)
{
	u64 t0, t1, ms100, ms;
	bool out_a, out_b;
	u16 a, b;
	u8 p61;

	/* Counter 2, mode 0, 0xffff: OUT2 rises after 65535 clocks. */
	p61 = inb(0x61);
	outb(0x61, (p61 & ~0x02) | 0x01);	/* gate on, speaker off */
	t0 = rdtsc();
	outb(0x43, 0xb0);			/* ch2, LSB+MSB, mode 0 */
	outb(0x42, 0xff);
	outb(0x42, 0xff);
	a = sample2(&out_a);
	b = sample2(&out_b);
	t1 = rdtsc();
	/*
	 * OUT2 is low while counting and the count goes down; both are
	 * certain only if less than 65535 clocks (54.9 ms) have passed.
	 */
	if ((t1 - t0) * 100 / gt_tsc_per_ms() < 5000) {
		EXPECT(!out_a && !out_b);
		EXPECT(a >= b);
	} else {
		gt_printf("counter 2: vCPU stalled %llu ms, sample skipped\n",
			  (unsigned long long)((t1 - t0) / gt_tsc_per_ms()));
	}
	while (!(inb(0x61) & 0x20) && rdtsc() - t0 < 1000 * gt_tsc_per_ms())
		;
	t1 = rdtsc();
	ms100 = (t1 - t0) * 100 / gt_tsc_per_ms();
	gt_printf("counter 2: terminal count after %llu.%02llu ms\n",
		  (unsigned long long)ms100 / 100,
		  (unsigned long long)ms100 % 100);
	EXPECT(ms100 >= 5400 && ms100 <= 100000);

	/* Read-back of counter 2's status: OUT high, LSB+MSB, mode 0. */
	outb(0x43, 0xe8);
	EXPECT_EQ(inb(0x42), 0xb0);

	/* A low gate freezes the count. */
	outb(0x43, 0xb0);
	outb(0x42, 0xff);
	outb(0x42, 0xff);
	outb(0x61, inb(0x61) & ~0x01);
	a = latch2();
	wait_ms(2);
	b = latch2();
	EXPECT_EQ(a, b);
	outb(0x61, inb(0x61) | 0x01);
	wait_ms(2);
	EXPECT(latch2() < b);

	/* Counter 0, mode 2 at 1 kHz, on I/O APIC pin 2. */
	gt_set_irq_handler(VEC, pit_irq);
	*(volatile u32 *)(XAPIC + 0xf0) = 0x1ff;	/* APIC on */
	ioapic_write(0x11 + 2 * PIN, 0);
	ioapic_write(0x10 + 2 * PIN, VEC);	/* edge, fixed, APIC 0 */
	t0 = rdtsc();
	outb(0x43, 0x34);			/* ch0, LSB+MSB, mode 2 */
	outb(0x40, 1193 & 0xff);
	outb(0x40, 1193 >> 8);
	/*
	 * Wait for the interrupts themselves, not for a time: how many
	 * arrive in a given time depends on how fast the machine runs (late
	 * edges merge). What cannot depend on it: never more interrupts
	 * than periods have passed since the count was written.
	 */
	sti();
	while (ticks < 20 && rdtsc() - t0 < 10000 * gt_tsc_per_ms())
		asm volatile("pause");
	cli();
	ms = (rdtsc() - t0) / gt_tsc_per_ms();
	outb(0x43, 0x30);			/* mode 0, no count: stops */
	gt_printf("counter 0, mode 2, 1 kHz: %u interrupts in %llu ms\n",
		  ticks, (unsigned long long)ms);
	EXPECT(ticks >= 20);
	EXPECT(ticks <= ms + 2);

	/* Mode 0: one interrupt, not before 10 ms after the count is written. */
	wait_ms(2);		/* an edge of mode 2 may still be pending */
	ticks = 0;
	t0 = rdtsc();
	outb(0x40, 11932 & 0xff);
	outb(0x40, 11932 >> 8);
	sti();
	while (!ticks && rdtsc() - t0 < 10000 * gt_tsc_per_ms())
		asm volatile("pause");
	cli();
	ms100 = (rdtsc() - t0) * 100 / gt_tsc_per_ms();
	EXPECT_EQ(ticks, 1);
	EXPECT(ms100 >= 1000);
	wait_ms(20);		/* and only one */
	EXPECT_EQ(ticks, 1);
}
