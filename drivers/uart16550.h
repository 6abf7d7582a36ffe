/* SPDX-License-Identifier: GPL-2.0 */
/* Host 16550 UART, polled. */
#ifndef DRIVERS_UART16550_H
#define DRIVERS_UART16550_H

#include <hv/types.h>

void uart_init(u16 port, u32 baud);
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
/* Returns a received byte, or -1 if none is waiting. */
int uart_getc(void);
u16 uart_port(void);

#endif /* DRIVERS_UART16550_H */
