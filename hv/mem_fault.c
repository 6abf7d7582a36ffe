// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page faults. Guest RAM is mapped in full at creation, so a fault
 * is an access outside RAM: either to an emulated device's MMIO region,
 * completed here by decoding the instruction (hv/mmio.h), or a guest bug,
 * which stops that VM with the details and leaves the hypervisor and the
 * other guests untouched.
 */
#include <hv/errno.h>
#include <hv/gmem.h>
#include <hv/handlers.h>
#include <hv/mmio.h>
#include <hv/vcpu.h>

static int stop_outside(struct vcpu *vcpu, const struct exit_mem *m)
{
	vm_stop(vcpu->vm, VM_OUT_CRASH,
		"vcpu%u: %s of guest-physical %#llx outside its RAM (%llu MiB) at rip %#llx",
		vcpu->id, m->fetch ? "fetch" : m->write ? "write" : "read",
		(unsigned long long)m->gpa,
		(unsigned long long)(vcpu->vm->ram_size >> 20),
		(unsigned long long)vcpu->regs.rip);
	return EXIT_STOP;
}

static int emulate(struct vcpu *vcpu, const struct mmio_region *r, gpa_t gpa)
{
	u8 bytes[INSN_MAX_LEN];
	struct mmio_access a;
	struct vcpu_sregs s;
	struct insn in;
	enum insn_mode mode;
	u64 off = gpa - r->base, val = 0;
	int n, len, err;

	virt->get_sregs(vcpu, &s);
	mode = gmem_insn_mode(&s);
	n = gva_fetch(vcpu, &s, vcpu->regs.rip, bytes, sizeof(bytes));
	len = n > 0 ? insn_decode(bytes, n, mode, &in) : -EFAULT;
	if (len < 0 || mmio_insn_plan(&in, &vcpu->regs, &a)) {
		vm_stop(vcpu->vm, VM_OUT_CRASH,
			"vcpu%u: %s access at %#llx by an instruction the MMIO emulator does not handle (%02x %02x %02x %02x) at rip %#llx",
			vcpu->id, r->ops->name, (unsigned long long)gpa,
			bytes[0], bytes[1], bytes[2], bytes[3],
			(unsigned long long)vcpu->regs.rip);
		return EXIT_STOP;
	}
	if (a.read) {
		err = r->ops->read ? r->ops->read(vcpu, r->opaque, off, a.size,
						  &val) : 0;
		if (err)
			return err;
	}
	if (a.write && r->ops->write) {
		err = r->ops->write(vcpu, r->opaque, off, a.size, a.value);
		if (err)
			return err;
	}
	if (a.read)
		mmio_insn_complete(&a, &vcpu->regs, val);
	vcpu_retire(vcpu, len, mode != INSN_MODE_64);
	return vcpu->vm->state == VM_RUNNING ? EXIT_RESUME : EXIT_STOP;
}

int handle_mem_fault(struct vcpu *vcpu, struct vm_exit *exit)
{
	const struct exit_mem *m = &exit->mem;
	const struct mmio_region *r = mmio_find(vcpu->vm, m->gpa);

	if (!r || m->fetch)
		return stop_outside(vcpu, m);
	return emulate(vcpu, r, m->gpa);
}
