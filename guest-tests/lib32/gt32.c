// SPDX-License-Identifier: GPL-2.0
/* The 32-bit Multiboot test-kernel library (see gt32.h). */
#include "gt32.h"

#include <hv/abi.h>

#define COM1 0x3f8

static u32 passed, failed;

static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static void putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (u8)c);
}

void gt32_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc('\r');
		putc(*s);
	}
}

void gt32_put_hex(u64 v)
{
	char buf[19];
	int i = 18;

	buf[i] = '\0';
	do {
		buf[--i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	gt32_puts(&buf[i]);
}

void gt32_put_dec(u32 v)
{
	char buf[11];
	int i = 10;

	buf[i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	gt32_puts(&buf[i]);
}

static void where(int line)
{
	gt32_puts("line ");
	gt32_put_dec((u32)line);
	gt32_puts(": ");
}

void gt32_check(bool ok, const char *what, int line)
{
	gt32_puts(ok ? "PASS: " : "FAIL: ");
	if (!ok)
		where(line);
	gt32_puts(what);
	gt32_puts("\n");
	if (ok)
		passed++;
	else
		failed++;
}

void gt32_check_eq(u64 a, u64 b, const char *as, const char *bs, int line)
{
	gt32_puts(a == b ? "PASS: " : "FAIL: ");
	if (a != b)
		where(line);
	gt32_puts(as);
	gt32_puts(" == ");
	gt32_puts(bs);
	if (a != b) {
		gt32_puts(" (");
		gt32_put_hex(a);
		gt32_puts(" != ");
		gt32_put_hex(b);
		gt32_puts(")");
		failed++;
	} else {
		passed++;
	}
	gt32_puts("\n");
}

void gt32_exit(u32 status)
{
	outl(PV_DEBUG_EXIT_PORT, status);
	for (;;)
		asm volatile("cli; hlt");
}

void mb_main(void);
void mb_main(void)
{
	mb_test();
	gt32_put_dec(passed);
	gt32_puts(" passed, ");
	gt32_put_dec(failed);
	gt32_puts(" failed\n");
	gt32_exit(failed ? 1 : 0);
}
