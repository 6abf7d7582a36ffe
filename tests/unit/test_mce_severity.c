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

/* A shutdown in an SVM guest is the host's #MC only if the banks say so. */
static void test_shutdown_explained(void **state)
{
	struct mce_bank b[2] = { { 0, VAL | EN | 0x17, 0, 0 }, { 4, 0, 0, 0 } };

	(void)state;
	/* A guest's own triple fault: nothing logged, or corrected only. */
	assert_false(mce_explains_shutdown(0, b, 0));
	assert_false(mce_explains_shutdown(RIPV, b, 2));
	/* MCIP, or an uncorrected / context-corrupt error logged. */
	assert_true(mce_explains_shutdown(MCIP, b, 0));
	b[1].status = VAL | UC | EN;
	assert_true(mce_explains_shutdown(0, b, 2));
	b[1].status = VAL | PCC;
	assert_true(mce_explains_shutdown(0, b, 2));
	/* A bank that is not valid says nothing. */
	b[1].status = UC | PCC;
	assert_false(mce_explains_shutdown(0, b, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_shutdown_explained),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
