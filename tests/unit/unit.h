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

#endif /* TESTS_UNIT_UNIT_H */
