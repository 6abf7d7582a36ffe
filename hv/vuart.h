/* SPDX-License-Identifier: GPL-2.0 */
/* The guest's 16550A UART at COM1. */
#ifndef HV_VUART_H
#define HV_VUART_H

#include <hv/io.h>
#include <hv/spinlock.h>

#define VUART_RX_SIZE 256

struct vuart {
	spinlock_t lock;
	u8 ier, lcr, mcr, scr, dll, dlm, fcr;
	u8 rx[VUART_RX_SIZE];
	u32 rx_head, rx_tail;
	bool thre_pending;		/* THR-empty interrupt not yet seen */
	bool irq;			/* the level last driven on VUART_IRQ */
};

/* The ISA interrupt line of COM1 (an I/O APIC pin, identity-mapped). */
#define VUART_IRQ 4

extern const struct io_dev vuart_com1_dev;

int vuart_init(struct vm *vm);
/* Power-up state of the registers; the receive buffer is emptied. */
void vuart_reset(struct vm *vm);
/* Input from the console for this guest; false if the buffer is full. */
bool vuart_receive(struct vm *vm, u8 c);

#endif /* HV_VUART_H */
