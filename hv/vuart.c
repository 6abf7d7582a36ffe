// SPDX-License-Identifier: GPL-2.0
/*
 * A 16550A as the guest sees it (register map of the National PC16550D
 * data sheet). Output bytes go to the console layer, input comes from it.
 * Interrupts are not raised yet: guests poll LSR.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/mm/page_alloc.h>
#include <hv/vm.h>
#include <hv/vuart.h>

#define COM1 0x3f8

#define REG_RBR_THR 0
#define REG_IER     1
#define REG_IIR_FCR 2
#define REG_LCR     3
#define REG_MCR     4
#define REG_LSR     5
#define REG_MSR     6
#define REG_SCR     7

#define LCR_DLAB 0x80
#define LSR_DR   0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MCR_LOOP 0x10

int vuart_init(struct vm *vm)
{
	vm->uart = page_alloc(sizeof(*vm->uart));
	return vm->uart ? 0 : -ENOMEM;
}

static bool rx_empty(const struct vuart *u)
{
	return u->rx_head == u->rx_tail;
}

bool vuart_receive(struct vm *vm, u8 c)
{
	struct vuart *u = vm->uart;
	bool ok;

	spin_lock(&u->lock);
	ok = u->rx_tail - u->rx_head < VUART_RX_SIZE;
	if (ok)
		u->rx[u->rx_tail++ % VUART_RX_SIZE] = c;
	spin_unlock(&u->lock);
	return ok;
}

static int vuart_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	struct vuart *u = vm->uart;
	u8 v = 0;

	(void)size;
	spin_lock(&u->lock);
	switch (port - COM1) {
	case REG_RBR_THR:
		if (u->lcr & LCR_DLAB) {
			v = u->dll;
		} else if (!rx_empty(u)) {
			v = u->rx[u->rx_head++ % VUART_RX_SIZE];
		}
		break;
	case REG_IER:
		v = (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
		break;
	case REG_IIR_FCR:
		/* No interrupt pending; FIFOs reported when enabled. */
		v = 0x01 | ((u->fcr & 1) ? 0xc0 : 0);
		break;
	case REG_LCR:
		v = u->lcr;
		break;
	case REG_MCR:
		v = u->mcr;
		break;
	case REG_LSR:
		v = LSR_THRE | LSR_TEMT | (rx_empty(u) ? 0 : LSR_DR);
		break;
	case REG_MSR:
		/* DCD, DSR, CTS asserted: a terminal is attached. */
		v = (u->mcr & MCR_LOOP) ? ((u->mcr & 0xf) << 4) : 0xb0;
		break;
	case REG_SCR:
		v = u->scr;
		break;
	}
	spin_unlock(&u->lock);
	*val = v;
	return 0;
}

static int vuart_write(struct vm *vm, u16 port, u8 size, u32 val)
{
	struct vuart *u = vm->uart;
	bool out = false;
	u8 v = val;

	(void)size;
	spin_lock(&u->lock);
	switch (port - COM1) {
	case REG_RBR_THR:
		if (u->lcr & LCR_DLAB)
			u->dll = v;
		else
			out = !(u->mcr & MCR_LOOP);
		break;
	case REG_IER:
		if (u->lcr & LCR_DLAB)
			u->dlm = v;
		else
			u->ier = v & 0x0f;
		break;
	case REG_IIR_FCR:
		u->fcr = v;
		if (v & 0x02)
			u->rx_head = u->rx_tail;	/* clear RX FIFO */
		break;
	case REG_LCR:
		u->lcr = v;
		break;
	case REG_MCR:
		u->mcr = v & 0x1f;
		break;
	case REG_SCR:
		u->scr = v;
		break;
	}
	spin_unlock(&u->lock);
	if (out)
		console_guest_putc(vm, (char)v);
	return 0;
}

const struct io_dev vuart_com1_dev = {
	.name = "uart",
	.base = COM1,
	.len = 8,
	.read = vuart_read,
	.write = vuart_write,
};
