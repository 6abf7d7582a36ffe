/* SPDX-License-Identifier: GPL-2.0 */
/* Reading AML terms without an interpreter: boot/aml_read.c. */
#ifndef BOOT_AML_READ_H
#define BOOT_AML_READ_H

#include <hv/types.h>

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

/* A NameString at @p: its size, and whether it is \_S5_ seen from the root. */
struct aml_name {
	u32 len;
	bool root_s5;		/* _S5_ or \_S5_ (in the root scope) */
	bool is_root;		/* "\" alone: the root itself */
};

/* An integer constant at @p (before @end); *@n gets its size. */
int aml_const(const u8 *p, const u8 *end, u64 *val, u32 *n);
int aml_name(const u8 *p, const u8 *end, struct aml_name *nm);
/* A PkgLength at @p: *@body the first byte after it, *@pend the end. */
int aml_pkg(const u8 *p, const u8 *end, const u8 **body, const u8 **pend);
/* A TermArg this reader follows: a constant or a name. Its size, or 0. */
u32 aml_simple_arg(const u8 *p, const u8 *end);
/* A data object after a Name: its size, or 0 if not followed. */
u32 aml_data_object(const u8 *p, const u8 *end);

#endif /* BOOT_AML_READ_H */
