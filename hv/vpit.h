/* SPDX-License-Identifier: GPL-2.0 */
/* The guest's 8254 PIT and port 0x61 (hv/vpit.c). */
#ifndef HV_VPIT_H
#define HV_VPIT_H

struct vm;

/* Power-up state: every counter stopped, gate 2 low. */
void vpit_reset(struct vm *vm);
/* Raises IRQ 0 if counter 0's OUT rose since the last call (any CPU). */
void vpit_poll(struct vm *vm);
/* TSC of counter 0's next interrupt, or 0: for the vCPUs' host timer. */
u64 vpit_deadline(const struct vm *vm);

#endif /* HV_VPIT_H */
