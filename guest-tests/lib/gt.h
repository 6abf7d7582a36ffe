/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test-guest library: serial output, EXPECT checks, exception capture,
 * hypercalls and the verdict through the debug-exit port.
 *
 * A test defines `void test_main(void)`. Each EXPECT prints a PASS or FAIL
 * line; when test_main returns, the summary is printed and the status
 * (0 = every check passed) is written to port 0xf4.
 */
#ifndef GT_H
#define GT_H

#include <hv/abi.h>
#include <hv/string.h>
#include <hv/types.h>

void test_main(void);

void gt_puts(const char *s);
void gt_printf(const char *fmt, ...) __printf(1, 2);

void gt_check(bool ok, const char *what, const char *file, int line);
void gt_check_eq(u64 a, u64 b, const char *as, const char *bs,
		 const char *file, int line);

#define EXPECT(c) gt_check(!!(c), #c, __FILE__, __LINE__)
#define EXPECT_EQ(a, b) \
	gt_check_eq((u64)(a), (u64)(b), #a, #b, __FILE__, __LINE__)

/* Stops the guest now with @status (0 = success). */
__noreturn void gt_exit(u32 status);

/*
 * Exception capture. ASM_TRY(label) arms a recovery point: an exception
 * raised before `label` is recorded and execution resumes at `label`.
 * gt_last_vector() then tells which (or -1 if none).
 */
extern volatile u64 gt_fixup_rip;
#define ASM_TRY(label) "movq $" label ", gt_fixup_rip(%%rip)\n\t"
int gt_last_vector(void);
u32 gt_last_error(void);
u64 gt_last_rip(void);
void gt_clear_exception(void);

/* Installs the library's IDT (done before test_main). */
void gt_idt_init(void);

extern bool gt_amd;		/* VMMCALL (AMD) or VMCALL (Intel) */

s64 hypercall(u64 nr, u64 a0, u64 a1);
/* A hypercall that may raise an exception: *vector gets it, or -1. */
s64 hypercall_try(u64 nr, u64 a0, u64 a1, int *vector);

/* Safe MSR access: returns the exception vector, or -1 if none. */
int rdmsr_try(u32 msr, u64 *val);
int wrmsr_try(u32 msr, u64 val);

static inline void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid"
		     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(sub));
}

static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

#endif /* GT_H */
