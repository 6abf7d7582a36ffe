/* SPDX-License-Identifier: GPL-2.0 */
/* Host 16550 UART, polled. */
#ifndef DRIVERS_UART16550_H
#define DRIVERS_UART16550_H

#include <hv/types.h>

void uart_init(u16 port, u32 baud);
void uart_putc(char c);
/* Returns a received byte, or -1 if none is waiting. */
int uart_getc(void);
u16 uart_port(void);

#endif /* DRIVERS_UART16550_H */
