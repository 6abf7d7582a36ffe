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

void test_main(void)
{
	u64 t0, t1, ms100, ms;
	u16 a, b;
	u8 p61;

	/* Counter 2, mode 0, 0xffff: OUT2 rises after 65535 clocks. */
	p61 = inb(0x61);
	outb(0x61, (p61 & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* ch2, LSB+MSB, mode 0 */
	outb(0x42, 0xff);
	outb(0x42, 0xff);
	t0 = rdtsc();
	EXPECT(!(inb(0x61) & 0x20));		/* OUT2 low while counting */
	a = latch2();
	b = latch2();
	EXPECT(a >= b);				/* counts down */
	while (!(inb(0x61) & 0x20) && rdtsc() - t0 < 1000 * gt_tsc_per_ms())
		;
	t1 = rdtsc();
	/* 65535 / 1193182 Hz = 54.9 ms */
	ms100 = (t1 - t0) * 100 / gt_tsc_per_ms();
	gt_printf("counter 2: terminal count after %llu.%02llu ms\n",
		  (unsigned long long)ms100 / 100,
		  (unsigned long long)ms100 % 100);
	/*
	 * Never early; how late depends on when this vCPU polls again, so
	 * the upper bound is only a last resort against "never".
	 */
	EXPECT(ms100 >= 5000 && ms100 <= 100000);

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
	outb(0x43, 0x34);			/* ch0, LSB+MSB, mode 2 */
	outb(0x40, 1193 & 0xff);
	outb(0x40, 1193 >> 8);
	/*
	 * Wait for the interrupts themselves, not for a time: how many
	 * arrive in a given time depends on how fast the machine runs (late
	 * edges merge). What cannot depend on it: never more interrupts
	 * than periods have passed.
	 */
	t0 = rdtsc();
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
	outb(0x40, 11932 & 0xff);
	outb(0x40, 11932 >> 8);
	t0 = rdtsc();
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
