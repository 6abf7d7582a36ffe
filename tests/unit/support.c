// SPDX-License-Identifier: GPL-2.0
/*
 * Host stand-ins for what the hypervisor sources expect from hv/lib but
 * glibc does not provide. Everything else (memcpy, strlen, ...) comes from
 * libc so that ASan sees it.
 */
#include <stddef.h>

size_t strlcpy(char *dst, const char *src, size_t size);

/* glibc 2.36 has no strlcpy (it arrived in 2.38). */
__attribute__((weak)) size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = 0;

	while (src[n])
		n++;
	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		for (size_t i = 0; i < c; i++)
			dst[i] = src[i];
		dst[c] = '\0';
	}
	return n;
}
