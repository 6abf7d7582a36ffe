/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PMU as the guest-tests see it, AMD PerfMonV2 (docs/qemu-pmu.md) or
 * the Intel architectural PMU (docs/bochs-pmu.md): MSRs, selector bits
 * (the same bits on both for what the tests use), events, RDPMC, the
 * local APIC's LVTPC, and code whose retired instructions and branches
 * are known exactly.
 *
 * Exact counts rest on two rules of the PMU (hardware and the model
 * alike): a WRMSR to a PMU MSR takes effect after the writing instruction,
 * which counts under the old settings; a counter read (RDMSR, RDPMC)
 * includes everything before it, not the reading instruction. So in a
 * window that starts with a WRMSR GlobalCtl = mask and stops with
 * PMU_ASM_STOP, the starting WRMSR is not counted and the PMU_STOP_INSNS
 * instructions of the stop are.
 */
#ifndef GT_PMU_H
#define GT_PMU_H

#include "gt.h"

/*
 * The PMU's vendor and layout, read from CPUID by pmu_detect() before
 * test_main runs: AMD PerfMonV2 (CPUID 8000_0022h) or the Intel
 * architectural PMU (CPUID leaf 0AH). The MSR macros below name the
 * vendor's register; tests written for one vendor only check pmu_intel.
 */
struct gt_pmu {
	bool intel;
	u32 nr;			/* general-purpose counters */
	u32 nr_fixed;		/* Intel fixed counters */
	u32 version;		/* Intel architectural version */
	u32 width, fixed_width;	/* counter widths (Intel CPUID.0AH) */
};
extern struct gt_pmu gt_pmu;
/* MSR_GLOBAL_CTL, for the assembly of the windows (one MOV either way). */
extern u32 gt_pmu_msr_gctl;
#define pmu_intel (gt_pmu.intel)

#define MSR_PERF_CTL(i)        (pmu_intel ? 0x186u + (i) : \
				0xc0010200u + 2 * (i))
/* Intel: the full-width IA32_A_PMCx (48-bit writes). */
#define MSR_PERF_CTR(i)        (pmu_intel ? 0x4c1u + (i) : \
				0xc0010201u + 2 * (i))
#define MSR_GLOBAL_STATUS      (pmu_intel ? 0x38eu : 0xc0000300u)
#define MSR_GLOBAL_CTL         (pmu_intel ? 0x38fu : 0xc0000301u)
/* Intel: IA32_PERF_GLOBAL_OVF_CTRL. */
#define MSR_GLOBAL_STATUS_CLR  (pmu_intel ? 0x390u : 0xc0000302u)
/* AMD only: the Intel guest PMU is version 2, without GLOBAL_STATUS_SET. */
#define MSR_GLOBAL_STATUS_SET  0xc0000303u

/* AMD only. */
#define MSR_K7_EVNTSEL(i)      (0xc0010000u + (i))	/* legacy, i < 4 */
#define MSR_K7_PERFCTR(i)      (0xc0010004u + (i))
#define MSR_PERF_LAST          0xc001022fu	/* end of the PERF_CTL/CTR range */

/* Intel only (SDM vol. 3 21.2.2). */
#define MSR_INTEL_PMC(i)          (0xc1u + (i))	/* legacy, 32-bit writes */
#define MSR_INTEL_FIXED_CTR(i)    (0x309u + (i))
#define MSR_INTEL_FIXED_CTR_CTRL  0x38du
#define MSR_INTEL_PERF_CAPS       0x345u
#define INTEL_FIXED_BIT(i)        (1ULL << (32 + (i)))
#define INTEL_RDPMC_FIXED         0x40000000u

/*
 * The counters most tests use (AMD has 6, our Intel model 8): tests that
 * cover every counter take the count from pmu_nr_counters().
 */
#define PMU_MAX_COUNTERS 6

/* PERF_CTL bits. */
#define SEL_EVENT(e)  (((u64)(e) & 0xff) | ((u64)(e) >> 8 & 0xf) << 32)
#define SEL_UMASK(u)  ((u64)(u) << 8)
#define SEL_USR       (1ULL << 16)
#define SEL_OS        (1ULL << 17)
#define SEL_EDGE      (1ULL << 18)
#define SEL_INT       (1ULL << 20)
#define SEL_EN        (1ULL << 22)
#define SEL_INV       (1ULL << 23)
#define SEL_CMASK(n)  ((u64)(n) << 24)
#define SEL_GUESTONLY (1ULL << 40)
#define SEL_HOSTONLY  (1ULL << 41)
/* Every bit a guest may set (the others raise #GP). */
#define SEL_VALID     (0xffffULL | SEL_USR | SEL_OS | SEL_EDGE | SEL_INT | \
		       SEL_EN | SEL_INV | SEL_CMASK(0xff) | 0xfULL << 32 | \
		       SEL_GUESTONLY | SEL_HOSTONLY)

/*
 * Events: AMD's, or Intel's architectural events (SDM vol. 3 table 21-1:
 * 3CH unhalted core cycles, C0H instructions, C4H branch instructions,
 * C5H mispredicted branches; Intel has no architectural taken-branch
 * event: EV_TAKEN is AMD only).
 */
#define EV_CYCLES     (pmu_intel ? 0x3c : 0x76)
#define EV_INSNS      0xc0
#define EV_BRANCHES   (pmu_intel ? 0xc4 : 0xc2)
#define EV_MISPRED    (pmu_intel ? 0xc5 : 0xc3)
#define EV_TAKEN      0xc4

#define CTR_BITS      48
#define CTR_MASK      ((1ULL << CTR_BITS) - 1)
/* A counter value that overflows after @n more events. */
#define CTR_PRESET(n) ((1ULL << CTR_BITS) - (n))

#define GLOBAL_STATUS_LBR_FROZEN (1ULL << 58)

/* The local APIC (xAPIC MMIO), for PMIs through LVTPC. */
#define APIC_BASE_ADDR 0xfee00000UL
#define APIC_EOI       0x0b0
#define APIC_SVR       0x0f0
#define APIC_LVTPC     0x340
#define LVT_MASKED     (1u << 16)
#define LVT_NMI        (4u << 8)

static inline void apic_write(u32 reg, u32 v)
{
	*(volatile u32 *)(APIC_BASE_ADDR + reg) = v;
}

/*
 * In a PMI handler that wants the next PMI: Intel's local APIC sets the
 * LVTPC mask bit when it delivers a PMI (SDM vol. 3 21.6.3.5.8), so the
 * handler unmasks it, as Linux's does; AMD's does not mask.
 */
static inline void pmu_pmi_rearm(u32 lvtpc)
{
	if (pmu_intel)
		apic_write(APIC_LVTPC, lvtpc);
}

static inline u32 apic_read(u32 reg)
{
	return *(volatile u32 *)(APIC_BASE_ADDR + reg);
}

/*
 * Two RDPMCs of counter @idx with two MOVs between them: the difference
 * is 3 for a counter of instructions (a read counts what came before it).
 */
static inline u64 pmu_rdpmc_delta(u32 idx)
{
	u64 d;

	asm volatile("rdpmc\n\t"
		     "mov %%eax, %%r8d\n\t"
		     "mov %%edx, %%r9d\n\t"
		     "rdpmc\n\t"
		     "shl $32, %%rdx\n\t"
		     "or %%rdx, %%rax\n\t"
		     "shl $32, %%r9\n\t"
		     "or %%r9, %%r8\n\t"
		     "sub %%r8, %%rax"
		     : "=a"(d)
		     : "c"(idx)
		     : "rdx", "r8", "r9", "cc");
	return d;
}

/* rdpmc() is arch/x86/cpu.h's. RDPMC that may fault: the exception vector, or -1. */
int rdpmc_try(u32 idx, u64 *val);

/*
 * Counters offered in CPUID 0x80000022 EBX[3:0] (AMD, 0 without PerfMonV2)
 * or CPUID.0AH EAX[15:8] (Intel, 0 for version 0). pmu_require() fails the
 * test at once if there is no PMU or its counters are not CTR_BITS wide.
 */
u32 pmu_nr_counters(void);
u32 pmu_require(void);

/* GlobalCtl = 0, every PERF_CTL and PERF_CTR = 0, GlobalStatus clear. */
void pmu_reset(void);

/* The instructions of PMU_ASM_STOP, counted in every window. */
#define PMU_STOP_INSNS 4
/*
 * ...and its cycles (one per instruction on the model). With fewer AMD
 * counters than the model's six (`profile = on`, `pmu_counters`) the guest's
 * GlobalCtl is emulated: the stopping WRMSR is retired by the hypervisor,
 * which counts it as an instruction but not as a cycle (docs/pmu.md).
 */
#define PMU_STOP_CYCLES \
	(PMU_STOP_INSNS - (!pmu_intel && gt_pmu.nr < PMU_MAX_COUNTERS))
/* Cycles of a window whose @insns (stop included) all ran in the guest. */
#define PMU_CYCLES_OF(insns) ((insns) - PMU_STOP_INSNS + PMU_STOP_CYCLES)

#define PMU_ASM_STOP \
	"	mov gt_pmu_msr_gctl(%rip), %ecx\n" \
	"	xor %eax, %eax\n" \
	"	xor %edx, %edx\n" \
	"	wrmsr\n"

/*
 * PMU_WINDOW(name, body) defines `void name(u64 mask, u64 n)`: GlobalCtl =
 * mask, then the assembly @body (with n in RSI; it may use RAX, RBX, RCX,
 * RDX, RSI, RDI, R8-R11), then PMU_ASM_STOP. Only @body and the stop are
 * counted.
 */
#define PMU_WINDOW(name, body)						\
	void name(u64 mask, u64 n);					\
	asm(".text\n"							\
	    ".globl " #name "\n"					\
	    #name ":\n"							\
	    "	push %rbx\n"						\
	    "	mov %rdi, %rax\n"					\
	    "	mov %rdi, %rdx\n"					\
	    "	shr $32, %rdx\n"					\
	    "	mov gt_pmu_msr_gctl(%rip), %ecx\n"			\
	    "	wrmsr\n"						\
	    body							\
	    PMU_ASM_STOP						\
	    "	pop %rbx\n"						\
	    "	ret\n")

/*
 * PMU_USER_WINDOW(name, body) defines `void name(u64 mask, u64 n)` (after
 * gt_user_init()): GlobalCtl = mask, then seven instructions at CPL 0
 * enter ring 3 (five pushes, `mov n, %rcx`, IRETQ), @body runs at CPL 3
 * (n in RCX) followed by `int $GT_VEC_USER_RET`, gt_user_ret's two
 * instructions come back, then PMU_ASM_STOP. At CPL 0 that is
 * PMU_USER_OS_INSNS instructions with two branches (IRETQ, gt_user_ret's
 * RET); at CPL 3 the body and the INT (a branch).
 *
 * PMU_USER_WINDOW_EXIT(name, body, exit) ends ring 3 with @exit instead of
 * the INT: `ud2`, with vector 6 pointed at gt_user_ret, leaves by a fault,
 * which retires nothing at CPL 3.
 */
#define PMU_USER_OS_INSNS     (7 + 2 + PMU_STOP_INSNS)
#define PMU_USER_OS_BRANCHES  2
#define PMU_USER_WINDOW(name, body)					\
	PMU_USER_WINDOW_EXIT(name, body, "	int $0x80\n")	/* GT_VEC_USER_RET */
#define PMU_USER_WINDOW_EXIT(name, body, exit)				\
	void name(u64 mask, u64 n);					\
	asm(".text\n"							\
	    ".globl " #name "\n"					\
	    #name ":\n"							\
	    "	push %rbx\n"						\
	    "	lea 2f(%rip), %rax\n"					\
	    "	push %rax\n"						\
	    "	mov %rsp, gt_user_kernel_rsp(%rip)\n"			\
	    "	mov %rdi, %rax\n"					\
	    "	mov %rdi, %rdx\n"					\
	    "	shr $32, %rdx\n"					\
	    "	mov gt_pmu_msr_gctl(%rip), %ecx\n"			\
	    "	wrmsr\n"						\
	    "	pushq $0x23\n"		/* GT_USER_DS */		\
	    "	pushq $gt_user_stack_top\n"				\
	    "	pushq $2\n"		/* RFLAGS: IF clear */		\
	    "	pushq $0x2b\n"		/* GT_USER_CS */		\
	    "	pushq $3f\n"						\
	    "	mov %rsi, %rcx\n"					\
	    "	iretq\n"						\
	    "3:\n"							\
	    body							\
	    exit							\
	    "2:\n"							\
	    PMU_ASM_STOP						\
	    "	mov $0x18, %ecx\n"	/* GT_KERNEL_DS */		\
	    "	mov %cx, %ds\n"						\
	    "	mov %cx, %es\n"						\
	    "	mov %cx, %ss\n"						\
	    "	pop %rbx\n"						\
	    "	ret\n")

/*
 * pmu_loop(mask, n), n >= 1: in a PMU_WINDOW at CPL 0,
 * "mov n, %rcx; pmu_loop_dec: dec %rcx; pmu_loop_jnz: jnz pmu_loop_dec".
 * Its k-th instruction is the mov for k = 1, the j-th DEC for k = 2j,
 * the j-th JNZ for k = 2j + 1.
 */
void pmu_loop(u64 mask, u64 n);
extern const char pmu_loop_dec[], pmu_loop_jnz[];
#define PMU_LOOP_INSNS(n)    (2 * (u64)(n) + 1 + PMU_STOP_INSNS)
#define PMU_LOOP_BRANCHES(n) ((u64)(n))
#define PMU_LOOP_TAKEN(n)    ((u64)(n) - 1)

/* pmu_user_loop(mask, n), n >= 1: a PMU_USER_WINDOW of "1: dec; jnz 1b". */
void pmu_user_loop(u64 mask, u64 n);
#define PMU_USER_LOOP_USR(n)          (2 * (u64)(n) + 1)
#define PMU_USER_LOOP_USR_BRANCHES(n) ((u64)(n) + 1)

/*
 * pmu_user_fault_loop(mask, n): the same loop left by `ud2` (vector 6 must
 * point at gt_user_ret): 2n instructions and n branches at CPL 3, since
 * the faulting UD2 does not retire.
 */
void pmu_user_fault_loop(u64 mask, u64 n);
#define PMU_USER_FAULT_LOOP_USR(n)    (2 * (u64)(n))

#endif /* GT_PMU_H */
