// SPDX-License-Identifier: GPL-2.0
/*
 * Freestanding string and memory functions. GCC may emit calls to memcpy,
 * memmove, memset and memcmp on its own, so these must exist.
 */
#include <hv/string.h>

/*
 * REP MOVS/STOS. On hardware with ERMSB (CPUID.7.0:EBX[9]; the Intel
 * optimization manual's "Enhanced REP MOVSB and STOSB operation") the
 * byte forms are as fast as any; an emulator, though, runs a REP loop once per element,
 * and the hypervisor zeroes and fills hundreds of MiB of guest RAM here.
 * So the bulk goes eight bytes at a time, from an 8-byte aligned
 * destination, and only the ends byte by byte.
 */
#define BULK_MIN 64

static inline size_t align_head(const void *d)
{
	return (size_t)(-(u64)d) & 7;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	if (n >= BULK_MIN) {
		size_t head = align_head(d), q;

		asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(head)
			     : : "memory");
		n -= align_head(dst);
		q = n / 8;
		asm volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(q)
			     : : "memory");
		n &= 7;
	}
	asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d < s)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u64 pattern = 0x0101010101010101ULL * (u8)c;
	void *d = dst;

	if (n >= BULK_MIN) {
		size_t head = align_head(d), q;

		asm volatile("rep stosb" : "+D"(d), "+c"(head) : "a"(pattern)
			     : "memory");
		n -= align_head(dst);
		q = n / 8;
		asm volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(pattern)
			     : "memory");
		n &= 7;
	}
	asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(pattern) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
