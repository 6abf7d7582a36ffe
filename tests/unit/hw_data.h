/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recorded CPUs of tests/unit/data/hw/ for test_hwcheck.c: reading a
 * data file into a struct hw_record, and changing a record in place.
 */
#ifndef TESTS_UNIT_HW_DATA_H
#define TESTS_UNIT_HW_DATA_H

#include "unit.h"
#include <hv/hwcheck.h>

#define DATA "tests/unit/data/hw/"

/* libc's, without <string.h> (see unit.h). */
char *strstr(const char *hay, const char *needle);
char *strtok_r(char *s, const char *delim, char **save);

/* Reads a record as `hw raw` prints it (and AIDA64 dumps have it). */
static inline void load(const char *name, struct hw_record *r)
{
	char path[256], line[256];
	FILE *f;

	snprintf(path, sizeof(path), DATA "%s", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	memset(r, 0, sizeof(*r));
	while (fgets(line, sizeof(line), f)) {
		struct hw_cpuid_leaf l = { 0 };
		unsigned long long v;
		unsigned int idx, d, i;
		const char *sl;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "CPUID %x: %x-%x-%x-%x", &l.leaf, &l.eax,
			   &l.ebx, &l.ecx, &l.edx) == 5) {
			sl = strstr(line, "[SL ");
			if (sl && sscanf(sl, "[SL %x]", &l.sub) != 1)
				fail_msg("%s: bad subleaf: %s", name, line);
			assert_int_equal(hw_record_cpuid(r, &l), 0);
		} else if (sscanf(line, "MSR %x: %llx", &idx, &v) == 2) {
			assert_int_equal(hw_record_msr(r, idx, v), 0);
		} else if (sscanf(line, "ACPI DMAR %u IVRS %u", &d, &i) == 2) {
			r->acpi_known = true;
			r->acpi_dmar = d;
			r->acpi_ivrs = i;
		} else {
			fail_msg("%s: cannot read: %s", name, line);
		}
	}
	fclose(f);
}

static inline void set_msr(struct hw_record *r, u32 idx, u64 val)
{
	for (u32 i = 0; i < r->nr_msrs; i++) {
		if (r->msrs[i].index == idx) {
			r->msrs[i].value = val;
			return;
		}
	}
	assert_int_equal(hw_record_msr(r, idx, val), 0);
}

static inline void drop_msr(struct hw_record *r, u32 idx)
{
	for (u32 i = 0; i < r->nr_msrs; i++)
		if (r->msrs[i].index == idx)
			r->msrs[i] = r->msrs[--r->nr_msrs];
}

static inline struct hw_cpuid_leaf *leaf(struct hw_record *r, u32 l, u32 sub)
{
	struct hw_cpuid_leaf *p = (struct hw_cpuid_leaf *)hw_cpuid(r, l, sub);

	assert_non_null(p);
	return p;
}

#endif /* TESTS_UNIT_HW_DATA_H */
