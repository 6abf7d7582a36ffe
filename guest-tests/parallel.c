// SPDX-License-Identifier: GPL-2.0
/*
 * Several guests at once on different CPUs: the instances meet
 * (gt_rendezvous()), each then counts the guests that run and have
 * started, and none leaves before all have counted, so each must see at
 * least one other guest running alongside it.
 * instances: 3
 */
#include "gt.h"

void test_main(void)
{
	s64 seen;

	gt_rendezvous(1);
	seen = hypercall(PV_HC_RUNNING_VMS, 0, 0);
	gt_rendezvous(2);
	EXPECT(seen >= 2);
	gt_printf("running alongside %lld other guest(s) on vcpu %lld\n",
		  (long long)seen - 1, (long long)hypercall(PV_HC_VCPU_ID, 0, 0));
}
