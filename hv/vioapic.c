// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O APIC of a VM (see hv/vioapic.h). Register access is indirect:
 * IOREGSEL at offset 0x00 selects, IOWIN at 0x10 reads and writes
 * (82093AA 3.1); the EOI register at 0x40 clears remote IRR by vector.
 */
#include <hv/apic_bus.h>
#include <hv/errno.h>
#include <hv/mm/page_alloc.h>
#include <hv/mmio.h>
#include <hv/vcpu.h>
#include <hv/vioapic.h>
#include <hv/vlapic.h>

#define REG_SEL    0x00
#define REG_WIN    0x10
#define REG_EOI    0x40
#define IDX_ID     0x00
#define IDX_VER    0x01
#define IDX_ARB    0x02
#define IDX_RTE    0x10

/* Writable bits: all but delivery status and remote IRR. */
#define RTE_WRITABLE (0xff00000000000000ULL | 0x1afffULL)

static void deliver(struct vm *vm, struct vioapic *io, u32 pin)
{
	u64 e = io->rte[pin];
	struct apic_msg m = {
		.dest = (u32)(e >> 56),
		.logical = e & IOAPIC_RTE_LOGICAL,
		.shorthand = APIC_SH_NONE,
		.mode = (e >> 8) & 7,
		.vector = e & 0xff,
		.level = e & IOAPIC_RTE_LEVEL,
	};

	if (m.level)
		io->rte[pin] |= IOAPIC_RTE_RIRR;
	apic_bus_send(vm, NULL, &m);
}

/* Level pins with the line asserted and no EOI pending deliver again. */
static void service_level(struct vm *vm, struct vioapic *io, u32 pin)
{
	u64 e = io->rte[pin];

	if ((e & IOAPIC_RTE_LEVEL) && !(e & (IOAPIC_RTE_MASKED |
					    IOAPIC_RTE_RIRR)) &&
	    (io->lines & BIT(pin)))
		deliver(vm, io, pin);
}

void vioapic_set_irq(struct vm *vm, u32 pin, bool level)
{
	struct vioapic *io = vm->ioapic;
	bool was;

	if (!io || pin >= VIOAPIC_PINS)
		return;
	spin_lock(&io->lock);
	was = io->lines & BIT(pin);
	if (level)
		io->lines |= BIT(pin);
	else
		io->lines &= ~BIT(pin);
	if (io->rte[pin] & IOAPIC_RTE_LEVEL)
		service_level(vm, io, pin);
	else if (level && !was && !(io->rte[pin] & IOAPIC_RTE_MASKED))
		deliver(vm, io, pin);		/* rising edge */
	spin_unlock(&io->lock);
}

static void eoi_locked(struct vm *vm, struct vioapic *io, u8 vector)
{
	for (u32 pin = 0; pin < VIOAPIC_PINS; pin++) {
		if ((io->rte[pin] & 0xff) != vector ||
		    !(io->rte[pin] & IOAPIC_RTE_RIRR))
			continue;
		io->rte[pin] &= ~IOAPIC_RTE_RIRR;
		service_level(vm, io, pin);
	}
}

void vioapic_eoi(struct vm *vm, u8 vector)
{
	struct vioapic *io = vm->ioapic;

	if (!io)
		return;
	spin_lock(&io->lock);
	eoi_locked(vm, io, vector);
	spin_unlock(&io->lock);
}

static u32 read_reg(struct vioapic *io, u32 idx)
{
	if (idx == IDX_ID)
		return io->id << 24;
	if (idx == IDX_VER)
		return VIOAPIC_VERSION | ((VIOAPIC_PINS - 1) << 16);
	if (idx == IDX_ARB)
		return io->id << 24;
	if (idx >= IDX_RTE && idx < IDX_RTE + 2 * VIOAPIC_PINS) {
		u64 e = io->rte[(idx - IDX_RTE) / 2];

		return (idx & 1) ? (u32)(e >> 32) : (u32)e;
	}
	return 0;
}

static void write_reg(struct vm *vm, struct vioapic *io, u32 idx, u32 val)
{
	u32 pin;
	u64 e;

	if (idx == IDX_ID) {
		io->id = (val >> 24) & 0xf;
		return;
	}
	if (idx < IDX_RTE || idx >= IDX_RTE + 2 * VIOAPIC_PINS)
		return;
	pin = (idx - IDX_RTE) / 2;
	e = io->rte[pin];
	if (idx & 1)
		e = (e & 0xffffffffULL) | ((u64)val << 32);
	else
		e = (e & ~0xffffffffULL) | val;
	io->rte[pin] = (e & RTE_WRITABLE) |
		       (io->rte[pin] & IOAPIC_RTE_RIRR);
	if (!(io->rte[pin] & IOAPIC_RTE_LEVEL))
		io->rte[pin] &= ~IOAPIC_RTE_RIRR;
	/* Unmasking a level pin whose line is asserted delivers it. */
	service_level(vm, io, pin);
}

static int mmio_read(struct vcpu *vcpu, void *opaque, u64 off, u8 size,
		     u64 *val)
{
	struct vioapic *io = opaque;

	(void)vcpu;
	(void)size;
	spin_lock(&io->lock);
	if (off == REG_SEL)
		*val = io->sel;
	else if (off == REG_WIN)
		*val = read_reg(io, io->sel);
	else
		*val = 0;
	spin_unlock(&io->lock);
	return 0;
}

static int mmio_write(struct vcpu *vcpu, void *opaque, u64 off, u8 size,
		      u64 val)
{
	struct vioapic *io = opaque;

	(void)size;
	spin_lock(&io->lock);
	if (off == REG_SEL)
		io->sel = val & 0xff;
	else if (off == REG_WIN)
		write_reg(vcpu->vm, io, io->sel, (u32)val);
	else if (off == REG_EOI)
		eoi_locked(vcpu->vm, io, val & 0xff);
	spin_unlock(&io->lock);
	return 0;
}

static const struct mmio_ops ioapic_ops = {
	.name = "I/O APIC",
	.read = mmio_read,
	.write = mmio_write,
};

void vioapic_reset(struct vm *vm)
{
	struct vioapic *io = vm->ioapic;

	/* Every pin masked, edge, fixed, vector 0 (82093AA 3.2.4). */
	for (u32 i = 0; i < VIOAPIC_PINS; i++)
		io->rte[i] = IOAPIC_RTE_MASKED;
	io->sel = 0;
	io->lines = 0;
	io->id = 0;		/* MADT names it; vCPUs use IDs from 0 */
}

int vioapic_init(struct vm *vm)
{
	struct vioapic *io = page_alloc(sizeof(*io));

	if (!io)
		return -ENOMEM;
	vm->ioapic = io;
	vioapic_reset(vm);
	return mmio_register(vm, VIOAPIC_BASE, PAGE_SIZE, &ioapic_ops, io);
}
