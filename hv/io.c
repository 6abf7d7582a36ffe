// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O exits. Every port is intercepted; the devices of hv/ claim
 * ranges in a static table. An unclaimed port behaves like an empty ISA
 * bus: reads return all ones, writes vanish.
 */
#include <arch/x86/cpu.h>
#include <hv/errno.h>
#include <hv/gmem.h>
#include <hv/handlers.h>
#include <hv/io.h>
#include <hv/log.h>
#include <hv/vcpu.h>
#include <hv/vuart.h>
#include <pmu/pmu.h>

extern const struct io_dev debug_exit_dev;
extern const struct io_dev vpci_addr_dev, vpci_data_dev;
extern const struct io_dev vkbc_data_dev, vkbc_cmd_dev;
extern const struct io_dev vpic_master_dev, vpic_slave_dev, vpic_elcr_dev;
extern const struct io_dev vrtc_dev;
extern const struct io_dev vpm_dev, vpm_timer_dev;
extern const struct io_dev vpit_dev, vpit_port61_dev;

static const struct io_dev *const devices[] = {
	&vuart_com1_dev,
	&debug_exit_dev,
	&vpci_addr_dev,
	&vpci_data_dev,
	&vkbc_data_dev,
	&vkbc_cmd_dev,
	&vpic_master_dev,
	&vpic_slave_dev,
	&vpic_elcr_dev,
	&vrtc_dev,
	&vpm_dev,
	&vpm_timer_dev,
	&vpit_dev,
	&vpit_port61_dev,
};

static const struct io_dev *find_dev(u16 port)
{
	for (u32 i = 0; i < ARRAY_SIZE(devices); i++) {
		const struct io_dev *d = devices[i];

		if (port >= d->base && port < d->base + d->len)
			return d;
	}
	return NULL;
}

static int dev_read(const struct io_dev *d, struct vm *vm, u16 port, u8 size,
		    u32 *val)
{
	if (d && d->read)
		return d->read(vm, port, size, val);
	*val = size == 4 ? 0xffffffff : (1u << (size * 8)) - 1;
	return 0;
}

int io_port_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	int r = dev_read(find_dev(port), vm, port, size, val);

	return r < 0 ? r : 0;
}

int io_port_write(struct vm *vm, u16 port, u8 size, u32 val)
{
	const struct io_dev *d = find_dev(port);

	if (d && d->write)
		return d->write(vm, port, size, val);
	return 0;
}

static u64 seg_base_of(const struct vcpu_sregs *s, u8 seg)
{
	const struct seg *t[] = { &s->es, &s->cs, &s->ss, &s->ds, &s->fs,
				  &s->gs };

	return seg < ARRAY_SIZE(t) ? t[seg]->base : s->ds.base;
}

/*
 * Elements of a REP INS/OUTS done per exit. The rest is done by the guest
 * executing the instruction again: RCX, RSI/RDI already tell where it
 * stands and RIP stays on it, as when hardware takes an interrupt between
 * iterations (SDM vol. 2 "REP"). So a count of 2^64 neither holds the CPU
 * nor keeps the guest's interrupts and time slice waiting.
 */
#define STRING_IO_CHUNK 256

/*
 * INS/OUTS, possibly with REP (SDM vol. 2 "INS", "OUTS", "REP"). Not
 * inlined: its frame would be handle_io's, which the commonest exit (an
 * LSR poll) runs through.
 */
static __attribute__((noinline)) int
string_io(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct vm *vm = vcpu->vm;
	struct exit_io *io = &exit->io;
	struct vcpu_sregs s;
	struct insn insn;
	u8 bytes[INSN_MAX_LEN];
	u64 mask, count, *index;
	int n, len, err;
	u64 base;
	s64 step;

	virt->get_sregs(vcpu, &s);
	n = gva_fetch(vcpu, &s, vcpu->regs.rip, bytes, sizeof(bytes));
	if (n <= 0)
		return n ? n : -EFAULT;	/* as vcpu_skip_insn() */
	len = insn_decode(bytes, n, gmem_insn_mode(&s), &insn);
	if (len < 0)
		return len;
	mask = insn.addr_size == 8 ? ~0ULL :
	       insn.addr_size == 4 ? 0xffffffffULL : 0xffffULL;
	step = (vcpu->regs.rflags & X86_RFLAGS_DF) ? -io->size : io->size;
	count = io->rep ? vcpu->regs.rcx & mask : 1;
	if (io->in) {
		/* INS always writes ES:rDI; no override (SDM vol. 2). */
		index = &vcpu->regs.rdi;
		base = gmem_insn_mode(&s) == INSN_MODE_64 ? 0 : s.es.base;
	} else {
		index = &vcpu->regs.rsi;
		base = (insn.prefixes & INSN_P_SEG) ? seg_base_of(&s, insn.seg) :
						     s.ds.base;
		if (gmem_insn_mode(&s) == INSN_MODE_64 && insn.seg < 4)
			base = 0;
	}

	for (u32 done = 0; count; count--, done++) {
		u64 lin = base + (*index & mask);
		gpa_t gpa;
		u32 val = 0;

		/* Elements never straddle pages in practice; check anyway. */
		if (gva_to_gpa(vm, &s, lin, &gpa) ||
		    !gpa_to_hva(vm, gpa, io->size)) {
			vm_stop(vm, VM_OUT_CRASH,
				"vcpu%u: string I/O on port %#x through unmapped address %#llx",
				vcpu->id, io->port, (unsigned long long)lin);
			return EXIT_STOP;
		}
		if (io->in) {
			err = io_port_read(vm, io->port, io->size, &val);
			if (!err)
				err = gpa_write(vm, gpa, &val, io->size);
		} else {
			err = gpa_read(vm, gpa, &val, io->size);
			if (!err)
				err = io_port_write(vm, io->port, io->size, val);
		}
		if (err)
			return err;
		*index = (*index & ~mask) | ((*index + step) & mask);
		if (io->rep)
			vcpu->regs.rcx = (vcpu->regs.rcx & ~mask) |
					 ((vcpu->regs.rcx - 1) & mask);
		if (vm->state != VM_RUNNING)
			return EXIT_STOP;
		if (done + 1 == STRING_IO_CHUNK && count > 1)
			return EXIT_RESUME;	/* the rest after re-entry */
	}
	/* A REP string instruction retires once, when it completes. */
	vcpu_retire(vcpu, len, gmem_insn_mode(&s) != INSN_MODE_64);
	return EXIT_RESUME;
}

int handle_io(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct exit_io *io = &exit->io;
	bool pure = false;
	u32 val;
	int err;

	if (io->string)
		return string_io(vcpu, exit);
	if (io->in) {
		err = dev_read(find_dev(io->port), vcpu->vm, io->port, io->size,
			       &val);
		if (err < 0)
			return err;
		pure = err == IO_READ_PURE;
		if (io->size == 4)
			vcpu->regs.rax = val;	/* 32-bit writes zero-extend */
		else if (io->size == 2)
			vcpu->regs.rax = (vcpu->regs.rax & ~0xffffULL) |
					 (val & 0xffff);
		else
			vcpu->regs.rax = (vcpu->regs.rax & ~0xffULL) |
					 (val & 0xff);
	} else {
		val = (u32)vcpu->regs.rax;
		if (io->size < 4)
			val &= (1u << (io->size * 8)) - 1;
		err = io_port_write(vcpu->vm, io->port, io->size, val);
		if (err)
			return err;
	}
	/*
	 * A device may have stopped the VM (debug-exit, power-off, reset);
	 * a pure read stops nothing. A stop from another CPU is seen by the
	 * loop's vcpu_can_run(), which runs before every entry, quiet ones
	 * too; its kick is for a vCPU in guest mode, which the pending IPI
	 * makes exit (a host-intr exit takes the whole path).
	 * tests/console/test_quiet_stop.py.
	 */
	if (!pure && vcpu->vm->state != VM_RUNNING)
		return EXIT_STOP;
	err = vcpu_skip_insn(vcpu, exit);
	/*
	 * A status read (a UART's LSR poll, the commonest exit of a booting
	 * Linux) re-enters at once unless retiring it did something: a
	 * single-step trap, a PMU overflow of the emulated count.
	 */
	if (!err && pure && !(vcpu->regs.rflags & X86_RFLAGS_TF) &&
	    !pmu_events_pending(&vcpu->pmu))
		return EXIT_QUIET;
	return err;
}
