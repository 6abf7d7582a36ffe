/* sources: */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for what a VMX entry uses up and a machine check during the
 * entry gives back (arch/x86/vmx_impl.h, vmx_entry_take/undo).
 */
#include "unit.h"
#include <arch/x86/vmx_impl.h>

#define EVENT (INTR_INFO_VALID | (INTR_TYPE_EXT << INTR_INFO_TYPE_SHIFT) | 0x31)

/* The first entry, with an interrupt to inject, fails on a #MC (exit 41). */
static void test_mce_during_first_entry(void **state)
{
	struct vmx_vcpu vx = { .event_info = EVENT };
	struct vmx_entry e;

	(void)state;
	e = vmx_entry_take(&vx);
	assert_int_equal(vx.event_info, 0);	/* written to the VMCS */
	vx.launched = true;			/* vmx_vcpu_run after vmx_enter */
	vmx_entry_undo(&vx, &e);
	assert_false(vx.launched);		/* VMLAUNCH again, not VMRESUME */
	assert_int_equal(vx.event_info, EVENT);	/* and the interrupt again */
}

/* A later entry without an event: nothing to give back. */
static void test_mce_during_resume(void **state)
{
	struct vmx_vcpu vx = { .launched = true };
	struct vmx_entry e;

	(void)state;
	e = vmx_entry_take(&vx);
	vmx_entry_undo(&vx, &e);
	assert_true(vx.launched);
	assert_int_equal(vx.event_info, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mce_during_first_entry),
		cmocka_unit_test(test_mce_during_resume),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
