// SPDX-License-Identifier: GPL-2.0
/* The I/O APIC of a VM: not modelled yet, EOIs have nowhere to go. */
#include <hv/vioapic.h>

void vioapic_eoi(struct vm *vm, u8 vector)
{
	(void)vm;
	(void)vector;
}
