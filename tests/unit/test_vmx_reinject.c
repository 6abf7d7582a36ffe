/* sources: */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the guest interruptibility an interrupted event delivery
 * is re-entered with (arch/x86/vmx_impl.h, vmx_reinject_blocking): an NMI
 * whose delivery an exit interrupted goes in again without blocking by
 * NMI (SDM vol. 3C 26.3.1.5); other events keep what the CPU saved.
 */
#include "unit.h"
#include <arch/x86/vmx_impl.h>

#define EV(type, vec) (INTR_INFO_VALID | ((u32)(type) << INTR_INFO_TYPE_SHIFT) | (vec))

/* Bochs saves blocking by NMI set after an exit during NMI delivery. */
static void test_nmi_unblocked(void **state)
{
	(void)state;
	assert_int_equal(vmx_reinject_blocking(EV(INTR_TYPE_NMI, 2),
					       INTERRUPTIBILITY_NMI), 0);
	/* STI / MOV SS blocking is not the NMI's to clear. */
	assert_int_equal(vmx_reinject_blocking(EV(INTR_TYPE_NMI, 2),
					       INTERRUPTIBILITY_NMI |
					       INTERRUPTIBILITY_MOVSS),
			 INTERRUPTIBILITY_MOVSS);
}

/* A #PF interrupted inside the guest's NMI handler: still blocked. */
static void test_other_events_keep_blocking(void **state)
{
	u32 pf = EV(INTR_TYPE_HW_EXC, 14) | INTR_INFO_ERR_VALID;

	(void)state;
	assert_int_equal(vmx_reinject_blocking(pf, INTERRUPTIBILITY_NMI),
			 INTERRUPTIBILITY_NMI);
	assert_int_equal(vmx_reinject_blocking(EV(INTR_TYPE_EXT, 0x31),
					       INTERRUPTIBILITY_NMI),
			 INTERRUPTIBILITY_NMI);
	/* No valid vectoring information: nothing to change. */
	assert_int_equal(vmx_reinject_blocking(EV(INTR_TYPE_NMI, 2) &
					       ~INTR_INFO_VALID,
					       INTERRUPTIBILITY_NMI),
			 INTERRUPTIBILITY_NMI);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nmi_unblocked),
		cmocka_unit_test(test_other_events_keep_blocking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
