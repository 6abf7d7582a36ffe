// SPDX-License-Identifier: GPL-2.0
/*
 * pmuloop: execute an exactly known number of user-mode instructions.
 *
 * Usage: pmuloop N [REPEAT]
 *
 * Runs a "dec %rcx; jnz" loop N times, REPEAT times (default 1). Each pass
 * retires exactly 2*N + 1 instructions between the two markers (a "mov" of
 * the count into %rcx, then N decrements and N branches), and the loop body
 * never leaves user mode or touches memory. Exact-count PMU tests compare
 * "perf stat -e instructions:u" of two runs whose counts have the same number
 * of decimal digits (so parsing and printing cost the same), e.g.
 * "pmuloop 1000000" and "pmuloop 2000000": the difference is exactly
 * 2 * (2000000 - 1000000) * REPEAT, whatever the start-up cost is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static void loop(unsigned long n)
{
	if (!n)
		return;
	asm volatile("mov %0, %%rcx\n\t"
		     "1: dec %%rcx\n\t"
		     "jnz 1b"
		     :
		     : "r"(n)
		     : "rcx", "cc");
}

static unsigned long parse(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || *s == '-') {
		fprintf(stderr, "pmuloop: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long n, rep = 1, i;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: pmuloop N [REPEAT]\n");
		return 2;
	}
	n = parse(argv[1]);
	if (argc == 3)
		rep = parse(argv[2]);
	for (i = 0; i < rep; i++)
		loop(n);
	printf("pmuloop: n=%lu repeat=%lu loop_insns=%lu\n", n, rep,
	       n ? (2 * n + 1) * rep : 0);
	return 0;
}
