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

#include <arch/x86/cpu.h>
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

/*
 * Interrupt handlers: vector 2 (NMI) and 32-255 go to the handler
 * registered for them instead of the exception path. The library sends no
 * EOI; the handler does what its interrupt source needs.
 */
typedef void (*gt_irq_handler_t)(u8 vector);
void gt_set_irq_handler(u8 vector, gt_irq_handler_t h);

static inline void sti(void)
{
	asm volatile("sti" ::: "memory");
}

static inline void cli(void)
{
	asm volatile("cli" ::: "memory");
}

/* Waits for an interrupt: STI's shadow makes the pair atomic. */
static inline void sti_hlt(void)
{
	asm volatile("sti; hlt" ::: "memory");
}

/* TSC ticks per millisecond, from the hypervisor's timing leaf. */
u64 gt_tsc_per_ms(void);

extern bool gt_amd;		/* VMMCALL (AMD) or VMCALL (Intel) */

s64 hypercall(u64 nr, u64 a0, u64 a1);
/* A hypercall that may raise an exception: *vector gets it, or -1. */
s64 hypercall_try(u64 nr, u64 a0, u64 a1, int *vector);

/* Safe MSR access: returns the exception vector, or -1 if none. */
int rdmsr_try(u32 msr, u64 *val);
int wrmsr_try(u32 msr, u64 val);

static inline void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	struct cpuid_regs r;

	cpuid_count(leaf, sub, &r);
	*a = r.eax;
	*b = r.ebx;
	*c = r.ecx;
	*d = r.edx;
}

#endif /* GT_H */
