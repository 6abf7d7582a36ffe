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
/* pmu.c: the PMU's vendor and layout from CPUID (before test_main). */
void pmu_detect(void);

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

/* The interrupted context as the vector stubs save it. */
struct gt_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error, rip, cs, rflags, rsp, ss;
};

/*
 * Inside a handler registered with gt_set_irq_handler(): the frame of the
 * interrupt being handled (RIP is where the interrupted code resumes).
 * Changes to it take effect on return.
 */
struct gt_frame *gt_irq_frame(void);

/* Points IDT gate @vector at @handler (an interrupt gate) with DPL @dpl. */
void gt_set_gate(u8 vector, const void *handler, int dpl);
/* The same with DPL 0 on interrupt stack @ist (1-7, see gt_set_ist()). */
void gt_set_gate_ist(u8 vector, const void *handler, int ist);
/* Points gate @vector back at the library's own handler. */
void gt_reset_gate(u8 vector);

/*
 * Ring 3. gt_user_init() loads a GDT with user segments and a TSS, sets
 * the user bit in the guest's page tables (the whole identity map becomes
 * user-accessible) and points gate GT_VEC_USER_RET (DPL 3) at
 * gt_user_ret. gt_user_call() runs @fn(@arg) at CPL 3 on its own stack
 * with interrupts off, and returns what @fn returns; exceptions at CPL 3
 * are taken on a separate kernel stack (TSS.RSP0), ASM_TRY works there.
 *
 * Code that enters ring 3 itself: save the address to resume at on the
 * stack, store RSP in gt_user_kernel_rsp, IRETQ to GT_USER_CS:rip with
 * SS GT_USER_DS; ring 3 returns with `int $GT_VEC_USER_RET`, which runs
 * `mov gt_user_kernel_rsp, %rsp; ret` at CPL 0 (2 instructions, 1 branch)
 * and leaves DS, ES and SS null (reload GT_KERNEL_DS).
 */
#define GT_KERNEL_CS     0x10
#define GT_KERNEL_DS     0x18
#define GT_USER_DS       0x23
#define GT_USER_CS       0x2b
#define GT_TSS           0x30
#define GT_VEC_USER_RET  0x80

void gt_user_init(void);
/* Sets the TSS's interrupt stack @n (1-7) to @top (after gt_user_init()). */
void gt_set_ist(int n, u64 top);
u64 gt_user_call(u64 (*fn)(u64), u64 arg);
extern u64 gt_user_kernel_rsp;
extern u8 gt_user_stack_top[];
extern const char gt_user_ret[];

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

/*
 * Meeting the other instances of this test (the guests booted from the
 * same image, PV_HC_RENDEZVOUS): gt_rendezvous() reaches @phase and waits,
 * without a time limit of its own, until every instance has; gt_reached()
 * reaches it and tells at once whether all have. A failed call fails the
 * test.
 */
void gt_rendezvous(u32 phase);
bool gt_reached(u32 phase);

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
