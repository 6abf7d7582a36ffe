// SPDX-License-Identifier: GPL-2.0
/*
 * A 16550A as the guest sees it (register map of the National PC16550D
 * data sheet). Output bytes go to the console layer, input comes from it.
 * Interrupts: received data and THR empty (IER bits 0 and 1), reported in
 * IIR by priority and raised on I/O APIC pin 4 while MCR.OUT2 is set, as
 * the PC wires it.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/mm/page_alloc.h>
#include <hv/vioapic.h>
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
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define IER_RDA  0x01
#define IER_THRE 0x02
#define IIR_NONE 0x01
#define IIR_THRE 0x02
#define IIR_RDA  0x04

int vuart_init(struct vm *vm)
{
	vm->uart = page_alloc(sizeof(*vm->uart));
	return vm->uart ? 0 : -ENOMEM;
}

void vuart_reset(struct vm *vm)
{
	*vm->uart = (struct vuart){ .lock = SPINLOCK_INIT };
}

static bool rx_empty(const struct vuart *u)
{
	return u->rx_head == u->rx_tail;
}

/* The highest-priority pending interrupt (PC16550D table 4). */
static u8 iir_source(const struct vuart *u)
{
	if ((u->ier & IER_RDA) && !rx_empty(u))
		return IIR_RDA;
	if ((u->ier & IER_THRE) && u->thre_pending)
		return IIR_THRE;
	return IIR_NONE;
}

/*
 * Drives the interrupt line, with the UART lock held: the I/O APIC hears of
 * a change only, and in the order the UART's state changed, also when two
 * vCPUs (or a vCPU and the console) touch the UART at once. Lock order:
 * the UART's, then the I/O APIC's, which never calls back into the UART.
 * An unchanged level needs no call: the I/O APIC itself delivers again
 * what an EOI or an unmasking makes due (hv/vioapic.c).
 */
static void drive_irq(struct vm *vm)
{
	struct vuart *u = vm->uart;
	bool level = (u->mcr & MCR_OUT2) && iir_source(u) != IIR_NONE;

	if (level == u->irq)
		return;
	u->irq = level;
	vioapic_set_irq(vm, VUART_IRQ, level);
}

static bool rx_push(struct vuart *u, u8 c)
{
	if (u->rx_tail - u->rx_head >= VUART_RX_SIZE)
		return false;
	u->rx[u->rx_tail++ % VUART_RX_SIZE] = c;
	return true;
}

bool vuart_receive(struct vm *vm, u8 c)
{
	struct vuart *u = vm->uart;
	bool ok;

	spin_lock(&u->lock);
	ok = rx_push(u, c);
	drive_irq(vm);
	spin_unlock(&u->lock);
	return ok;
}

/*
 * LSR without the lock: its only variable bit is DR, from two u32 indices
 * that only grow, each written under the lock (rx_head by RBR reads and
 * FCR, rx_tail by vuart_receive). Loading head, then tail, gives what
 * LSR was at some instant in between: head <= tail always, so tail ==
 * head means empty at the second load, and tail > head means a byte was
 * there when tail first passed head. An LSR poll, half the exits of a
 * booting Linux, so costs two loads.
 */
static u8 lsr_now(const struct vuart *u)
{
	u32 head = __atomic_load_n(&u->rx_head, __ATOMIC_RELAXED);
	u32 tail = __atomic_load_n(&u->rx_tail, __ATOMIC_ACQUIRE);

	return LSR_THRE | LSR_TEMT | (tail == head ? 0 : LSR_DR);
}

/*
 * Only reading RBR (a byte leaves the FIFO) and IIR (the THR-empty
 * interrupt is acknowledged) can change the interrupt line; the other
 * reads leave it as it is: IO_READ_PURE. Out of line, so that the LSR
 * poll in vuart_read stays a leaf.
 */
static __noinline int read_reg(struct vm *vm, u16 reg, u32 *val)
{
	struct vuart *u = vm->uart;
	bool irq = false;
	u8 v = 0;

	spin_lock(&u->lock);
	switch (reg) {
	case REG_RBR_THR:
		if (u->lcr & LCR_DLAB) {
			v = u->dll;
		} else if (!rx_empty(u)) {
			v = u->rx[u->rx_head++ % VUART_RX_SIZE];
			irq = true;
		}
		break;
	case REG_IER:
		v = (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
		break;
	case REG_IIR_FCR:
		v = iir_source(u) | ((u->fcr & 1) ? 0xc0 : 0);
		/* Reading IIR acknowledges a THR-empty interrupt. */
		if ((v & 0x0f) == IIR_THRE) {
			u->thre_pending = false;
			irq = true;
		}
		break;
	case REG_LCR:
		v = u->lcr;
		break;
	case REG_MCR:
		v = u->mcr;
		break;
	case REG_MSR:
		/* DCD, DSR, CTS asserted: a terminal is attached. */
		v = (u->mcr & MCR_LOOP) ? ((u->mcr & 0xf) << 4) : 0xb0;
		break;
	case REG_SCR:
		v = u->scr;
		break;
	}
	if (irq)
		drive_irq(vm);
	spin_unlock(&u->lock);
	*val = v;
	if (irq)
		return 0;
	/* All but RBR and IIR leave the UART as it is. */
	return reg != REG_RBR_THR && reg != REG_IIR_FCR ? IO_READ_PURE : 0;
}

/* The LSR, which a guest polls before every byte it sends, first. */
static int vuart_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	(void)size;
	if (likely(port - COM1 == REG_LSR)) {
		*val = lsr_now(vm->uart);
		return IO_READ_PURE;
	}
	return read_reg(vm, port - COM1, val);
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
		if (u->lcr & LCR_DLAB) {
			u->dll = v;
			break;
		}
		/* Sent at once: the holding register is empty again. */
		u->thre_pending = true;
		if (u->mcr & MCR_LOOP)
			rx_push(u, v);		/* loopback (PC16550D 8.6) */
		else
			out = true;
		break;
	case REG_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
			break;
		}
		/* Enabling THRE with the register empty raises it. */
		if ((v & IER_THRE) && !(u->ier & IER_THRE))
			u->thre_pending = true;
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
	drive_irq(vm);
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
