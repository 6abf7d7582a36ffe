/* sources: arch/x86/mce_severity.c */
// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the machine-check verdict (arch/x86/mce_severity.c). */
#include "unit.h"
#include <arch/x86/mce.h>

#define VAL MCI_STATUS_VAL
#define UC  MCI_STATUS_UC
#define EN  MCI_STATUS_EN
#define PCC MCI_STATUS_PCC
#define RIPV MCG_STATUS_RIPV
#define MCIP MCG_STATUS_MCIP

static bool fatal(u64 mcg, u64 s0, u64 s1, const char **why)
{
	struct mce_bank b[2] = { { 0, s0, 0, 0 }, { 4, s1, 0, 0 } };

	return mce_fatal(mcg, b, 2, why);
}

static void test_verdicts(void **state)
{
	const char *why;

	(void)state;
	/* Corrected errors, restartable: survived. */
	assert_false(fatal(RIPV | MCIP, VAL | EN | 0x17, 0, &why));
	assert_true(unit_contains(why, "corrected"));
	assert_false(fatal(RIPV | MCIP, 0, 0, &why));
	/* RIPV clear: fatal whatever the banks say. */
	assert_true(fatal(MCIP, VAL | EN, 0, &why));
	assert_true(unit_contains(why, "RIPV"));
	assert_true(fatal(MCIP, 0, 0, &why));
	/* PCC, in either bank. */
	assert_true(fatal(RIPV | MCIP, VAL, VAL | UC | EN | PCC, &why));
	assert_true(unit_contains(why, "PCC"));
	/* Uncorrected without PCC (what Intel may call recoverable). */
	assert_true(fatal(RIPV | MCIP, VAL | UC | EN, 0, &why));
	assert_true(unit_contains(why, "UC"));
	/* Bits of a bank that is not valid count for nothing. */
	assert_false(fatal(RIPV | MCIP, UC | PCC, 0, &why));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
