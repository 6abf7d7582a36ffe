/* sources: hv/exit.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the exit dispatch table (hv/exit.c): every kind reaches
 * its handler, kinds without one and out-of-range kinds inject #UD, and the
 * small handlers that live in exit.c keep the return convention.
 */
#include "unit.h"
#include <arch/x86/cpu.h>
#include <hv/handlers.h>
#include <hv/log.h>
#include <hv/vcpu.h>

/* ---- stand-ins for the rest of the hypervisor ---- */

static enum exit_kind last_handler = NR_EXIT_KINDS;
static int handler_ret;
static int inject_count, inject_vector, inject_type, inject_has_error;
static u32 inject_error;
static int stop_count;
static enum vm_outcome stop_outcome;
static int skip_count;

#define STUB(fn, kind)                                         \
	int fn(struct vcpu *vcpu, struct vm_exit *exit)        \
	{                                                      \
		(void)vcpu;                                    \
		(void)exit;                                    \
		last_handler = kind;                           \
		return handler_ret;                            \
	}
STUB(handle_cpuid, EXIT_CPUID)
STUB(handle_msr_read, EXIT_MSR_READ)
STUB(handle_msr_write, EXIT_MSR_WRITE)
STUB(handle_io, EXIT_IO)
STUB(handle_hypercall, EXIT_HYPERCALL)
STUB(handle_mem_fault, EXIT_MEM_FAULT)
STUB(handle_cr_write, EXIT_CR_WRITE)

/* hv/ram_lazy.c: the first touch of a RAM chunk. */
int ram_lazy_fault(struct vm *vm, u64 gpa)
{
	(void)vm;
	(void)gpa;
	last_handler = EXIT_RAM_ZERO;
	return handler_ret;
}

static int mce_count;

void mce_from_guest(struct vcpu *vcpu)
{
	(void)vcpu;
	mce_count++;
}

/*
 * vcpu_skip_insn() is inline (hv/vcpu.h): with a length it retires the
 * instruction itself; without one it decodes, here a 1-byte stand-in.
 */
int vcpu_skip_insn_decode(struct vcpu *vcpu, const struct vm_exit *exit)
{
	(void)exit;
	vcpu->regs.rip += 1;
	skip_count++;
	return 0;
}

void pmu_retired_insn(struct vcpu *vcpu, bool branch)
{
	(void)vcpu;
	(void)branch;
}

/* No guest PMU in these tests: every RDPMC index is out of range. */
int pmu_rdpmc(struct vcpu *vcpu, u32 ecx, u64 *val)
{
	(void)vcpu;
	(void)ecx;
	*val = 0;
	return -22;
}

void vcpu_inject_exception(struct vcpu *vcpu, u8 vector, u32 error)
{
	(void)vcpu;
	inject_count++;
	inject_vector = vector;
	inject_type = EVENT_EXCEPTION;
	inject_error = error;
}

static void fake_inject(struct vcpu *vcpu, enum event_type type, u8 vector,
			bool has_error, u32 error)
{
	(void)vcpu;
	inject_count++;
	inject_type = type;
	inject_vector = vector;
	inject_has_error = has_error;
	inject_error = error;
}

static void fake_dump(struct vcpu *vcpu)
{
	(void)vcpu;
}

/* XSETBV: the guest's CR4 and CPL, the components offered, the result. */
static u64 fake_cr4;
static u32 fake_cpl;
u64 xstate_mask;
u32 xstate_size;
static u64 loaded_xcr0;
static int xcr0_loads;

static void fake_get_sregs(struct vcpu *vcpu, struct vcpu_sregs *s)
{
	(void)vcpu;
	memset(s, 0, sizeof(*s));
	s->cr4 = fake_cr4;
}

u32 vcpu_cpl(struct vcpu *vcpu)
{
	(void)vcpu;
	return fake_cpl;
}

void xstate_set_xcr0(struct vcpu *vcpu, u64 val)
{
	vcpu->xstate.xcr0 = val;
	loaded_xcr0 = val;
	xcr0_loads++;
}

static const struct virt_ops fake_ops = {
	.name = "fake",
	.inject = fake_inject,
	.dump = fake_dump,
	.get_sregs = fake_get_sregs,
};
const struct virt_ops *virt = &fake_ops;

void vm_stop(struct vm *vm, enum vm_outcome outcome, const char *fmt, ...)
{
	(void)fmt;
	vm->state = VM_STOPPED;
	stop_outcome = outcome;
	stop_count++;
}

void hv_log(enum log_level level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

void hv_log_guest(enum log_level level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

/* ---- fixtures ---- */

static struct vm vm;
static struct vcpu vcpu;

static int setup(void **state)
{
	(void)state;
	memset(&vm, 0, sizeof(vm));
	memset(&vcpu, 0, sizeof(vcpu));
	vm.state = VM_RUNNING;
	vcpu.vm = &vm;
	vcpu.state = VCPU_RUNNABLE;
	vcpu.regs.rip = 0x1000;
	last_handler = NR_EXIT_KINDS;
	handler_ret = EXIT_RESUME;
	inject_count = stop_count = skip_count = 0;
	inject_vector = -1;
	fake_cr4 = X86_CR4_OSXSAVE;
	fake_cpl = 0;
	xstate_mask = 0x2e7;		/* x87, SSE, AVX, AVX-512, PKRU */
	loaded_xcr0 = 0;
	xcr0_loads = 0;
	return 0;
}

static struct vm_exit make_exit(enum exit_kind kind)
{
	struct vm_exit e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	return e;
}

/* ---- tests ---- */

static void test_routes_to_handlers(void **state)
{
	static const enum exit_kind kinds[] = {
		EXIT_CPUID, EXIT_MSR_READ, EXIT_MSR_WRITE, EXIT_IO,
		EXIT_HYPERCALL, EXIT_MEM_FAULT, EXIT_RAM_ZERO,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		struct vm_exit e = make_exit(kinds[i]);

		last_handler = NR_EXIT_KINDS;
		handler_ret = (int)i - 2;	/* any value is passed back */
		assert_int_equal(handle_exit(&vcpu, &e), (int)i - 2);
		assert_int_equal(last_handler, kinds[i]);
	}
	assert_int_equal(inject_count, 0);
}

static void test_default_is_ud(void **state)
{
	struct vm_exit e = make_exit(EXIT_VIRT_INSN);

	(void)state;
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
	assert_int_equal(inject_count, 1);
	assert_int_equal(inject_vector, 6);
	assert_int_equal(vcpu.regs.rip, 0x1000);	/* faulting insn */

	e = make_exit(EXIT_MONITOR);
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
	assert_int_equal(inject_count, 2);
	assert_int_equal(inject_vector, 6);
}

static void test_out_of_range_kind(void **state)
{
	struct vm_exit e = make_exit(NR_EXIT_KINDS);

	(void)state;
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
	assert_int_equal(inject_vector, 6);
	e.kind = (enum exit_kind)-1;
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
	assert_int_equal(inject_count, 2);
	assert_int_equal(stop_count, 0);
}

static void test_hlt(void **state)
{
	struct vm_exit e = make_exit(EXIT_HLT);

	(void)state;
	e.insn_len = 1;
	vcpu.regs.rflags = BIT(9);		/* IF set: wait */
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_BLOCK);
	assert_int_equal(vcpu.state, VCPU_HALTED);
	assert_int_equal(vcpu.regs.rip, 0x1001);

	setup(NULL);
	vcpu.regs.rflags = 0;			/* IF clear: dead */
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_STOP);
	assert_int_equal(stop_count, 1);
	assert_int_equal(stop_outcome, VM_OUT_CRASH);
}

static void test_fatal_kinds_stop_the_vm(void **state)
{
	static const enum exit_kind kinds[] = {
		EXIT_TRIPLE_FAULT, EXIT_INVALID_STATE, EXIT_UNKNOWN,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		struct vm_exit e = make_exit(kinds[i]);

		setup(NULL);
		assert_int_equal(handle_exit(&vcpu, &e), EXIT_STOP);
		assert_int_equal(stop_count, 1);
		assert_int_equal(stop_outcome, VM_OUT_CRASH);
		assert_int_equal(vm.state, VM_STOPPED);
	}
}

static void test_exception_is_reflected(void **state)
{
	struct vm_exit e = make_exit(EXIT_EXCEPTION);

	(void)state;
	e.exc.vector = 14;
	e.exc.has_error = true;
	e.exc.error = 0x6;
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
	assert_int_equal(inject_type, EVENT_EXCEPTION);
	assert_int_equal(inject_vector, 14);
	assert_true(inject_has_error);
	assert_int_equal(inject_error, 0x6);
}

static void test_retire_only_kinds(void **state)
{
	static const enum exit_kind kinds[] = { EXIT_INVD, EXIT_WBINVD,
						EXIT_PAUSE };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		struct vm_exit e = make_exit(kinds[i]);

		e.insn_len = 2;
		vcpu.regs.rip = 0x2000;
		assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
		assert_int_equal(vcpu.regs.rip, 0x2002);
	}
	assert_int_equal(inject_count, 0);
}

static void test_no_pmu_means_gp(void **state)
{
	struct vm_exit e = make_exit(EXIT_RDPMC);

	(void)state;
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
	assert_int_equal(inject_vector, 13);
	assert_int_equal(inject_error, 0);
}

static void test_host_events_resume(void **state)
{
	struct vm_exit e = make_exit(EXIT_HOST_INTR);

	(void)state;
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
	e = make_exit(EXIT_HOST_NMI);
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
	/* Window exits only re-enter: the loop injects before the entry. */
	e = make_exit(EXIT_IRQ_WINDOW);
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
	e = make_exit(EXIT_NMI_WINDOW);
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
	/* A host #MC in guest mode goes to arch/x86/mce.c, nothing injected. */
	mce_count = 0;
	e = make_exit(EXIT_MACHINE_CHECK);
	assert_int_equal(handle_exit(&vcpu, &e), EXIT_RESUME);
	assert_int_equal(mce_count, 1);
	assert_int_equal(vcpu.regs.rip, 0x1000);
	assert_int_equal(inject_count + stop_count + skip_count, 0);
}

static void test_every_kind_has_a_name(void **state)
{
	(void)state;
	for (int k = 0; k < NR_EXIT_KINDS; k++) {
		const char *n = exit_kind_name((enum exit_kind)k);

		assert_non_null(n);
		assert_string_not_equal(n, "?");
	}
	assert_string_equal(exit_kind_name(NR_EXIT_KINDS), "?");
}

static int xsetbv(u32 ecx, u64 val)
{
	struct vm_exit e = make_exit(EXIT_XSETBV);

	e.insn_len = 0;		/* decoded: the stand-in counts the skip */
	vcpu.regs.rcx = ecx;
	vcpu.regs.rax = (u32)val | 0xdead000000000000ULL;	/* high half ignored */
	vcpu.regs.rdx = val >> 32;
	inject_count = skip_count = xcr0_loads = 0;
	inject_vector = -1;
	return handle_exit(&vcpu, &e);
}

/* A value XCR0 can take is loaded and the instruction retired. */
static void test_xsetbv_loads(void **state)
{
	static const u64 good[] = { 0x1, 0x3, 0x7, 0xe7, 0x207, 0x2e7 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		assert_int_equal(xsetbv(0, good[i]), EXIT_RESUME);
		assert_int_equal(inject_count, 0);
		assert_int_equal(skip_count, 1);
		assert_int_equal(xcr0_loads, 1);
		assert_int_equal(loaded_xcr0, good[i]);
		assert_int_equal(vcpu.xstate.xcr0, good[i]);
	}
}

/* What XSETBV refuses raises #GP(0) and loads nothing (SDM vol. 1 13.3). */
static void test_xsetbv_refuses(void **state)
{
	static const u64 bad[] = {
		0x0, 0x2,	/* no x87 */
		0x5,		/* AVX without SSE */
		0x27, 0x67,	/* part of AVX-512 */
		0xe3,		/* AVX-512 without AVX */
		0x1b,		/* MPX: not offered */
		0x60007,	/* AMX: not offered */
		1ULL << 63,
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(xsetbv(0, bad[i]), EXIT_RESUME);
		assert_int_equal(inject_count, 1);
		assert_int_equal(inject_vector, 13);
		assert_int_equal(inject_error, 0);
		assert_int_equal(skip_count, 0);
		assert_int_equal(xcr0_loads, 0);
	}
	/* XCR1 and up: #GP. */
	assert_int_equal(xsetbv(1, 0x7), EXIT_RESUME);
	assert_int_equal(inject_vector, 13);
	assert_int_equal(xcr0_loads, 0);
	/* Only CPL 0 may load XCR0. */
	fake_cpl = 3;
	assert_int_equal(xsetbv(0, 0x7), EXIT_RESUME);
	assert_int_equal(inject_vector, 13);
	assert_int_equal(xcr0_loads, 0);
}

/* #UD without CR4.OSXSAVE, and on a CPU without XSAVE. */
static void test_xsetbv_ud(void **state)
{
	(void)state;
	fake_cr4 = 0;
	assert_int_equal(xsetbv(0, 0x7), EXIT_RESUME);
	assert_int_equal(inject_vector, 6);
	assert_int_equal(xcr0_loads, 0);
	fake_cr4 = X86_CR4_OSXSAVE;
	xstate_mask = 0;
	assert_int_equal(xsetbv(0, 0x1), EXIT_RESUME);
	assert_int_equal(inject_vector, 6);
	assert_int_equal(xcr0_loads, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_routes_to_handlers, setup),
		cmocka_unit_test_setup(test_default_is_ud, setup),
		cmocka_unit_test_setup(test_out_of_range_kind, setup),
		cmocka_unit_test_setup(test_hlt, setup),
		cmocka_unit_test_setup(test_fatal_kinds_stop_the_vm, setup),
		cmocka_unit_test_setup(test_exception_is_reflected, setup),
		cmocka_unit_test_setup(test_retire_only_kinds, setup),
		cmocka_unit_test_setup(test_no_pmu_means_gp, setup),
		cmocka_unit_test_setup(test_host_events_resume, setup),
		cmocka_unit_test_setup(test_every_kind_has_a_name, setup),
		cmocka_unit_test_setup(test_xsetbv_loads, setup),
		cmocka_unit_test_setup(test_xsetbv_refuses, setup),
		cmocka_unit_test_setup(test_xsetbv_ud, setup),
	};

	return cmocka_run_group_tests_name("exit dispatch", tests, NULL, NULL);
}
