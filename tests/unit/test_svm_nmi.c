/* sources: arch/x86/svm_nmi.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for NMI blocking on SVM without vNMI (arch/x86/svm_nmi.c):
 * an injected NMI blocks until the guest has got past the IRET it exited
 * on; a pending NMI single-steps the guest over that IRET or out of an
 * interrupt shadow, and the step never shows in the guest's RFLAGS/DR6.
 */
#include "unit.h"
#include <arch/x86/cpu.h>
#include <arch/x86/svm.h>
#include <arch/x86/svm_nmi.h>
#include <hv/exit.h>

#define TF X86_RFLAGS_TF
#define RF X86_RFLAGS_RF
#define IRET_AT 0x2000

static struct vmcb vmcb;
static struct svm_nmi n;
static struct vm_exit e;

static int setup(void **state)
{
	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	memset(&n, 0, sizeof(n));
	vmcb.save.rip = 0x1000;
	vmcb.save.rflags = X86_RFLAGS_FIXED;
	vmcb.save.dr6 = 0xffff0ff0;
	return 0;
}

/* An exit at @rip, decoded to @kind (exception @vector if one). */
static void exit_at(u64 rip, u64 code, enum exit_kind kind, u8 vector)
{
	memset(&e, 0, sizeof(e));
	vmcb.save.rip = rip;
	e.vendor_code = code;
	e.kind = kind;
	e.exc.vector = vector;
	svm_nmi_after_exit(&n, &vmcb, &e);
}

static void single_step_trap(u64 rip)
{
	vmcb.save.dr6 |= X86_DR6_BS;
	exit_at(rip, SVM_EXIT_EXCP_BASE + 1, EXIT_EXCEPTION, X86_DB);
}

static bool iret_intercepted(void)
{
	return vmcb.control.intercept_misc1 & SVM_INTERCEPT_IRET;
}

static bool db_intercepted(void)
{
	return vmcb.control.intercept_exceptions & BIT(X86_DB);
}

static void test_blocked_until_past_iret(void **state)
{
	(void)state;
	svm_nmi_injected(&n, &vmcb);
	assert_true(iret_intercepted());
	assert_false(svm_nmi_unblocked(&n, 0x1000));
	/* Other exits in the handler change nothing. */
	exit_at(0x3000, 0x72, EXIT_CPUID, 0);
	assert_false(svm_nmi_unblocked(&n, 0x3002));
	/* The IRET exit: noted, intercept dropped, still blocked there. */
	exit_at(IRET_AT, SVM_EXIT_IRET, EXIT_NMI_WINDOW, 0);
	assert_false(iret_intercepted());
	assert_false(svm_nmi_unblocked(&n, IRET_AT));
	/* No NMI pending: no step, the guest just runs. */
	assert_false(svm_nmi_prepare_entry(&n, &vmcb));
	assert_false(db_intercepted());
	assert_int_equal(vmcb.save.rflags & (TF | RF), 0);
	/* Any later exit elsewhere: the IRET is done. */
	exit_at(0x1234, 0x60, EXIT_HOST_INTR, 0);
	assert_true(svm_nmi_unblocked(&n, 0x1234));
}

static void test_step_over_iret(void **state)
{
	(void)state;
	svm_nmi_injected(&n, &vmcb);
	/* A pending NMI before the IRET exit: the intercept will come. */
	n.window = true;
	vmcb.save.rip = 0x3000;
	assert_false(svm_nmi_prepare_entry(&n, &vmcb));
	assert_false(db_intercepted());
	exit_at(IRET_AT, SVM_EXIT_IRET, EXIT_NMI_WINDOW, 0);
	/* Now it is stepped over, TF and RF set, #DB intercepted. */
	assert_false(svm_nmi_prepare_entry(&n, &vmcb));
	assert_true(db_intercepted());
	assert_int_equal(vmcb.save.rflags & (TF | RF), TF | RF);
	/* The IRET popped RFLAGS without TF; its trap is ours. */
	vmcb.save.rflags = X86_RFLAGS_FIXED | X86_RFLAGS_IF;
	single_step_trap(0x1005);
	assert_int_equal(e.kind, EXIT_NMI_WINDOW);
	assert_int_equal(vmcb.save.dr6, 0xffff0ff0);	/* BS hidden */
	assert_false(db_intercepted());
	assert_int_equal(vmcb.save.rflags, X86_RFLAGS_FIXED | X86_RFLAGS_IF);
	assert_true(svm_nmi_unblocked(&n, 0x1005));
}

static void test_iret_frame_keeps_guest_tf(void **state)
{
	(void)state;
	svm_nmi_injected(&n, &vmcb);
	n.window = true;
	exit_at(IRET_AT, SVM_EXIT_IRET, EXIT_NMI_WINDOW, 0);
	svm_nmi_prepare_entry(&n, &vmcb);
	/* The frame the IRET popped had TF (the guest steps itself). */
	vmcb.save.rflags = X86_RFLAGS_FIXED | TF;
	single_step_trap(0x1005);
	assert_int_equal(e.kind, EXIT_NMI_WINDOW);
	assert_int_equal(vmcb.save.rflags, X86_RFLAGS_FIXED | TF);
}

static void test_step_out_of_shadow(void **state)
{
	(void)state;
	n.window = true;
	vmcb.control.interrupt_shadow = 1;
	assert_false(svm_nmi_prepare_entry(&n, &vmcb));
	assert_true(db_intercepted());
	assert_int_equal(vmcb.save.rflags & (TF | RF), TF | RF);
	/* An exit on the shadowed instruction: the guest sees no TF/RF. */
	exit_at(0x1000, 0x400, EXIT_MEM_FAULT, 0);
	assert_int_equal(e.kind, EXIT_MEM_FAULT);
	assert_int_equal(vmcb.save.rflags & (TF | RF), 0);
	assert_true(n.stepping);
	/* Entered again with the step; the trap after it. */
	svm_nmi_prepare_entry(&n, &vmcb);
	assert_int_equal(vmcb.save.rflags & (TF | RF), TF | RF);
	vmcb.save.rflags &= ~RF;	/* the CPU clears RF after it */
	single_step_trap(0x1003);
	assert_int_equal(e.kind, EXIT_NMI_WINDOW);
	assert_int_equal(vmcb.save.rflags & (TF | RF), 0);
	assert_false(db_intercepted());
}

static void test_guest_single_step_reflected(void **state)
{
	(void)state;
	vmcb.save.rflags |= TF;		/* the guest's own */
	n.window = true;
	vmcb.control.interrupt_shadow = 1;
	svm_nmi_prepare_entry(&n, &vmcb);
	single_step_trap(0x1001);
	assert_int_equal(e.kind, EXIT_EXCEPTION);	/* for the guest */
	assert_true(vmcb.save.dr6 & X86_DR6_BS);
	assert_true(vmcb.save.rflags & TF);
	assert_false(db_intercepted());
}

static void test_jmp_self_in_shadow(void **state)
{
	(void)state;
	/* `sti; jmp .`: the step ends where it began. */
	n.window = true;
	vmcb.control.interrupt_shadow = 1;
	svm_nmi_prepare_entry(&n, &vmcb);
	single_step_trap(0x1000);
	assert_int_equal(e.kind, EXIT_NMI_WINDOW);
	assert_false(n.stepping);
}

static void test_handler_retired_stepped_insn(void **state)
{
	(void)state;
	/* `sti; hlt`: HLT exits in the shadow and is retired by us. */
	n.window = true;
	vmcb.control.interrupt_shadow = 1;
	svm_nmi_prepare_entry(&n, &vmcb);
	exit_at(0x1000, 0x78, EXIT_HLT, 0);
	vmcb.save.rip = 0x1001;
	vmcb.control.interrupt_shadow = 0;
	n.window = false;
	assert_false(svm_nmi_prepare_entry(&n, &vmcb));
	assert_false(n.stepping);
	assert_false(db_intercepted());
	assert_int_equal(vmcb.save.rflags & (TF | RF), 0);
}

static void test_queued_event_exits_at_once(void **state)
{
	(void)state;
	n.window = true;
	vmcb.control.event_inj = SVM_EVTINJ_VALID | 14 |
				 (SVM_EVTINJ_TYPE_EXC << SVM_EVTINJ_TYPE_SHIFT);
	assert_true(svm_nmi_prepare_entry(&n, &vmcb));
	assert_false(n.stepping);
	n.window = false;
	assert_false(svm_nmi_prepare_entry(&n, &vmcb));
}

static void test_reset(void **state)
{
	(void)state;
	svm_nmi_injected(&n, &vmcb);
	n.window = true;
	exit_at(IRET_AT, SVM_EXIT_IRET, EXIT_NMI_WINDOW, 0);
	svm_nmi_prepare_entry(&n, &vmcb);
	svm_nmi_reset(&n, &vmcb);
	assert_true(svm_nmi_unblocked(&n, IRET_AT));
	assert_false(n.window || n.stepping);
	assert_false(iret_intercepted() || db_intercepted());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_blocked_until_past_iret, setup),
		cmocka_unit_test_setup(test_step_over_iret, setup),
		cmocka_unit_test_setup(test_iret_frame_keeps_guest_tf, setup),
		cmocka_unit_test_setup(test_step_out_of_shadow, setup),
		cmocka_unit_test_setup(test_guest_single_step_reflected, setup),
		cmocka_unit_test_setup(test_jmp_self_in_shadow, setup),
		cmocka_unit_test_setup(test_handler_retired_stepped_insn, setup),
		cmocka_unit_test_setup(test_queued_event_exits_at_once, setup),
		cmocka_unit_test_setup(test_reset, setup),
	};

	return cmocka_run_group_tests_name("svm nmi blocking", tests, NULL,
					   NULL);
}
