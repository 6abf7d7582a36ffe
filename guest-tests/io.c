// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O intercepts: the emulated UART's registers, an unclaimed port,
 * and string I/O with REP.
 */
#include "gt.h"

#define COM1 0x3f8

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
}
