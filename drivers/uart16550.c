// SPDX-License-Identifier: GPL-2.0
/*
 * Host 16550 UART driver. Polled, no interrupts: the hypervisor never takes
 * device interrupts of its own. The registers are at an I/O port (a PC's
 * COM ports, most PCI cards) or memory-mapped with a register stride and
 * access width, as the ACPI SPCR table's Generic Address Structure
 * describes them (servers' BMC UARTs, some PCI cards).
 */
#include <arch/x86/cpu.h>
#include <drivers/uart16550.h>
#include <hv/errno.h>

#define UART_THR 0	/* transmit holding (DLAB=0) */
#define UART_RBR 0	/* receive buffer (DLAB=0) */
#define UART_DLL 0	/* divisor latch low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1	/* divisor latch high (DLAB=1) */
#define UART_FCR 2
#define UART_IIR 2	/* read */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define LSR_DR   0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40	/* FIFO and shift register empty */
#define LCR_8N1  0x03
#define LCR_DLAB 0x80

static struct uart_desc cur = {
	.space = UART_SPACE_IO, .base = 0x3f8, .width = 1, .baud = 115200,
};
static u32 tx_fifo = 1;		/* bytes the transmitter takes once THRE */

static u8 rd(u32 reg)
{
	u64 a = cur.base + ((u64)reg << cur.shift);

	if (cur.space == UART_SPACE_IO)
		return inb((u16)a);
	if (cur.width == 4)
		return (u8)*(volatile u32 *)(uintptr_t)a;
	return *(volatile u8 *)(uintptr_t)a;
}

static void wr(u32 reg, u8 v)
{
	u64 a = cur.base + ((u64)reg << cur.shift);

	if (cur.space == UART_SPACE_IO)
		outb((u16)a, v);
	else if (cur.width == 4)
		*(volatile u32 *)(uintptr_t)a = v;
	else
		*(volatile u8 *)(uintptr_t)a = v;
}

int uart_setup(const struct uart_desc *d)
{
	if (d->shift > 3 || (d->space == UART_SPACE_IO &&
			     (d->base + (7u << d->shift) > 0xffff)) ||
	    (d->space == UART_SPACE_MMIO && (!d->base ||
					     (d->width != 1 && d->width != 4))))
		return -EINVAL;
	cur = *d;
	if (cur.space == UART_SPACE_IO)
		cur.width = 1;
	wr(UART_IER, 0);
	if (cur.baud) {
		/* The divisor of the PC's 1.8432 MHz clock (16 x 115200). */
		u32 div = 115200 / cur.baud;

		if (!div)
			div = 1;
		wr(UART_LCR, LCR_DLAB);
		wr(UART_DLL, div & 0xff);
		wr(UART_DLM, (div >> 8) & 0xff);
	}
	wr(UART_LCR, LCR_8N1);
	wr(UART_FCR, 0x07);	/* enable and clear FIFOs */
	wr(UART_MCR, 0x03);	/* DTR, RTS */
	/*
	 * IIR bits 7:6 read 11 once the FIFOs are on: a 16550A, whose
	 * transmit FIFO holds 16 bytes (PC16550D data sheet, "FIFO Control
	 * Register" and "Interrupt Identification Register").
	 */
	tx_fifo = (rd(UART_IIR) & 0xc0) == 0xc0 ? 16 : 1;
	return 0;
}

void uart_init(u16 port, u32 baud)
{
	struct uart_desc d = {
		.space = UART_SPACE_IO, .base = port, .width = 1, .baud = baud,
	};

	uart_setup(&d);
}

const struct uart_desc *uart_current(void)
{
	return &cur;
}

u32 uart_tx_room(void)
{
	return (rd(UART_LSR) & LSR_THRE) ? tx_fifo : 0;
}

void uart_tx(char c)
{
	wr(UART_THR, (u8)c);
}

bool uart_putc(char c)
{
	bool ready = false;

	/* Bounded wait: a missing UART must not hang the hypervisor. */
	for (int i = 0; i < 100000; i++) {
		if (rd(UART_LSR) & LSR_THRE) {
			ready = true;
			break;
		}
		cpu_relax();
	}
	wr(UART_THR, (u8)c);
	return ready;
}

bool uart_tx_drain(void)
{
	/* Bounded as uart_putc: 16 bytes at 9600 baud take ~17 ms. */
	for (int i = 0; i < 10000000; i++) {
		if (rd(UART_LSR) & LSR_TEMT)
			return true;
		cpu_relax();
	}
	return false;
}

int uart_getc(void)
{
	if (!(rd(UART_LSR) & LSR_DR))
		return -1;
	return rd(UART_RBR);
}
