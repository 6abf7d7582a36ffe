/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NMIs sent on purpose (PV_HC_TEST_NMI, test mode): a count per CPU that
 * the sender raises before the IPI and the NMI handler lowers by one,
 * pure logic (unit-tested).
 *
 * One NMI takes one: a second NMI sent while the first one's handler
 * runs is held pending (NMIs are blocked until the IRET, SDM vol. 3
 * 6.7.1) and arrives on its own afterwards, so it needs its own count.
 * Two sent before either is delivered can merge into one NMI; the count
 * left over then hides the next NMI nobody sent, which in test mode is
 * harmless, where reporting one of ours as unexpected would fail the run.
 */
#ifndef ARCH_X86_NMI_EXPECT_H
#define ARCH_X86_NMI_EXPECT_H

#include <hv/types.h>

static inline void nmi_expect_add(volatile u32 *count)
{
	__atomic_fetch_add(count, 1, __ATOMIC_RELEASE);
}

/* True if this NMI is one we sent (and takes it off the count). */
static inline bool nmi_expect_take(volatile u32 *count)
{
	u32 n = __atomic_load_n(count, __ATOMIC_ACQUIRE);

	while (n)
		if (__atomic_compare_exchange_n(count, &n, n - 1, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return true;
	return false;
}

#endif /* ARCH_X86_NMI_EXPECT_H */
