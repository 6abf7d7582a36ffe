/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The I/O APIC of a VM at 0xfec00000 (Intel 82093AA data sheet, with the
 * EOI register of later versions): 24 redirection entries, edge and level
 * triggering with remote IRR, messages to the local APICs (hv/apic_bus.h).
 */
#ifndef HV_VIOAPIC_H
#define HV_VIOAPIC_H

#include <hv/spinlock.h>
#include <hv/types.h>

#define VIOAPIC_BASE    0xfec00000ULL
#define VIOAPIC_PINS    24
#define VIOAPIC_VERSION 0x20

/* Redirection entry fields (82093AA 3.2.4). */
#define IOAPIC_RTE_LOGICAL BIT(11)
#define IOAPIC_RTE_STATUS  BIT(12)
#define IOAPIC_RTE_LOW     BIT(13)		/* active low */
#define IOAPIC_RTE_RIRR    BIT(14)		/* remote IRR */
#define IOAPIC_RTE_LEVEL   BIT(15)
#define IOAPIC_RTE_MASKED  BIT(16)

struct vm;

struct vioapic {
	spinlock_t lock;
	u32 sel;			/* IOREGSEL */
	u32 id;
	u64 rte[VIOAPIC_PINS];
	u32 lines;			/* current input levels, bit per pin */
};

/* Allocates the VM's I/O APIC and maps its page. */
int vioapic_init(struct vm *vm);
/* Power-up state: every pin masked (a guest reset). */
void vioapic_reset(struct vm *vm);
/* Drives input @pin to @level (any CPU). */
void vioapic_set_irq(struct vm *vm, u32 pin, bool level);
/* A local APIC signalled EOI for a level-triggered @vector. */
void vioapic_eoi(struct vm *vm, u8 vector);

#endif /* HV_VIOAPIC_H */
