/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events for a vCPU between two entries: INIT/SIPI, the local APIC timer,
 * waking from HLT, sleeping while halted, and injecting the interrupt the
 * local APIC wants delivered.
 */
#ifndef HV_VCPU_IRQ_H
#define HV_VCPU_IRQ_H

#include <hv/types.h>

struct vcpu;

/* Handles INIT/SIPI and timers, wakes a halted vCPU; true if runnable. */
bool vcpu_irq_update(struct vcpu *vcpu);
/* Sleeps (host HLT) until a kick or the vCPU's next timer deadline. */
void vcpu_irq_idle(struct vcpu *vcpu);
/* Queues the NMI or interrupt to deliver on the next entry, if any. */
void vcpu_irq_inject(struct vcpu *vcpu);
/* A host interrupt was taken (perhaps the host timer that arm() set). */
void vcpu_irq_host_intr(void);
/*
 * CR8 and the TPR are one register: after an exit, a CR8 the guest wrote
 * becomes TPR[7:4] (TPR[3:0] = 0: vcpu_sync_cr8() in hv/vcpu.c, inline on
 * every exit); vcpu_irq_inject() then hands the TPR back as CR8 for the
 * next entry.
 */
/* Arms the host timer so that the guest exits by its next deadline. */
void vcpu_irq_arm_timer(struct vcpu *vcpu);

#endif /* HV_VCPU_IRQ_H */
