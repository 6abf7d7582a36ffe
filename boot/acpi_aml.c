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
 */
#include <boot/acpi_power.h>
#include <boot/aml_read.h>
#include <hv/errno.h>
#include <hv/string.h>

#define MAX_ROOT_DEPTH 8	/* Scope(\), If, Else within each other */

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
	n = aml_data_object(p, end);
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
	n = aml_simple_arg(body, pend);
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
			n = aml_simple_arg(p, end);
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
