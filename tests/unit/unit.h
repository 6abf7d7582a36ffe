/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Common includes for the cmocka unit tests. libc's <string.h> is not
 * included on purpose: <hv/errno.h> declares its own strerror().
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <stdio.h>
#include <cmocka.h>

#include <hv/types.h>
#include <hv/errno.h>
#include <hv/string.h>

/* Whether @needle occurs in @hay (messages checked by the tests). */
static inline bool unit_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

/* Little-endian fields of a byte buffer (images, tables the tests build). */
static inline void put16(u8 *p, size_t off, u16 v)
{
	p[off] = (u8)v;
	p[off + 1] = (u8)(v >> 8);
}

static inline void put32(u8 *p, size_t off, u32 v)
{
	put16(p, off, (u16)v);
	put16(p, off + 2, (u16)(v >> 16));
}

static inline void put64(u8 *p, size_t off, u64 v)
{
	put32(p, off, (u32)v);
	put32(p, off + 4, (u32)(v >> 32));
}

static inline u16 get16(const u8 *p, size_t off)
{
	return (u16)(p[off] | p[off + 1] << 8);
}

static inline u32 get32(const u8 *p, size_t off)
{
	return get16(p, off) | (u32)get16(p, off + 2) << 16;
}

static inline u64 get64(const u8 *p, size_t off)
{
	return get32(p, off) | (u64)get32(p, off + 4) << 32;
}

#endif /* TESTS_UNIT_UNIT_H */
