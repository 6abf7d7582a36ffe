// SPDX-License-Identifier: GPL-2.0
/*
 * \_S5 in the DSDT's AML (ACPI 6.5 7.4.2, 20.2), without an interpreter.
 *
 * \_S5 is an object of the root namespace: the \_Sx packages are named
 * from the root (7.4.2), and a _S5_ below it (\_SB._S5, a Device's or a
 * Method's local _S5_) is another object, which no OS uses to power off.
 * So only the DSDT's root scope is walked, term by term, every step
 * bounds-checked (the table is the firmware's and untrusted):
 *
 * - Name(_S5_, Package) or Name(\_S5_, Package) there is \_S5: its first
 *   two elements are SLP_TYPa and SLP_TYPb, as integer constants;
 * - Scope(\) { ... } is the root again; If (Predicate) {...} and
 *   Else {...} open no scope, so their bodies are walked too when the
 *   predicate is a name or a constant (it is not evaluated: a \_S5 there
 *   is taken as declared); these nest to 8 levels;
 * - every other term is stepped over whole: those with a PkgLength
 *   (Scope of another name, Device, Method, Processor, PowerResource,
 *   ThermalZone, Field, IndexField, BankField, Buffer, Package,
 *   VarPackage, While, and an If whose predicate is an expression) by it;
 *   Name (any other name, with a constant, String, Buffer, Package or
 *   VarPackage), OperationRegion (offset and length constants or names),
 *   Mutex, Event, Alias, External and Noop by their operands.
 *
 * A term outside this subset ends the walk of its scope: its length
 * cannot be known without a full parser. At the top level that is the
 * rest of the DSDT, and a \_S5 after it is not found (poweroff then says
 * why); inside a Scope(\), If or Else it is the rest of that body, whose
 * end its PkgLength gives. A broken \_S5 package ends the walk the same
 * way, unless only its values are wrong (then a later well-formed \_S5
 * still counts).
 *
 * The AML encodings used (20.2): NameString = ['\' | '^'*] NamePath,
 * NamePath = NameSeg (4 bytes) | 0x2e Seg Seg | 0x2f Count Seg*Count |
 * 0x00; PkgLength (20.2.4) = lead byte, bits 7:6 the count of bytes that
 * follow; constants ZeroOp 0x00, OneOp 0x01, OnesOp 0xff, BytePrefix
 * 0x0a, WordPrefix 0x0b, DWordPrefix 0x0c, QWordPrefix 0x0e, RevisionOp
 * 0x5b 0x30; String 0x0d ... 0x00.
 */
#include <boot/acpi_power.h>
#include <hv/errno.h>
#include <hv/string.h>

/* AML opcodes (ACPI 6.5 20.3). */
#define AML_ZERO      0x00
#define AML_ONE       0x01
#define AML_ALIAS     0x06
#define AML_NAME      0x08
#define AML_BYTE      0x0a
#define AML_WORD      0x0b
#define AML_DWORD     0x0c
#define AML_STRING    0x0d
#define AML_QWORD     0x0e
#define AML_SCOPE     0x10
#define AML_BUFFER    0x11
#define AML_PACKAGE   0x12
#define AML_VARPACK   0x13
#define AML_METHOD    0x14
#define AML_EXTERNAL  0x15
#define AML_DUAL      0x2e
#define AML_MULTI     0x2f
#define AML_EXT       0x5b
#define AML_ROOT      0x5c
#define AML_PARENT    0x5e
#define AML_NOOP      0xa3
#define AML_IF        0xa0
#define AML_ELSE      0xa1
#define AML_WHILE     0xa2
#define AML_ONES      0xff

/* After AML_EXT. */
#define AML_X_MUTEX    0x01
#define AML_X_EVENT    0x02
#define AML_X_REVISION 0x30
#define AML_X_REGION   0x80
#define AML_X_FIELD    0x81
#define AML_X_DEVICE   0x82
#define AML_X_PROC     0x83
#define AML_X_POWER    0x84
#define AML_X_THERMAL  0x85
#define AML_X_IFIELD   0x86
#define AML_X_BFIELD   0x87

#define MAX_ROOT_DEPTH 8	/* Scope(\), If, Else within each other */

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

/* An integer constant at @p (before @end); *@n gets its size. */
static int aml_const(const u8 *p, const u8 *end, u64 *val, u32 *n)
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

/* A NameString at @p: its size, and whether it is \_S5_ seen from the root. */
struct aml_name {
	u32 len;
	bool root_s5;		/* _S5_ or \_S5_ (in the root scope) */
	bool is_root;		/* "\" alone: the root itself */
};

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

static int aml_name(const u8 *p, const u8 *end, struct aml_name *nm)
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

/* A PkgLength at @p: *@body the first byte after it, *@pend the end. */
static int aml_pkg(const u8 *p, const u8 *end, const u8 **body,
		   const u8 **pend)
{
	u32 len, nb;

	if (acpi_pkg_length(p, end - p, &len, &nb) || len > (u64)(end - p))
		return -EINVAL;
	*body = p + nb;
	*pend = p + len;
	return 0;
}

/* A TermArg this reader follows: a constant or a name. Its size, or 0. */
static u32 simple_arg(const u8 *p, const u8 *end)
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

/* The package at @p (just after PackageOp): its first two values. */
static int s5_package(const u8 *p, const u8 *end, u8 *a, u8 *b,
		      const char **why)
{
	u32 plen, nb, nel, n;
	const u8 *pend, *q;
	u64 v[2];

	if (acpi_pkg_length(p, end - p, &plen, &nb)) {
		*why = "\\_S5 package length malformed or truncated";
		return -EINVAL;
	}
	if (plen > (u64)(end - p)) {
		*why = "\\_S5 package runs past the end of the DSDT";
		return -EINVAL;
	}
	pend = p + plen;
	q = p + nb;
	if (q >= pend || !(nel = *q++)) {
		*why = "\\_S5 package has no elements";
		return -EINVAL;
	}
	for (u32 i = 0; i < 2 && i < nel; i++) {
		if (aml_const(q, pend, &v[i], &n)) {
			*why = "\\_S5 element is not an integer constant";
			return -EINVAL;
		}
		if (v[i] > 7) {
			*why = "\\_S5 SLP_TYP value does not fit in 3 bits";
			return -EINVAL;
		}
		q += n;
	}
	if (nel < 2)
		v[1] = v[0];	/* one value: the same for PM1a and PM1b */
	*a = v[0];
	*b = v[1];
	return 0;
}

struct s5_walk {
	u8 *a, *b;
	const char **why;
	bool found;
	bool bad;		/* a \_S5 seen, malformed (*why says how) */
	bool stopped;		/* a term outside the subset ended the walk */
	bool skipped;		/* ...of a body, skipped from there on */
};

/* A data object after a Name: its size, or 0 if not followed. */
static u32 data_object(const u8 *p, const u8 *end)
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

static bool walk_root(const u8 *p, const u8 *end, u32 depth,
		      struct s5_walk *w);

/* Name(...) at the root: \_S5 itself, or stepped over. */
static const u8 *root_name(const u8 *p, const u8 *end, struct s5_walk *w)
{
	struct aml_name nm;
	const char *why;
	u32 n;

	if (aml_name(p, end, &nm))
		return NULL;
	p += nm.len;
	if (nm.root_s5 && p < end && *p == AML_PACKAGE) {
		if (!s5_package(p + 1, end, w->a, w->b, &why)) {
			w->found = true;
			return end;
		}
		w->bad = true;
		*w->why = why;
	}
	n = data_object(p, end);
	return n ? p + n : NULL;
}

/*
 * The body of a Scope(\), If or Else at the root, from @p to @pend: the
 * term after it is at @pend whatever happens inside, so a term not
 * followed there only ends the walk of this body.
 */
static const u8 *root_body(const u8 *p, const u8 *pend, const u8 *end,
			   u32 depth, struct s5_walk *w)
{
	if (depth >= MAX_ROOT_DEPTH) {
		w->skipped = true;
		return pend;
	}
	if (walk_root(p, pend, depth + 1, w))
		return end;
	if (w->stopped)
		w->skipped = true;
	w->stopped = false;
	return pend;
}

/* If (Predicate) { ... } at the root: its body, if the predicate is simple. */
static const u8 *root_if(const u8 *p, const u8 *end, u32 depth,
			 struct s5_walk *w)
{
	const u8 *body, *pend;
	u32 n;

	if (aml_pkg(p, end, &body, &pend))
		return NULL;
	n = simple_arg(body, pend);
	if (!n) {
		w->skipped = true;
		return pend;
	}
	return root_body(body + n, pend, end, depth, w);
}

/* Scope(name) { ... }: the root again if the name is "\". */
static const u8 *scope(const u8 *p, const u8 *end, u32 depth,
		       struct s5_walk *w)
{
	const u8 *body, *pend;
	struct aml_name nm;

	if (aml_pkg(p, end, &body, &pend) || aml_name(body, pend, &nm))
		return NULL;
	if (!nm.is_root)
		return pend;
	return root_body(body + nm.len, pend, end, depth, w);
}

/* An extended (0x5b) term at the root, @p after the 0x5b. */
static const u8 *root_ext(const u8 *p, const u8 *end)
{
	const u8 *body, *pend;
	struct aml_name nm;
	u32 n;

	if (p >= end)
		return NULL;
	switch (*p++) {
	case AML_X_FIELD:
	case AML_X_DEVICE:
	case AML_X_PROC:
	case AML_X_POWER:
	case AML_X_THERMAL:
	case AML_X_IFIELD:
	case AML_X_BFIELD:
		return aml_pkg(p, end, &body, &pend) ? NULL : pend;
	case AML_X_MUTEX:	/* NameString SyncFlags */
		if (aml_name(p, end, &nm) || end - (p + nm.len) < 1)
			return NULL;
		return p + nm.len + 1;
	case AML_X_EVENT:	/* NameString */
		return aml_name(p, end, &nm) ? NULL : p + nm.len;
	case AML_X_REGION:	/* NameString RegionSpace Offset Length */
		if (aml_name(p, end, &nm) || end - (p + nm.len) < 1)
			return NULL;
		p += nm.len + 1;
		for (int i = 0; i < 2; i++) {
			n = simple_arg(p, end);
			if (!n)
				return NULL;
			p += n;
		}
		return p;
	}
	return NULL;
}

/*
 * The terms of a root scope from @p to @end; true once \_S5 is found.
 * A term not followed sets w->stopped and ends the walk.
 */
static bool walk_root(const u8 *p, const u8 *end, u32 depth,
		      struct s5_walk *w)
{
	const u8 *body, *pend, *next;
	struct aml_name nm;

	while (p < end && !w->found && !w->stopped) {
		const u8 op = *p++;

		switch (op) {
		case AML_NAME:
			next = root_name(p, end, w);
			break;
		case AML_SCOPE:
			next = scope(p, end, depth, w);
			break;
		case AML_IF:
			next = root_if(p, end, depth, w);
			break;
		case AML_ELSE:
			next = aml_pkg(p, end, &body, &pend) ? NULL :
			       root_body(body, pend, end, depth, w);
			break;
		case AML_METHOD:
		case AML_BUFFER:
		case AML_PACKAGE:
		case AML_VARPACK:
		case AML_WHILE:
			next = aml_pkg(p, end, &body, &pend) ? NULL : pend;
			break;
		case AML_ALIAS:
			next = NULL;
			if (!aml_name(p, end, &nm)) {
				p += nm.len;
				if (!aml_name(p, end, &nm))
					next = p + nm.len;
			}
			break;
		case AML_EXTERNAL:	/* NameString ObjectType ArgCount */
			next = NULL;
			if (!aml_name(p, end, &nm) && end - (p + nm.len) >= 2)
				next = p + nm.len + 2;
			break;
		case AML_NOOP:
			next = p;
			break;
		case AML_EXT:
			next = root_ext(p, end);
			break;
		default:
			next = NULL;
			break;
		}
		if (!next)
			w->stopped = true;
		else
			p = next;
	}
	return w->found;
}

int acpi_find_s5(const u8 *aml, u32 len, u8 *slp_typa, u8 *slp_typb,
		 const char **why)
{
	struct s5_walk w = { .a = slp_typa, .b = slp_typb, .why = why };

	*why = "no \\_S5 object in the DSDT's root scope";
	if (walk_root(aml, aml + len, 0, &w))
		return 0;
	if (w.bad)
		return -EINVAL;
	if (w.stopped || w.skipped)
		*why = "no \\_S5 object in the part of the DSDT's root scope this reader follows";
	return -ENOENT;
}
