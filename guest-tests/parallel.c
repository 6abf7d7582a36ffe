// SPDX-License-Identifier: GPL-2.0
/*
 * Several guests at once on different CPUs: each instance waits until
 * another guest is running at the same moment, then holds on a little so
 * the others see it too.
 * instances: 3
 */
#include "gt.h"

void test_main(void)
{
	u64 start = rdtsc();
	s64 seen = 0;

	while (rdtsc() - start < 20000000000ULL) {
		seen = hypercall(PV_HC_RUNNING_VMS, 0, 0);
		if (seen >= 2)
			break;
	}
	EXPECT(seen >= 2);
	gt_printf("running alongside %lld other guest(s) on vcpu %lld\n",
		  (long long)seen - 1, (long long)hypercall(PV_HC_VCPU_ID, 0, 0));
	start = rdtsc();
	while (rdtsc() - start < 200000000ULL)
		;
}
