// SPDX-License-Identifier: GPL-2.0
/*
 * Reading AML terms without an interpreter (ACPI 6.5 20.2): the sizes of
 * the encodings acpi_aml.c steps through. Every reader is bounded by @end
 * (the table is the firmware's and untrusted) and fails, or returns 0,
 * on anything it does not follow.
 *
 * The AML encodings used (20.2): NameString = ['\' | '^'*] NamePath,
 * NamePath = NameSeg (4 bytes) | 0x2e Seg Seg | 0x2f Count Seg*Count |
 * 0x00; PkgLength (20.2.4) = lead byte, bits 7:6 the count of bytes that
 * follow; constants ZeroOp 0x00, OneOp 0x01, OnesOp 0xff, BytePrefix
 * 0x0a, WordPrefix 0x0b, DWordPrefix 0x0c, QWordPrefix 0x0e, RevisionOp
 * 0x5b 0x30; String 0x0d ... 0x00.
 */
#include <boot/acpi_power.h>
#include <boot/aml_read.h>
#include <hv/errno.h>
#include <hv/string.h>

int acpi_pkg_length(const u8 *p, u32 avail, u32 *len, u32 *nbytes)
{
	u32 follow, v;

	if (!avail)
		return -EINVAL;
	follow = p[0] >> 6;
	if (follow + 1 > avail)
		return -EINVAL;
	if (!follow) {
		v = p[0] & 0x3f;
	} else {
		/* Bits 5:4 of the lead byte are reserved, must be zero. */
		if (p[0] & 0x30)
			return -EINVAL;
		v = p[0] & 0x0f;
		for (u32 i = 1; i <= follow; i++)
			v |= (u32)p[i] << (4 + 8 * (i - 1));
	}
	if (v < follow + 1)
		return -EINVAL;
	*len = v;
	*nbytes = follow + 1;
	return 0;
}

int aml_const(const u8 *p, const u8 *end, u64 *val, u32 *n)
{
	static const u8 size[] = { [AML_BYTE] = 1, [AML_WORD] = 2,
				   [AML_DWORD] = 4, [AML_QWORD] = 8 };
	u32 k;

	if (p >= end)
		return -EINVAL;
	switch (p[0]) {
	case AML_ZERO:
	case AML_ONE:
		*val = p[0];
		*n = 1;
		return 0;
	case AML_ONES:
		*val = ~0ULL;
		*n = 1;
		return 0;
	case AML_BYTE:
	case AML_WORD:
	case AML_DWORD:
	case AML_QWORD:
		k = size[p[0]];
		if ((u64)(end - p) < 1 + k)
			return -EINVAL;
		*val = 0;
		memcpy(val, p + 1, k);	/* little endian */
		*n = 1 + k;
		return 0;
	case AML_EXT:
		if (end - p < 2 || p[1] != AML_X_REVISION)
			return -EINVAL;
		*val = 0;
		*n = 2;
		return 0;
	}
	return -EINVAL;
}

static bool name_seg(const u8 *p)
{
	if (!(p[0] == '_' || (p[0] >= 'A' && p[0] <= 'Z')))
		return false;
	for (u32 i = 1; i < 4; i++)
		if (!(p[i] == '_' || (p[i] >= 'A' && p[i] <= 'Z') ||
		      (p[i] >= '0' && p[i] <= '9')))
			return false;
	return true;
}

int aml_name(const u8 *p, const u8 *end, struct aml_name *nm)
{
	const u8 *q = p;
	bool root = false;
	u32 carets = 0, segs;

	if (q < end && *q == AML_ROOT) {
		root = true;
		q++;
	} else {
		while (q < end && *q == AML_PARENT) {
			carets++;
			q++;
		}
	}
	if (q >= end)
		return -EINVAL;
	switch (*q) {
	case AML_ZERO:
		segs = 0;
		q++;
		break;
	case AML_DUAL:
		segs = 2;
		q++;
		break;
	case AML_MULTI:
		if (end - q < 2 || !q[1])
			return -EINVAL;
		segs = q[1];
		q += 2;
		break;
	default:
		segs = 1;
		break;
	}
	if ((u64)(end - q) < 4ULL * segs)
		return -EINVAL;
	for (u32 i = 0; i < segs; i++)
		if (!name_seg(q + 4 * i))
			return -EINVAL;
	nm->root_s5 = !carets && segs == 1 && !memcmp(q, "_S5_", 4);
	nm->is_root = root && !segs;
	nm->len = (q + 4 * segs) - p;
	return 0;
}

int aml_pkg(const u8 *p, const u8 *end, const u8 **body, const u8 **pend)
{
	u32 len, nb;

	if (acpi_pkg_length(p, end - p, &len, &nb) || len > (u64)(end - p))
		return -EINVAL;
	*body = p + nb;
	*pend = p + len;
	return 0;
}

u32 aml_simple_arg(const u8 *p, const u8 *end)
{
	struct aml_name nm;
	u64 v;
	u32 n;

	if (!aml_const(p, end, &v, &n))
		return n;
	if (!aml_name(p, end, &nm) && !nm.is_root)
		return nm.len;
	return 0;
}

u32 aml_data_object(const u8 *p, const u8 *end)
{
	const u8 *body, *pend, *q;
	u64 v;
	u32 n;

	if (p >= end)
		return 0;
	if (!aml_const(p, end, &v, &n))
		return n;
	switch (p[0]) {
	case AML_STRING:
		for (q = p + 1; q < end; q++)
			if (!*q)
				return q + 1 - p;
		return 0;
	case AML_BUFFER:
	case AML_PACKAGE:
	case AML_VARPACK:
		if (aml_pkg(p + 1, end, &body, &pend))
			return 0;
		return pend - p;
	}
	return 0;
}
