// SPDX-License-Identifier: GPL-2.0
/*
 * pmugate: pmuloop's loop twice, with a wait in between that costs a fixed
 * number of user-mode instructions however long it lasts.
 *
 * Usage: pmugate N FIFO
 *
 * Runs the "dec %rcx; jnz" loop N times (2N + 1 instructions), then opens
 * FIFO for reading and reads from it until end of file (blocking until a
 * writer has come and gone: "echo > FIFO"), then runs the loop N times
 * again. The blocking is in the kernel, so the user-mode instruction count
 * of the process is the same for every run with the same N and FIFO name,
 * and two N of the same digit count differ by exactly 4 * (N2 - N1). Tests
 * use it to keep a profiled process alive, with counters open, until they
 * release it (e.g. two guests profiling at the same time).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

int main(int argc, char **argv)
{
	unsigned long n;
	char *end, buf[64];
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: pmugate N FIFO\n");
		return 2;
	}
	errno = 0;
	n = strtoul(argv[1], &end, 0);
	if (errno || *end || argv[1][0] == '-') {
		fprintf(stderr, "pmugate: bad number '%s'\n", argv[1]);
		return 2;
	}
	loop(n);
	fd = open(argv[2], O_RDONLY);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	loop(n);
	printf("pmugate: n=%lu loop_insns=%lu\n", n, n ? 2 * (2 * n + 1) : 0);
	return 0;
}
