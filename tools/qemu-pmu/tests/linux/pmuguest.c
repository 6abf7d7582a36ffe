// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmuguest: user-mode helper of the Linux guest checks of the QEMU PMU
 * model (tools/qemu-pmu/tests/linux/init).
 *
 *   pmuguest loop N    run "mov N, rcx; 1: dec rcx; jnz 1b" and exit
 *   pmuguest marked N  the same, after writing "pmuguest: in loop" to
 *                      /dev/console: the migration check pauses the VM
 *                      when it sees that line, so it is saved inside the
 *                      counted region however fast the machine is
 *   pmuguest rdpmc N   count that loop with perf_event_open + RDPMC from
 *                      user space (instructions:u); prints the delta,
 *                      which must be 2 * N + 5
 *   pmuguest raw N     execute RDPMC of counter N as is (#GP, i.e.
 *                      SIGSEGV, unless CR4.PCE is set)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static void loop(uint64_t n)
{
	__asm__ volatile("mov %0, %%rcx\n"
			 "1: dec %%rcx\n"
			 "jnz 1b\n"
			 : : "r"(n) : "rcx", "cc");
}

/*
 * rdpmc; 3 x mov; loop; mov; rdpmc: the second read sees the first
 * RDPMC, the four movs and the 2 * n loop instructions.
 */
static uint64_t rdpmc_loop(uint32_t idx, uint64_t n)
{
	uint64_t delta;

	__asm__ volatile("mov %[idx], %%ecx\n"
			 "rdpmc\n"
			 "mov %%eax, %%r8d\n"
			 "mov %%edx, %%r9d\n"
			 "mov %[n], %%rcx\n"
			 "1: dec %%rcx\n"
			 "jnz 1b\n"
			 "mov %[idx], %%ecx\n"
			 "rdpmc\n"
			 "shl $32, %%rdx\n"
			 "or %%rdx, %%rax\n"
			 "shl $32, %%r9\n"
			 "or %%r9, %%r8\n"
			 "sub %%r8, %%rax\n"
			 : "=&a"(delta)
			 : [idx] "r"(idx), [n] "r"(n)
			 : "rcx", "rdx", "r8", "r9", "cc", "memory");
	return delta & ((1ull << 48) - 1);
}

int main(int argc, char **argv)
{
	struct perf_event_attr attr;
	struct perf_event_mmap_page *pg;
	uint64_t n, delta;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: pmuguest loop|rdpmc|raw N\n");
		return 2;
	}
	n = strtoull(argv[2], NULL, 0);
	if (!strcmp(argv[1], "loop")) {
		loop(n);
		return 0;
	}
	if (!strcmp(argv[1], "marked")) {
		static const char msg[] = "pmuguest: in loop\n";
		int con = open("/dev/console", O_WRONLY);

		if (con >= 0 && write(con, msg, sizeof(msg) - 1) < 0)
			return 1;
		loop(n);
		return 0;
	}
	if (!strcmp(argv[1], "raw")) {
		uint32_t lo, hi;

		__asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"((uint32_t)n));
		printf("%llu\n", (unsigned long long)hi << 32 | lo);
		return 0;
	}
	if (strcmp(argv[1], "rdpmc"))
		return 2;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_INSTRUCTIONS;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0) {
		perror("perf_event_open");
		return 1;
	}
	pg = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED, fd, 0);
	if (pg == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (!pg->cap_user_rdpmc || !pg->index) {
		printf("rdpmc unavailable: cap_user_rdpmc=%u index=%u\n",
		       (unsigned)pg->cap_user_rdpmc, pg->index);
		return 1;
	}
	delta = rdpmc_loop(pg->index - 1, n);
	printf("%llu\n", (unsigned long long)delta);
	return 0;
}
