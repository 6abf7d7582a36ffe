// SPDX-License-Identifier: GPL-2.0
/*
 * A failing check must make a test fail: this one reports failure on
 * purpose, and the harness expects exactly that.
 * expect: fail
 */
#include "gt.h"

void test_main(void)
{
	EXPECT_EQ(1 + 1, 3);
}
