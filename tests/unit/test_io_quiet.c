/* sources: hv/io.c hv/vuart.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * The quiet-exit decision of a port read (hv/io.c handle_io, hv/exit.h
 * EXIT_QUIET): an IN of a UART register whose read changes nothing (LSR,
 * MSR, LCR, ...) re-enters at once, and nothing else does: not RBR or IIR
 * (a read that moves the FIFO or acknowledges an interrupt), not a write,
 * not a read with TF set (the single-step trap it raised), not one whose
 * emulated count overflowed a counter (its PMI) or that came with a PMU
 * event pending, not one of an unclaimed port. Each must take the full
 * path, which alone delivers interrupts, PMIs and answers snapshots.
 */
#include "unit.h"
#include <arch/x86/cpu.h>
#include <arch/x86/insn.h>
#include <hv/console.h>
#include <hv/gmem.h>
#include <hv/handlers.h>
#include <hv/io.h>
#include <hv/vcpu.h>
#include <hv/vioapic.h>
#include <hv/vuart.h>

/* ---- stand-ins for the rest of the hypervisor ---- */

#define STUB_DEV(n) const struct io_dev n = { .name = #n, .base = 0, .len = 0 }
STUB_DEV(debug_exit_dev);
STUB_DEV(vpci_addr_dev);
STUB_DEV(vpci_data_dev);
STUB_DEV(vkbc_data_dev);
STUB_DEV(vkbc_cmd_dev);
STUB_DEV(vpic_master_dev);
STUB_DEV(vpic_slave_dev);
STUB_DEV(vpic_elcr_dev);
STUB_DEV(vrtc_dev);
STUB_DEV(vpm_dev);
STUB_DEV(vpm_timer_dev);
STUB_DEV(vpit_dev);
STUB_DEV(vpit_port61_dev);

static struct vuart uart;
static struct vm vm;
static struct vcpu vcpu;
static int traps, retired, putcs;
static bool overflow_on_retire;

void *page_alloc(u64 size)
{
	(void)size;
	return &uart;
}

void console_guest_putc(struct vm *v, char c)
{
	(void)v;
	(void)c;
	putcs++;
}

void vioapic_set_irq(struct vm *v, u32 pin, bool level)
{
	(void)v;
	(void)pin;
	(void)level;
}

/* The emulated count: an overflow raises the PMI (pmu/core.c). */
void pmu_retired_insn(struct vcpu *vc, bool branch)
{
	(void)branch;
	retired++;
	if (overflow_on_retire)
		vc->pmu.pmi_pending = 1;
}

int vcpu_skip_insn_decode(struct vcpu *vc, const struct vm_exit *exit)
{
	(void)vc;
	(void)exit;
	fail_msg("an I/O exit always has its length on SVM and VMX");
	return -1;
}

void vcpu_retire(struct vcpu *vc, u64 len, bool narrow)
{
	(void)vc;
	(void)len;
	(void)narrow;
}

/* String I/O is not tested here: it never reaches guest memory. */
int gva_fetch(struct vcpu *vc, const struct vcpu_sregs *s, u64 rip, u8 *buf,
	      int len)
{
	(void)vc;
	(void)s;
	(void)rip;
	(void)buf;
	(void)len;
	return -1;
}

int insn_decode(const u8 *bytes, size_t avail, enum insn_mode mode,
		struct insn *out)
{
	(void)bytes;
	(void)avail;
	(void)mode;
	(void)out;
	return -1;
}

enum insn_mode gmem_insn_mode(const struct vcpu_sregs *s)
{
	(void)s;
	return INSN_MODE_64;
}

int gva_to_gpa(struct vm *v, const struct vcpu_sregs *s, u64 gva, gpa_t *gpa)
{
	(void)v;
	(void)s;
	(void)gva;
	(void)gpa;
	return -1;
}

void *gpa_to_hva(struct vm *v, gpa_t gpa, u64 len)
{
	(void)v;
	(void)gpa;
	(void)len;
	return NULL;
}

int gpa_read(struct vm *v, gpa_t gpa, void *buf, u64 len)
{
	(void)v;
	(void)gpa;
	(void)buf;
	(void)len;
	return -1;
}

int gpa_write(struct vm *v, gpa_t gpa, const void *buf, u64 len)
{
	(void)v;
	(void)gpa;
	(void)buf;
	(void)len;
	return -1;
}

void vm_stop(struct vm *v, enum vm_outcome outcome, const char *fmt, ...)
{
	(void)outcome;
	(void)fmt;
	v->state = VM_STOPPED;
}

static void fake_debug_trap(struct vcpu *vc, u64 dr6)
{
	(void)vc;
	(void)dr6;
	traps++;
}

static void fake_get_sregs(struct vcpu *vc, struct vcpu_sregs *s)
{
	(void)vc;
	memset(s, 0, sizeof(*s));
}

static const struct virt_ops fake_ops = {
	.name = "fake",
	.debug_trap = fake_debug_trap,
	.get_sregs = fake_get_sregs,
};
const struct virt_ops *virt = &fake_ops;

/* ---- the tests ---- */

static int setup(void **state)
{
	(void)state;
	memset(&vm, 0, sizeof(vm));
	memset(&vcpu, 0, sizeof(vcpu));
	vm.state = VM_RUNNING;
	assert_int_equal(vuart_init(&vm), 0);
	vuart_reset(&vm);
	vcpu.vm = &vm;
	vcpu.regs.rip = 0x1000;
	vcpu.regs.rflags = 0x202;
	traps = retired = putcs = 0;
	overflow_on_retire = false;
	return 0;
}

static int in(u16 port)
{
	struct vm_exit e = { .kind = EXIT_IO, .insn_len = 1 };

	e.io.port = port;
	e.io.size = 1;
	e.io.in = true;
	return handle_io(&vcpu, &e);
}

static int out(u16 port, u8 val)
{
	struct vm_exit e = { .kind = EXIT_IO, .insn_len = 1 };

	e.io.port = port;
	e.io.size = 1;
	vcpu.regs.rax = val;
	return handle_io(&vcpu, &e);
}

/* Status reads are quiet, and retired like any other. */
static void test_status_reads_are_quiet(void **state)
{
	static const u16 ports[] = { 0x3fd, 0x3fe, 0x3fb, 0x3fc, 0x3ff, 0x3f9 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ports); i++) {
		vcpu.regs.rip = 0x1000;
		assert_int_equal(in(ports[i]), EXIT_QUIET);
		assert_int_equal(vcpu.regs.rip, 0x1001);
	}
	assert_int_equal(vcpu.regs.rax & 0xff, 0);	/* IER last: 0 */
	assert_int_equal(in(0x3fd), EXIT_QUIET);
	assert_int_equal(vcpu.regs.rax & 0xff, 0x60);	/* THRE, TEMT */
	assert_int_equal(traps, 0);
}

/* RBR and IIR reads change the UART; writes and unclaimed ports too. */
static void test_other_accesses_take_the_full_path(void **state)
{
	(void)state;
	assert_true(vuart_receive(&vm, 'x'));
	assert_int_equal(in(0x3fd), EXIT_QUIET);
	assert_int_equal(vcpu.regs.rax & 0xff, 0x61);	/* DR */
	assert_int_equal(in(0x3f8), EXIT_RESUME);	/* RBR: the byte */
	assert_int_equal(vcpu.regs.rax & 0xff, 'x');
	assert_int_equal(in(0x3f8), EXIT_RESUME);	/* RBR, empty */
	assert_int_equal(in(0x3fa), EXIT_RESUME);	/* IIR */
	assert_int_equal(out(0x3f8, 'y'), EXIT_RESUME);
	assert_int_equal(putcs, 1);
	assert_int_equal(in(0x80), EXIT_RESUME);	/* unclaimed */
	assert_int_equal(vcpu.regs.rax & 0xff, 0xff);
	assert_int_equal(retired, 0);			/* no PMU counting */
}

/* TF: the trap was raised; the read must not be quiet. */
static void test_single_step_is_not_quiet(void **state)
{
	(void)state;
	vcpu.regs.rflags |= X86_RFLAGS_TF;
	assert_int_equal(in(0x3fd), EXIT_RESUME);
	assert_int_equal(traps, 1);
	assert_int_equal(vcpu.regs.rip, 0x1001);
}

/* The read's own count overflowed a counter: its PMI needs the full path. */
static void test_emulated_overflow_is_not_quiet(void **state)
{
	(void)state;
	vcpu.pmu.on = true;
	vcpu.pmu.emu_insn[0] = 1;		/* counter 0 counts them */
	assert_int_equal(in(0x3fd), EXIT_QUIET);	/* counted, no overflow */
	assert_int_equal(retired, 1);
	overflow_on_retire = true;
	assert_int_equal(in(0x3fd), EXIT_RESUME);
	assert_int_equal(retired, 2);
}

/* A PMI or a console snapshot request already pending: the full path. */
static void test_pending_pmu_event_is_not_quiet(void **state)
{
	(void)state;
	vcpu.pmu.on = true;
	vcpu.pmu.pmi_pending = 1;
	assert_int_equal(in(0x3fd), EXIT_RESUME);
	vcpu.pmu.pmi_pending = 0;
	assert_int_equal(in(0x3fd), EXIT_QUIET);
	vcpu.pmu.snap_req = 1;
	assert_int_equal(in(0x3fd), EXIT_RESUME);
	vcpu.pmu.snap_done = 1;
	assert_int_equal(in(0x3fd), EXIT_QUIET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_status_reads_are_quiet, setup),
		cmocka_unit_test_setup(test_other_accesses_take_the_full_path,
				       setup),
		cmocka_unit_test_setup(test_single_step_is_not_quiet, setup),
		cmocka_unit_test_setup(test_emulated_overflow_is_not_quiet,
				       setup),
		cmocka_unit_test_setup(test_pending_pmu_event_is_not_quiet,
				       setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
