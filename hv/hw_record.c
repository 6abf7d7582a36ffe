// SPDX-License-Identifier: GPL-2.0
/*
 * The raw record behind the readiness report (hv/hwcheck.h): CPUID leaves
 * and MSR values as the CPU gave them, looked up the way the CPU answers.
 */
#include <hv/errno.h>
#include <hv/hwcheck.h>
#include <hv/string.h>

const struct hw_cpuid_leaf *hw_cpuid(const struct hw_record *r, u32 leaf,
				     u32 sub)
{
	for (u32 i = 0; i < r->nr_cpuid; i++)
		if (r->cpuid[i].leaf == leaf && r->cpuid[i].sub == sub)
			return &r->cpuid[i];
	return NULL;
}

void hw_cpuid_regs(const struct hw_record *r, u32 leaf, u32 sub, u32 out[4])
{
	const struct hw_cpuid_leaf *l = hw_cpuid(r, leaf, sub);

	out[0] = l ? l->eax : 0;
	out[1] = l ? l->ebx : 0;
	out[2] = l ? l->ecx : 0;
	out[3] = l ? l->edx : 0;
}

bool hw_msr(const struct hw_record *r, u32 index, u64 *val)
{
	for (u32 i = 0; i < r->nr_msrs; i++) {
		if (r->msrs[i].index == index) {
			*val = r->msrs[i].value;
			return true;
		}
	}
	return false;
}

int hw_record_cpuid(struct hw_record *r, const struct hw_cpuid_leaf *l)
{
	if (hw_cpuid(r, l->leaf, l->sub))
		return -EEXIST;
	if (r->nr_cpuid >= HW_MAX_CPUID)
		return -ENOSPC;
	r->cpuid[r->nr_cpuid++] = *l;
	return 0;
}

int hw_record_msr(struct hw_record *r, u32 index, u64 val)
{
	u64 old;

	if (hw_msr(r, index, &old))
		return -EEXIST;
	if (r->nr_msrs >= HW_MAX_MSRS)
		return -ENOSPC;
	r->msrs[r->nr_msrs].index = index;
	r->msrs[r->nr_msrs].value = val;
	r->nr_msrs++;
	return 0;
}

void hw_vendor(const struct hw_record *r, char buf[13])
{
	u32 v[4];

	hw_cpuid_regs(r, 0, 0, v);
	memcpy(&buf[0], &v[1], 4);
	memcpy(&buf[4], &v[3], 4);
	memcpy(&buf[8], &v[2], 4);
	buf[12] = '\0';
}
