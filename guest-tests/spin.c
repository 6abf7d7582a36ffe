// SPDX-License-Identifier: GPL-2.0
/*
 * standalone: tests/console/test_faults.py
 *
 * Spins in guest mode until the machine goes: the CPU it is pinned to is
 * in a guest when the test's NMI or machine check arrives, so the report
 * comes through the VM exit (SVM's NMI and #MC intercepts).
 */
#include "gt.h"

void test_main(void)
{
	gt_puts("spinning\n");
	for (;;)
		asm volatile("" ::: "memory");
}
