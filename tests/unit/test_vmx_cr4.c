/* sources: */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the CR4 a VMX guest runs with (arch/x86/vmx_impl.h,
 * vmx_guest_cr4): the host's CR4.MCE is always in it, so that a host
 * machine check in guest mode exits instead of shutting the CPU down.
 */
#include "unit.h"
#include <arch/x86/vmx_impl.h>

/* IA32_VMX_CR4_FIXED0/1 as on most CPUs: VMXE fixed, bits 0-22 free. */
#define FIXED0 X86_CR4_VMXE
#define FIXED1 0x7fffffULL
#define HOST   (X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE | X86_CR4_VMXE)

static void test_guest_without_mce(void **state)
{
	(void)state;
	/* A guest in real mode, and a 64-bit one that left MCE clear. */
	assert_int_equal(vmx_guest_cr4(0, FIXED0, FIXED1, HOST),
			 X86_CR4_VMXE | X86_CR4_MCE);
	assert_int_equal(vmx_guest_cr4(X86_CR4_PAE, FIXED0, FIXED1, HOST),
			 X86_CR4_PAE | X86_CR4_VMXE | X86_CR4_MCE);
}

static void test_host_without_mce(void **state)
{
	(void)state;
	/* No #MC on this CPU (CPUID.1:EDX.MCE clear): nothing forced. */
	assert_int_equal(vmx_guest_cr4(X86_CR4_PAE, FIXED0, FIXED1,
				       X86_CR4_PAE | X86_CR4_VMXE),
			 X86_CR4_PAE | X86_CR4_VMXE);
	/* Bits VMX cannot run with stay off. */
	assert_int_equal(vmx_guest_cr4(BIT(30), FIXED0, FIXED1, HOST),
			 X86_CR4_VMXE | X86_CR4_MCE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_without_mce),
		cmocka_unit_test(test_host_without_mce),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
