/* SPDX-License-Identifier: GPL-2.0 */
/* Host 16550 UART, polled: at an I/O port or memory-mapped. */
#ifndef DRIVERS_UART16550_H
#define DRIVERS_UART16550_H

#include <hv/types.h>

enum uart_space { UART_SPACE_IO, UART_SPACE_MMIO };

/* Where the console UART is and how its registers are reached. */
struct uart_desc {
	enum uart_space space;
	u64 base;		/* I/O port or physical address */
	u8 shift;		/* register n is at base + (n << shift) */
	u8 width;		/* access size in bytes: 1 or 4 (MMIO only) */
	u32 baud;		/* 0: keep the divisor the firmware set */
};

/* An I/O-port 16550 at @port, programmed for @baud 8N1. */
void uart_init(u16 port, u32 baud);
/* Any 16550; -EINVAL for a description the driver cannot use. */
int uart_setup(const struct uart_desc *d);
const struct uart_desc *uart_current(void);
/*
 * Waits (bounded) for the transmitter, then sends @c; false if it never
 * became ready (the byte was written anyway).
 */
bool uart_putc(char c);
/*
 * Bytes the transmitter takes now without waiting: 0 while it is busy,
 * the FIFO depth once it is empty (THRE). uart_tx() sends one of them.
 */
u32 uart_tx_room(void);
void uart_tx(char c);
/* Waits (bounded) until the last byte has left the transmitter. */
bool uart_tx_drain(void);
/* Returns a received byte, or -1 if none is waiting. */
int uart_getc(void);

#endif /* DRIVERS_UART16550_H */
