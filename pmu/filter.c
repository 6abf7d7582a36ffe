// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's event filter: an allow list or a deny list of events, each an
 * event select (AMD: all 12 bits, so 0x1C2 and 0xC2 differ) with an
 * optional unit mask, and a bitmap of the Intel fixed counters that may
 * count. Pure logic (unit-tested).
 */
#include <pmu/pmu_impl.h>

static bool listed(const struct pmu_filter *f, u16 event, u8 umask)
{
	for (u32 i = 0; i < f->nr; i++) {
		const struct pmu_filter_event *e = &f->ev[i];

		if (e->event == event && (e->any_umask || e->umask == umask))
			return true;
	}
	return false;
}

bool pmu_filter_allows(const struct pmu_filter *f, u16 event, u8 umask)
{
	if (!f)
		return true;
	switch (f->action) {
	case PMU_FILTER_ALLOW:
		return listed(f, event, umask);
	case PMU_FILTER_DENY:
		return !listed(f, event, umask);
	default:
		return true;
	}
}

bool pmu_filter_allows_fixed(const struct pmu_filter *f, u32 idx)
{
	return !f || idx >= 32 || (f->fixed & BIT(idx));
}
