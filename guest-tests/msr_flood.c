// SPDX-License-Identifier: GPL-2.0
/*
 * Reads an MSR the hypervisor does not have, many times: each read takes a
 * #GP and makes the hypervisor log a line. Lines a guest causes are kept
 * apart from the hypervisor's own, so this guest cannot push them out of
 * the log (tests/console checks `log` after it ran); here: every read
 * still gets its #GP.
 */
#include "gt.h"

#define READS 3000

void test_main(void)
{
	u32 gp = 0;
	u64 v;

	for (int i = 0; i < READS; i++)
		gp += rdmsr_try(0xdead, &v) == 13;
	EXPECT_EQ(gp, READS);
}
