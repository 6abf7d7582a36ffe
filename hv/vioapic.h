/* SPDX-License-Identifier: GPL-2.0 */
/* The I/O APIC of a VM (82093AA data sheet). */
#ifndef HV_VIOAPIC_H
#define HV_VIOAPIC_H

#include <hv/types.h>

struct vm;

/* A local APIC signalled EOI for a level-triggered @vector. */
void vioapic_eoi(struct vm *vm, u8 vector);

#endif /* HV_VIOAPIC_H */
