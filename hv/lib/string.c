// SPDX-License-Identifier: GPL-2.0
/*
 * Freestanding string and memory functions. GCC may emit calls to memcpy,
 * memmove, memset and memcmp on its own, so these must exist.
 */
#include <hv/string.h>

/* REP MOVSB/STOSB: fast on every CPU with ERMSB, and short. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

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

/*
 * REP STOSQ for the 8-byte aligned bulk: as fast as STOSB on hardware
 * with ERMSB, and eight times fewer iterations under an emulator, which
 * matters for the gigabytes of a guest's RAM.
 */
void *memset(void *dst, int c, size_t n)
{
	u64 v = (u8)c * 0x0101010101010101ull;
	void *d = dst;

	if (!((uintptr_t)d & 7) && n >= 64) {
		size_t q = n / 8;

		asm volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
		n &= 7;
	}
	asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(v) : "memory");
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
