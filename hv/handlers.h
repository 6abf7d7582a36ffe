/* SPDX-License-Identifier: GPL-2.0 */
/* Exit handlers, one file per concern; see hv/exit.h for the convention. */
#ifndef HV_HANDLERS_H
#define HV_HANDLERS_H

#include <hv/exit.h>

int handle_cpuid(struct vcpu *vcpu, struct vm_exit *exit);
int handle_msr_read(struct vcpu *vcpu, struct vm_exit *exit);
int handle_msr_write(struct vcpu *vcpu, struct vm_exit *exit);
int handle_io(struct vcpu *vcpu, struct vm_exit *exit);
int handle_hypercall(struct vcpu *vcpu, struct vm_exit *exit);
int handle_mem_fault(struct vcpu *vcpu, struct vm_exit *exit);
int handle_cr_write(struct vcpu *vcpu, struct vm_exit *exit);

#endif /* HV_HANDLERS_H */
