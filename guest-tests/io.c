// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O intercepts: the emulated UART's registers, an unclaimed port,
 * string I/O with REP, and the legacy PC devices.
 */
#include "gt.h"

#define COM1 0x3f8

static u8 cmos(u8 reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static bool bcd_ok(u8 v, u8 max)
{
	return (v & 0xf) <= 9 && (v >> 4) <= 9 && v <= max;
}

/*
 * Legacy PC devices as a booting OS probes them: PCI configuration
 * mechanism #1 with no device, the 8259A masks, CMOS/RTC registers, the
 * 8042 status.
 */
static void legacy_ports(void)
{
	u8 b;

	/* PCI: the address latch reads back; a host bridge at 00:00.0. */
	outl(0xcf8, 0x80000000);
	EXPECT_EQ(inl(0xcf8), 0x80000000);
	EXPECT_EQ(inl(0xcfc), 0x29c08086);
	EXPECT_EQ(inw(0xcfe), 0x29c0);
	outl(0xcf8, 0x80000008);
	EXPECT_EQ(inl(0xcfc) >> 8, 0x060000);	/* class: host bridge */
	outl(0xcf8, 0x80000800);		/* 00:01.0: nothing */
	EXPECT_EQ(inl(0xcfc), 0xffffffff);
	outl(0xcf8, 0x80001808);
	EXPECT_EQ(inl(0xcf8), 0x80001808);
	EXPECT_EQ(inw(0xcfe), 0xffff);
	EXPECT_EQ(inb(0xcf9), 0);

	/* PICs: initialization words, then the mask reads back. */
	outb(0x20, 0x11);
	outb(0x21, 0x20);
	outb(0x21, 0x04);
	outb(0x21, 0x01);
	outb(0x21, 0xfb);
	EXPECT_EQ(inb(0x21), 0xfb);
	outb(0xa1, 0xff);
	EXPECT_EQ(inb(0xa1), 0xff);
	EXPECT_EQ(inb(0x20), 0);

	/* CMOS/RTC: valid clock, plausible time, RAM bytes kept. */
	EXPECT_EQ(cmos(0x0d), 0x80);
	EXPECT_EQ(cmos(0x0c), 0);
	EXPECT_EQ(cmos(0x0a) & 0x7f, 0x26);
	b = cmos(0x0b);
	if (!(b & 0x04)) {		/* BCD */
		EXPECT(bcd_ok(cmos(0x00), 0x59));
		EXPECT(bcd_ok(cmos(0x02), 0x59));
		EXPECT(bcd_ok(cmos(0x09), 0x99));
	} else {
		EXPECT(cmos(0x00) <= 59);
	}
	outb(0x70, 0x40);
	outb(0x71, 0x5a);
	EXPECT_EQ(cmos(0x40), 0x5a);

	/* 8042: both buffers empty. */
	EXPECT_EQ(inb(0x64) & 0x03, 0);
}

void test_main(void)
{
	static const char msg[] = "rep outsb reached the console\n";
	u8 buf[8];
	s64 before = hypercall(PV_HC_EXIT_COUNT, PV_EXIT_IO, 0);

	/* The 16550 scratch register keeps what is written. */
	outb(COM1 + 7, 0xa5);
	EXPECT_EQ(inb(COM1 + 7), 0xa5);
	outb(COM1 + 7, 0x5a);
	EXPECT_EQ(inb(COM1 + 7), 0x5a);
	/* Transmitter empty, nothing received. */
	EXPECT_EQ(inb(COM1 + 5) & 0x61, 0x60);
	/* Divisor latch through DLAB. */
	outb(COM1 + 3, 0x80);
	outb(COM1 + 0, 0x0c);
	outb(COM1 + 1, 0x00);
	EXPECT_EQ(inb(COM1 + 0), 0x0c);
	outb(COM1 + 3, 0x03);
	EXPECT_EQ(inb(COM1 + 3), 0x03);

	/* An unclaimed port reads as an empty bus. */
	EXPECT_EQ(inb(0x2e0), 0xff);
	EXPECT_EQ(inw(0x2e0), 0xffff);
	EXPECT_EQ(inl(0x2e0), 0xffffffff);

	/* String output with REP goes through the UART byte by byte. */
	{
		const char *p = msg;
		u64 n = sizeof(msg) - 1;

		asm volatile("rep outsb"
			     : "+S"(p), "+c"(n)
			     : "d"((u16)COM1)
			     : "memory");
		EXPECT_EQ(n, 0);
		EXPECT_EQ(p, msg + sizeof(msg) - 1);
	}
	/* String input fills memory, forwards. */
	{
		u8 *p = buf;
		u64 n = sizeof(buf);

		for (unsigned i = 0; i < sizeof(buf); i++)
			buf[i] = 0;
		asm volatile("rep insb"
			     : "+D"(p), "+c"(n)
			     : "d"((u16)0x2e0)
			     : "memory");
		EXPECT_EQ(n, 0);
		EXPECT_EQ(buf[0], 0xff);
		EXPECT_EQ(buf[7], 0xff);
	}
	EXPECT(hypercall(PV_HC_EXIT_COUNT, PV_EXIT_IO, 0) - before >= 15);
	legacy_ports();
}
