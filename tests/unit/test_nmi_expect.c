/* sources: */
// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the count of NMIs sent on purpose (arch/x86/nmi_expect.h). */
#include "unit.h"
#include <arch/x86/nmi_expect.h>

/*
 * host_nmi's pattern: the guest sends the next NMI as soon as the host's
 * count shows the last one, which the handler bumps before it looks at
 * this count; the second NMI, sent while the first handler runs, is
 * delivered after its IRET and must still be ours.
 */
static void test_second_while_first_handled(void **state)
{
	volatile u32 n = 0;

	(void)state;
	nmi_expect_add(&n);		/* first NMI sent */
	nmi_expect_add(&n);		/* second, before the handler took one */
	assert_true(nmi_expect_take(&n));	/* the first NMI */
	assert_true(nmi_expect_take(&n));	/* the second, after the IRET */
	assert_false(nmi_expect_take(&n));	/* a third is nobody's */
	assert_int_equal(n, 0);
}

static void test_none_sent(void **state)
{
	volatile u32 n = 0;

	(void)state;
	assert_false(nmi_expect_take(&n));
	assert_int_equal(n, 0);
	nmi_expect_add(&n);
	assert_true(nmi_expect_take(&n));
	assert_false(nmi_expect_take(&n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_while_first_handled),
		cmocka_unit_test(test_none_sent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
