/* sources: arch/x86/svm_exit.c arch/x86/svm_check.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for SVM exit decoding (arch/x86/svm_exit.c): VMCB exit codes
 * and EXITINFO fields as the APM defines them become the right neutral
 * records, including QEMU TCG's quirks (no next RIP, a 32-bit -1).
 */
#include "unit.h"
#include <arch/x86/svm.h>
#include <hv/exit.h>

static struct vmcb vmcb;
static struct vm_exit e;

static int setup(void **state)
{
	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	memset(&e, 0xa5, sizeof(e));
	vmcb.save.rip = 0x1000;
	return 0;
}

static void exit_with(u64 code, u64 info1, u64 info2)
{
	vmcb.control.exit_code = code;
	vmcb.control.exit_info1 = info1;
	vmcb.control.exit_info2 = info2;
}

static void test_plain_kinds(void **state)
{
	static const struct {
		u64 code;
		enum exit_kind kind;
	} cases[] = {
		{ 0x72, EXIT_CPUID }, { 0x78, EXIT_HLT },
		{ 0x81, EXIT_HYPERCALL }, { 0x7f, EXIT_TRIPLE_FAULT },
		{ 0x60, EXIT_HOST_INTR }, { 0x61, EXIT_HOST_NMI },
		{ 0x64, EXIT_IRQ_WINDOW }, { 0x74, EXIT_NMI_WINDOW },
		{ 0x80, EXIT_VIRT_INSN },
		{ 0x85, EXIT_VIRT_INSN }, { 0x8b, EXIT_MONITOR },
		{ 0x8d, EXIT_XSETBV }, { 0x6f, EXIT_RDPMC },
		{ 0x76, EXIT_INVD }, { 0x89, EXIT_WBINVD },
		{ 0x77, EXIT_PAUSE }, { 0x63, EXIT_INIT },
		{ 0x3ff, EXIT_UNKNOWN }, { 0x8f, EXIT_UNKNOWN },
		/* The #MC intercept: the host's machine check, not the guest's. */
		{ 0x52, EXIT_MACHINE_CHECK },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		exit_with(cases[i].code, 0, 0);
		svm_decode_exit(&vmcb, 0, false, &e);
		assert_int_equal(e.kind, cases[i].kind);
		assert_int_equal(e.vendor_code, cases[i].code);
		assert_int_equal(e.insn_len, 0);
	}
}

static void test_next_rip(void **state)
{
	(void)state;
	exit_with(0x72, 0, 0);
	vmcb.control.next_rip = 0x1002;
	svm_decode_exit(&vmcb, 0, true, &e);
	assert_int_equal(e.insn_len, 2);
	/* Without NRIP-save the field is not trusted... */
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_int_equal(e.insn_len, 0);
	/* ...nor when it is implausible. */
	vmcb.control.next_rip = 0x1000 + 16;
	svm_decode_exit(&vmcb, 0, true, &e);
	assert_int_equal(e.insn_len, 0);
	vmcb.control.next_rip = 0xfff;
	svm_decode_exit(&vmcb, 0, true, &e);
	assert_int_equal(e.insn_len, 0);
}

static void test_io(void **state)
{
	(void)state;
	/* outb to 0x3f8: SZ8, next RIP in EXITINFO2 even without NRIP-save. */
	exit_with(0x7b, (0x3f8ULL << 16) | (1 << 4), 0x1001);
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_int_equal(e.kind, EXIT_IO);
	assert_int_equal(e.io.port, 0x3f8);
	assert_int_equal(e.io.size, 1);
	assert_false(e.io.in);
	assert_false(e.io.string);
	assert_int_equal(e.insn_len, 1);

	/* rep insw from 0x60: IN, STR, REP, SZ16. */
	exit_with(0x7b, (0x60ULL << 16) | (1 << 5) | 0xd, 0x1003);
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_int_equal(e.io.size, 2);
	assert_true(e.io.in && e.io.string && e.io.rep);
	assert_int_equal(e.insn_len, 3);

	/* inl from 0xcfc: SZ32, with QEMU's missing address-size bits. */
	exit_with(0x7b, (0xcfcULL << 16) | (1 << 6) | 1, 0x1001);
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_int_equal(e.io.size, 4);
	assert_int_equal(e.io.port, 0xcfc);
}

static void test_msr(void **state)
{
	(void)state;
	exit_with(0x7c, 0, 0);
	svm_decode_exit(&vmcb, 0xc0000080, false, &e);
	assert_int_equal(e.kind, EXIT_MSR_READ);
	assert_int_equal(e.msr, 0xc0000080);
	exit_with(0x7c, 1, 0);
	svm_decode_exit(&vmcb, 0xffffffff00000277ULL, false, &e);
	assert_int_equal(e.kind, EXIT_MSR_WRITE);
	assert_int_equal(e.msr, 0x277);	/* ECX only */
}

static void test_npf(void **state)
{
	(void)state;
	/* Write to a not-present page: P=0, W=1, final translation. */
	exit_with(0x400, (1ULL << 32) | 2, 0x40000000);
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_int_equal(e.kind, EXIT_MEM_FAULT);
	assert_int_equal(e.mem.gpa, 0x40000000);
	assert_true(e.mem.write);
	assert_false(e.mem.read || e.mem.fetch || e.mem.present);
	/* Fetch. */
	exit_with(0x400, 0x10, 0x1234000);
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_true(e.mem.fetch);
	assert_false(e.mem.read || e.mem.write);
	/* Read of a present page (permission). */
	exit_with(0x400, 1, 0xfee00030);
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_true(e.mem.read && e.mem.present);
}

static void test_exceptions(void **state)
{
	(void)state;
	exit_with(0x40 + 14, 0x6, 0xdead000);
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_int_equal(e.kind, EXIT_EXCEPTION);
	assert_int_equal(e.exc.vector, 14);
	assert_true(e.exc.has_error);
	assert_int_equal(e.exc.error, 0x6);
	assert_int_equal(e.exc.cr2, 0xdead000);
	exit_with(0x40 + 6, 0, 0);
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_int_equal(e.exc.vector, 6);
	assert_false(e.exc.has_error);
}

static void test_iret_and_db(void **state)
{
	(void)state;
	/* IRET intercept: before the IRET, so no length, RIP on it. */
	exit_with(0x74, 0, 0);
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_int_equal(e.kind, EXIT_NMI_WINDOW);
	assert_int_equal(e.vendor_code, 0x74);
	assert_int_equal(e.insn_len, 0);
	/* #DB intercept (single step): an exception without error code. */
	exit_with(0x41, 0, 0);
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_int_equal(e.kind, EXIT_EXCEPTION);
	assert_int_equal(e.exc.vector, 1);
	assert_false(e.exc.has_error);
}

static void test_invalid_state(void **state)
{
	(void)state;
	/* QEMU writes 0x00000000ffffffff, hardware a 64-bit -1. */
	exit_with(0xffffffffULL, 0, 0);
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_int_equal(e.kind, EXIT_INVALID_STATE);
	/* The zeroed VMCB breaks the first check: EFER.SVME clear. */
	assert_string_equal(e.invalid, "EFER.SVME is zero");
	exit_with(~0ULL, 0, 0);
	vmcb.save.efer = 1 << 12;
	vmcb.control.intercept_misc2 = 1;	/* VMRUN */
	svm_decode_exit(&vmcb, 0, false, &e);
	assert_int_equal(e.kind, EXIT_INVALID_STATE);
	assert_string_equal(e.invalid, "ASID is zero");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plain_kinds, setup),
		cmocka_unit_test_setup(test_next_rip, setup),
		cmocka_unit_test_setup(test_io, setup),
		cmocka_unit_test_setup(test_msr, setup),
		cmocka_unit_test_setup(test_npf, setup),
		cmocka_unit_test_setup(test_exceptions, setup),
		cmocka_unit_test_setup(test_iret_and_db, setup),
		cmocka_unit_test_setup(test_invalid_state, setup),
	};

	return cmocka_run_group_tests_name("svm exit decode", tests, NULL,
					   NULL);
}
