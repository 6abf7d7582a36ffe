/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The APIC bus of a VM: connects the vCPUs' local APICs (hv/vlapic.h) to
 * each other and to the IOAPIC, maps the xAPIC page, and wakes the target
 * vCPU's physical CPU when an interrupt arrives for it.
 */
#ifndef HV_APIC_BUS_H
#define HV_APIC_BUS_H

#include <hv/types.h>

struct vm;
struct vcpu;

struct apic_msg {
	u32 dest;		/* APIC ID, logical mask or 0xff/~0 broadcast */
	bool logical;
	u8 shorthand;		/* APIC_SH_* */
	u8 mode;		/* APIC_DM_* */
	u8 vector;
	bool level;		/* level-triggered (sets TMR) */
};

/* Registers the xAPIC page; call once per VM. */
int apic_bus_init_vm(struct vm *vm);
/* Resets the vCPU's local APIC (APIC ID = vCPU index). */
void apic_bus_init_vcpu(struct vcpu *vcpu);
/* Delivers @m from @src (NULL: an I/O APIC) to every matching vCPU. */
void apic_bus_send(struct vm *vm, struct vcpu *src, const struct apic_msg *m);

#endif /* HV_APIC_BUS_H */
