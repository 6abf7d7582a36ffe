/* sources: boot/acpi_aml.c boot/aml_read.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the \_S5 reader of the DSDT (boot/acpi_aml.c,
 * boot/aml_read.c): PkgLength decoding, \_S5 in hand-built AML
 * (well-formed, multi-byte package lengths, truncated, malformed, absent,
 * below the root scope, after the root terms it steps over) and random
 * bytes around it.
 */
#include "unit.h"
#include <boot/acpi_power.h>

static const u8 qemu_s5[] = {
	0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
};

static void test_pkg_length(void **state)
{
	static const struct {
		u8 b[4];
		u32 avail;
		int err;
		u32 len, nbytes;
	} cases[] = {
		{ { 0x05 }, 1, 0, 5, 1 },
		{ { 0x3f }, 1, 0, 63, 1 },
		/* 2 bytes: low nibble 0x1, next byte 0x02 -> 0x21 */
		{ { 0x41, 0x02 }, 2, 0, 0x21, 2 },
		{ { 0x8f, 0x34, 0x12 }, 3, 0, 0x1234f, 3 },
		{ { 0xc1, 0x00, 0x00, 0x01 }, 4, 0, 0x100001, 4 },
		{ { 0x41, 0x02 }, 1, -EINVAL, 0, 0 },		/* truncated */
		{ { 0xc1, 0x00, 0x00 }, 3, -EINVAL, 0, 0 },	/* truncated */
		{ { 0x71, 0x02 }, 2, -EINVAL, 0, 0 },		/* reserved bits */
		{ { 0x40, 0x00 }, 2, -EINVAL, 0, 0 },		/* shorter than itself */
		{ { 0x00 }, 1, -EINVAL, 0, 0 },
		{ { 0 }, 0, -EINVAL, 0, 0 },
	};

	(void)state;
	for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 len = 0, nb = 0;
		int err = acpi_pkg_length(cases[i].b, cases[i].avail, &len, &nb);

		assert_int_equal(err, cases[i].err);
		if (!err) {
			assert_int_equal(len, cases[i].len);
			assert_int_equal(nb, cases[i].nbytes);
		}
	}
}

static int s5(const u8 *aml, u32 n, u8 *a, u8 *b)
{
	const char *why = NULL;
	int err = acpi_find_s5(aml, n, a, b, &why);

	assert_non_null(why);
	return err;
}

static void test_s5_forms(void **state)
{
	/* Scope(\) { Name(_S5, ...) } with constants of every size. */
	static const u8 root_bytes[] = {
		0x10, 0x05, 0x5c, 0x00, 0xa3, 0xa3,	/* some scope noise */
		0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x07, 0x02,
		0x0a, 0x05, 0x0b, 0x07, 0x00,
	};
	static const u8 ones[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x01, 0x0c,
	};
	static const u8 one_elem[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x07,
	};
	static const u8 qword[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x0c, 0x02, 0x0e,
		6, 0, 0, 0, 0, 0, 0, 0, 0x01,
	};
	u8 a = 0xaa, b = 0xaa;

	(void)state;
	assert_int_equal(s5(qemu_s5, sizeof(qemu_s5), &a, &b), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 0);
	assert_int_equal(s5(root_bytes, sizeof(root_bytes), &a, &b), 0);
	assert_int_equal(a, 5);
	assert_int_equal(b, 7);
	/* ones: package too short for its DWord: malformed */
	assert_int_equal(s5(ones, sizeof(ones), &a, &b), -EINVAL);
	assert_int_equal(s5(one_elem, sizeof(one_elem), &a, &b), 0);
	assert_int_equal(a, 7);
	assert_int_equal(b, 7);
	assert_int_equal(s5(qword, sizeof(qword), &a, &b), 0);
	assert_int_equal(a, 6);
	assert_int_equal(b, 1);
}

/*
 * A package longer than 63 bytes has a two-byte PkgLength; the values
 * follow it. Misreading its size shifts every later byte.
 */
static void test_s5_multibyte_length(void **state)
{
	u8 aml[128];
	u32 plen = 1 + 2 + 1 + 2 + 2 + 70;	/* op excluded */
	u8 a = 0, b = 0;

	(void)state;
	memset(aml, 0, sizeof(aml));
	memcpy(aml, "\x08_S5_\x12", 6);
	plen -= 1;			/* PackageOp is not counted */
	aml[6] = 0x40 | (plen & 0x0f);
	aml[7] = plen >> 4;
	aml[8] = 72;			/* NumElements */
	aml[9] = 0x0a;
	aml[10] = 3;
	aml[11] = 0x0a;
	aml[12] = 4;
	assert_true(6 + plen <= sizeof(aml));
	assert_int_equal(s5(aml, 6 + plen, &a, &b), 0);
	assert_int_equal(a, 3);
	assert_int_equal(b, 4);
	/* One byte short of the package's end: truncated. */
	assert_int_equal(s5(aml, 6 + plen - 1, &a, &b), -EINVAL);
}

static void test_s5_malformed(void **state)
{
	static const u8 truncated[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x0a,
	};
	static const u8 bad_len[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x76, 0x04, 0x00, 0x00,
	};
	static const u8 too_big[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x08, 0x00,
	};
	static const u8 not_const[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x70, 0x00, 0x00,
	};
	static const u8 empty[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x00,
	};
	static const u8 no_s5[] = {
		0x08, '_', 'S', '3', '_', 0x12, 0x06, 0x04, 0x01, 0x01, 0, 0,
		/* a method named _S5_, not a package */
		0x14, 0x08, '_', 'S', '5', '_', 0x00, 0xa4, 0x00,
		/* the name at the very end, cut */
		0x08, '_', 'S', '5',
	};
	/* Wrong values, then a good one: the good one counts. */
	static const u8 second[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x09, 0x00,
		0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x00,
	};
	/* A broken length cannot be stepped over: the walk ends there. */
	static const u8 cut_walk[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x7f,
		0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x00,
	};
	const char *why;
	u8 a, b;

	(void)state;
	assert_int_equal(s5(truncated, sizeof(truncated), &a, &b), -EINVAL);
	assert_int_equal(s5(bad_len, sizeof(bad_len), &a, &b), -EINVAL);
	assert_int_equal(acpi_find_s5(too_big, sizeof(too_big), &a, &b, &why),
			 -EINVAL);
	assert_true(unit_contains(why, "3 bits"));
	assert_int_equal(acpi_find_s5(not_const, sizeof(not_const), &a, &b,
				      &why), -EINVAL);
	assert_true(unit_contains(why, "not an integer"));
	assert_int_equal(s5(empty, sizeof(empty), &a, &b), -EINVAL);
	assert_int_equal(acpi_find_s5(no_s5, sizeof(no_s5), &a, &b, &why),
			 -ENOENT);
	assert_true(unit_contains(why, "no \\_S5"));
	assert_int_equal(s5(second, sizeof(second), &a, &b), 0);
	assert_int_equal(a, 1);
	assert_int_equal(b, 0);
	assert_int_equal(acpi_find_s5(cut_walk, sizeof(cut_walk), &a, &b, &why),
			 -EINVAL);
	assert_true(unit_contains(why, "package length"));
	assert_int_equal(s5(qemu_s5, 0, &a, &b), -ENOENT);
}

/*
 * \_S5 is a root-namespace object (ACPI 6.5 7.4.2): a _S5_ inside a
 * Device, a Method or Scope(\_SB_) is another object and does not count.
 */
static void test_s5_root_only(void **state)
{
	static const u8 in_device[] = {
		/* Device(DEV0) { Name(_S5_, Package() { 5, 5 }) } */
		0x5b, 0x82, 0x11, 'D', 'E', 'V', '0',
		0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x05, 0x0a,
		0x05,
	};
	static const u8 in_method[] = {
		/* Method(MTH0, 0) { Name(\_S5_, Package() { 5 }) } */
		0x14, 0x11, 'M', 'T', 'H', '0', 0x00,
		0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x05,
	};
	static const u8 in_sb[] = {
		/* Scope(\_SB_) { Name(_S5_, Package() { 5 }) } */
		0x10, 0x10, 0x5c, '_', 'S', 'B', '_',
		0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x05,
	};
	static const u8 path[] = {
		/* Name(\_SB_._S5_, ...), Name(^_S5_, ...) */
		0x08, 0x5c, 0x2e, '_', 'S', 'B', '_', '_', 'S', '5', '_',
		0x12, 0x04, 0x01, 0x0a, 0x05,
		0x08, 0x5e, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x05,
	};
	/* The same below the root, then the root's own: the root's counts. */
	static const u8 then_root[] = {
		0x5b, 0x82, 0x11, 'D', 'E', 'V', '0',
		0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x05, 0x0a,
		0x05,
		0x10, 0x0e, 0x5c, 0x00,		/* Scope(\) { */
		0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x03, 0x00,
	};
	const char *why;
	u8 a = 0xaa, b = 0xaa;

	(void)state;
	assert_int_equal(acpi_find_s5(in_device, sizeof(in_device), &a, &b,
				      &why), -ENOENT);
	assert_true(unit_contains(why, "root scope"));
	assert_int_equal(s5(in_method, sizeof(in_method), &a, &b), -ENOENT);
	assert_int_equal(s5(in_sb, sizeof(in_sb), &a, &b), -ENOENT);
	assert_int_equal(s5(path, sizeof(path), &a, &b), -ENOENT);
	assert_int_equal(a, 0xaa);
	assert_int_equal(s5(then_root, sizeof(then_root), &a, &b), 0);
	assert_int_equal(a, 3);
	assert_int_equal(b, 0);
}

/* The root-level terms of a firmware DSDT before its \_S5 are stepped over. */
static void test_s5_after_root_terms(void **state)
{
	static const u8 aml[] = {
		/* External(\_SB_.PCI0, DeviceObj) */
		0x15, 0x5c, 0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0', 0x06,
		0x00,
		/* OperationRegion(GNVS, SystemMemory, 0xbf6e0000, 0x100) */
		0x5b, 0x80, 'G', 'N', 'V', 'S', 0x00, 0x0c, 0x00, 0x00, 0x6e,
		0xbf, 0x0b, 0x00, 0x01,
		/* Field(GNVS, AnyAcc, Lock, Preserve) { OSYS, 16 } */
		0x5b, 0x81, 0x0b, 'G', 'N', 'V', 'S', 0x10, 'O', 'S', 'Y', 'S',
		0x10,
		/* Mutex(MUT0, 0), Event(EVT0), Alias(MUT0, MUTA) */
		0x5b, 0x01, 'M', 'U', 'T', '0', 0x00,
		0x5b, 0x02, 'E', 'V', 'T', '0',
		0x06, 'M', 'U', 'T', '0', 'M', 'U', 'T', 'A',
		/* Name(SS1_, One), Name(_OS_, "x"), Name(BUF0, Buffer(2){..}) */
		0x08, 'S', 'S', '1', '_', 0x01,
		0x08, 'S', 'T', 'R', '0', 0x0d, 'x', 0x00,
		0x08, 'B', 'U', 'F', '0', 0x11, 0x04, 0x0a, 0x01, 0x00,
		/* Name(REV0, Revision), Noop */
		0x08, 'R', 'E', 'V', '0', 0x5b, 0x30, 0xa3,
		/* Method(_PTS, 1) { Return(Zero) } */
		0x14, 0x08, '_', 'P', 'T', 'S', 0x01, 0xa4, 0x00,
		/* If (SS1_) { Name(_S1_, Package() { 1 }) } */
		0xa0, 0x0e, 'S', 'S', '1', '_',
		0x08, '_', 'S', '1', '_', 0x12, 0x03, 0x01, 0x01,
		/* If (LEqual(OSYS, 1)) { Name(_S5_, ...) }: not evaluated */
		0xa0, 0x10, 0x93, 'O', 'S', 'Y', 'S', 0x01,
		0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x01,
		/* Scope(\) { If (SS1_) { Name(_S5_, Package() { 7, 6 }) } } */
		0x10, 0x15, 0x5c, 0x00,
		0xa0, 0x11, 'S', 'S', '1', '_',
		0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x0a, 0x07, 0x0a,
		0x06,
	};
	u8 a = 0, b = 0;

	(void)state;
	assert_int_equal(s5(aml, sizeof(aml), &a, &b), 0);
	assert_int_equal(a, 7);
	assert_int_equal(b, 6);
}

/* A term outside the subset ends its scope's walk, no further. */
static void test_s5_walk_stops(void **state)
{
	static const u8 unknown_top[] = {
		/* Store(One, Local0) at the root: not followed */
		0x70, 0x01, 0x60,
		0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x00,
	};
	static const u8 unknown_in_scope[] = {
		0x10, 0x07, 0x5c, 0x00, 0x70, 0x01, 0x60, 0xa3,
		0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x05, 0x00,
	};
	/* A Name whose object would be past the end (found by fuzzing). */
	static const u8 name_at_end[] = { 0x08, '_', 'S', '5', '_' };
	const char *why;
	u8 a = 0, b = 0;

	(void)state;
	assert_int_equal(s5(name_at_end, sizeof(name_at_end), &a, &b), -ENOENT);
	assert_int_equal(acpi_find_s5(unknown_top, sizeof(unknown_top), &a,
				      &b, &why), -ENOENT);
	assert_true(unit_contains(why, "this reader follows"));
	/* The scope's end is known: the \_S5 after it is found. */
	assert_int_equal(s5(unknown_in_scope, sizeof(unknown_in_scope), &a,
			    &b), 0);
	assert_int_equal(a, 5);
}

/* Random bytes around _S5 headers: never a read out of bounds (ASan). */
static void test_s5_random(void **state)
{
	u8 buf[64];
	u32 seed = 12345;
	const char *why;
	u8 a, b;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		u32 n = 6 + round % (sizeof(buf) - 6);
		u8 *copy;

		for (u32 i = 0; i < sizeof(buf); i++) {
			seed = seed * 1103515245 + 12345;
			buf[i] = seed >> 16;
		}
		memcpy(buf + round % 8, "\x08_S5_\x12", 6);
		copy = malloc(n);	/* exactly n bytes: ASan sees overruns */
		memcpy(copy, buf, n);
		acpi_find_s5(copy, n, &a, &b, &why);
		free(copy);
	}
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkg_length),
		cmocka_unit_test(test_s5_forms),
		cmocka_unit_test(test_s5_multibyte_length),
		cmocka_unit_test(test_s5_malformed),
		cmocka_unit_test(test_s5_root_only),
		cmocka_unit_test(test_s5_after_root_terms),
		cmocka_unit_test(test_s5_walk_stops),
		cmocka_unit_test(test_s5_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
