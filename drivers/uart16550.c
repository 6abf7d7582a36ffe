// SPDX-License-Identifier: GPL-2.0
/*
 * Host 16550 UART driver. Polled, no interrupts: the hypervisor never takes
 * device interrupts of its own.
 */
#include <arch/x86/cpu.h>
#include <drivers/uart16550.h>

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
#define LCR_8N1  0x03
#define LCR_DLAB 0x80

static u16 base = 0x3f8;
static u32 tx_fifo = 1;		/* bytes the transmitter takes once THRE */


void uart_init(u16 port, u32 baud)
{
	u32 div = baud ? 115200 / baud : 1;

	base = port;
	if (!div)
		div = 1;
	outb(base + UART_IER, 0);
	outb(base + UART_LCR, LCR_DLAB);
	outb(base + UART_DLL, div & 0xff);
	outb(base + UART_DLM, (div >> 8) & 0xff);
	outb(base + UART_LCR, LCR_8N1);
	outb(base + UART_FCR, 0x07);	/* enable and clear FIFOs */
	outb(base + UART_MCR, 0x03);	/* DTR, RTS */
	/*
	 * IIR bits 7:6 read 11 once the FIFOs are on: a 16550A, whose
	 * transmit FIFO holds 16 bytes (PC16550D data sheet, "FIFO Control
	 * Register" and "Interrupt Identification Register").
	 */
	tx_fifo = (inb(base + UART_IIR) & 0xc0) == 0xc0 ? 16 : 1;
}

u32 uart_tx_room(void)
{
	return (inb(base + UART_LSR) & LSR_THRE) ? tx_fifo : 0;
}

void uart_tx(char c)
{
	outb(base + UART_THR, (u8)c);
}

bool uart_putc(char c)
{
	bool ready = false;

	/* Bounded wait: a missing UART must not hang the hypervisor. */
	for (int i = 0; i < 100000; i++) {
		if (inb(base + UART_LSR) & LSR_THRE) {
			ready = true;
			break;
		}
		cpu_relax();
	}
	outb(base + UART_THR, (u8)c);
	return ready;
}

int uart_getc(void)
{
	if (!(inb(base + UART_LSR) & LSR_DR))
		return -1;
	return inb(base + UART_RBR);
}

u16 uart_port(void)
{
	return base;
}
