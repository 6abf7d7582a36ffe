// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page faults. Guest RAM is mapped in full at creation, so a fault
 * is an access outside RAM. No emulated MMIO device is there yet: the
 * access is a guest bug and the VM is stopped with the details, leaving the
 * hypervisor and the other guests untouched.
 */
#include <hv/handlers.h>
#include <hv/vcpu.h>

int handle_mem_fault(struct vcpu *vcpu, struct vm_exit *exit)
{
	const struct exit_mem *m = &exit->mem;

	vm_stop(vcpu->vm, VM_OUT_CRASH,
		"vcpu%u: %s of guest-physical %#llx outside its RAM (%llu MiB) at rip %#llx",
		vcpu->id, m->fetch ? "fetch" : m->write ? "write" : "read",
		(unsigned long long)m->gpa,
		(unsigned long long)(vcpu->vm->ram_size >> 20),
		(unsigned long long)vcpu->regs.rip);
	return EXIT_STOP;
}
