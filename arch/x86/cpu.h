/* SPDX-License-Identifier: GPL-2.0 */
/* Thin wrappers around x86 instructions and architectural constants. */
#ifndef ARCH_X86_CPU_H
#define ARCH_X86_CPU_H

#include <hv/types.h>

/* Control register bits (SDM vol. 3 2.5). */
#define X86_CR0_PE BIT(0)
#define X86_CR0_MP BIT(1)
#define X86_CR0_EM BIT(2)
#define X86_CR0_TS BIT(3)
#define X86_CR0_ET BIT(4)
#define X86_CR0_NE BIT(5)
#define X86_CR0_WP BIT(16)
#define X86_CR0_AM BIT(18)
#define X86_CR0_NW BIT(29)
#define X86_CR0_CD BIT(30)
#define X86_CR0_PG BIT(31)

#define X86_CR4_PAE        BIT(5)
#define X86_CR4_MCE        BIT(6)
#define X86_CR4_PGE        BIT(7)
#define X86_CR4_PCE        BIT(8)
#define X86_CR4_OSFXSR     BIT(9)
#define X86_CR4_OSXMMEXCPT BIT(10)
#define X86_CR4_VMXE       BIT(13)
#define X86_CR4_OSXSAVE    BIT(18)
#define X86_CR4_LA57       BIT(12)
#define X86_CR4_PCIDE      BIT(17)

/*
 * MOV to CR4 rules (SDM vol. 3 2.5, 4.1.1, 4.10.1; vol. 2 "MOV--Move
 * to/from Control Registers"): #GP for a bit outside @allowed (reserved,
 * or a feature CPUID does not offer the guest), for clearing PAE or
 * changing LA57 in IA-32e mode, and for setting PCIDE outside IA-32e mode
 * or with CR3[11:0] non-zero. True if @val may be loaded.
 */
static inline bool x86_cr4_write_ok(u64 old, u64 val, bool lma, u64 cr3,
				    u64 allowed)
{
	if (val & ~allowed)
		return false;
	if (lma && (!(val & BIT(5)) || ((old ^ val) & BIT(12))))
		return false;
	if ((val & BIT(17)) && !(old & BIT(17)) && (!lma || (cr3 & 0xfff)))
		return false;
	return true;
}

#define X86_EFER_SCE   BIT(0)
#define X86_EFER_LME   BIT(8)
#define X86_EFER_LMA   BIT(10)
#define X86_EFER_NXE   BIT(11)
#define X86_EFER_SVME  BIT(12)

#define X86_RFLAGS_CF    BIT(0)
#define X86_RFLAGS_FIXED BIT(1)
#define X86_RFLAGS_TF    BIT(8)
#define X86_RFLAGS_IF    BIT(9)
#define X86_RFLAGS_DF    BIT(10)
#define X86_RFLAGS_RF    BIT(16)
#define X86_RFLAGS_VM    BIT(17)

/* DR6 (SDM vol. 3 18.2.3): breakpoint conditions B0-B3, single step. */
#define X86_DR6_B0_B3    0xfULL
#define X86_DR6_BD       BIT(13)
#define X86_DR6_BS       BIT(14)
#define X86_DR6_RTM      BIT(16)	/* active low: 1 = not in RTM */
#define X86_DR6_FIXED1   0xffff0ff0ULL	/* bits that read 1 (RTM: not in RTM) */
#define X86_DR7_GD       BIT(13)

/* MSRs used by the host. */
#define MSR_IA32_APIC_BASE      0x0000001b
#define MSR_IA32_FEATURE_CONTROL 0x0000003a
#define MSR_IA32_TSC_DEADLINE   0x000006e0
#define MSR_IA32_PAT            0x00000277
#define MSR_IA32_MTRRCAP        0x000000fe
#define MSR_IA32_MTRR_DEF_TYPE  0x000002ff
#define MSR_IA32_SYSENTER_CS    0x00000174
#define MSR_IA32_SYSENTER_ESP   0x00000175
#define MSR_IA32_SYSENTER_EIP   0x00000176
#define MSR_IA32_DEBUGCTL       0x000001d9
#define MSR_EFER                0xc0000080
#define MSR_STAR                0xc0000081
#define MSR_LSTAR               0xc0000082
#define MSR_CSTAR               0xc0000083
#define MSR_SFMASK              0xc0000084
#define MSR_FS_BASE             0xc0000100
#define MSR_GS_BASE             0xc0000101
#define MSR_KERNEL_GS_BASE      0xc0000102
#define MSR_TSC_AUX             0xc0000103
#define MSR_VM_CR               0xc0010114
#define MSR_VM_HSAVE_PA         0xc0010117

#define APIC_BASE_BSP    BIT(8)
#define APIC_BASE_X2APIC BIT(10)
#define APIC_BASE_ENABLE BIT(11)

/* Exception vectors (SDM vol. 3 6.3.1). */
enum {
	X86_DE = 0, X86_DB = 1, X86_NMI = 2, X86_BP = 3, X86_OF = 4,
	X86_BR = 5, X86_UD = 6, X86_NM = 7, X86_DF = 8, X86_TS = 10,
	X86_NP = 11, X86_SS = 12, X86_GP = 13, X86_PF = 14, X86_MF = 16,
	X86_AC = 17, X86_MC = 18, X86_XM = 19, X86_VE = 20, X86_CP = 21,
};

/* True for vectors that push an error code. */
static inline bool x86_exception_has_error(unsigned int vec)
{
	return vec == X86_DF || (vec >= X86_TS && vec <= X86_PF) ||
	       vec == X86_AC || vec == X86_CP;
}

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline void cpuid_count(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	asm volatile("cpuid"
		     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
		     : "a"(leaf), "c"(sub));
}

static inline u32 cpuid_eax(u32 leaf)
{
	struct cpuid_regs r;

	cpuid_count(leaf, 0, &r);
	return r.eax;
}

/* The CPUID vendor string ("AuthenticAMD", "GenuineIntel", ...). */
static inline const char *cpu_vendor(char buf[13])
{
	struct cpuid_regs r;

	cpuid_count(0, 0, &r);
	__builtin_memcpy(&buf[0], &r.ebx, 4);
	__builtin_memcpy(&buf[4], &r.edx, 4);
	__builtin_memcpy(&buf[8], &r.ecx, 4);
	buf[12] = '\0';
	return buf;
}

static inline u64 rdpmc(u32 ecx)
{
	u32 lo, hi;

	asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(ecx));
	return ((u64)hi << 32) | lo;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
		     : "memory");
}

/*
 * RDMSR that survives a #GP: the host IDT's #GP handler resumes at the
 * fixup label. Returns 0 or -EIO. Used to probe MSRs on unknown CPUs.
 */
int rdmsr_safe(u32 msr, u64 *val);
int wrmsr_safe(u32 msr, u64 val);

/* Zeroes the whole pages in [p, p + size) (arch/x86/page_zero.c). */
void zero_pages(void *p, u64 size);

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

/* read_cr0() ... write_dr7(): MOV to and from control and debug registers. */
#define DEFINE_MOV_ACCESSORS(reg, n)                                        \
	static inline u64 read_##reg##n(void)                               \
	{                                                                   \
		u64 v;                                                      \
		asm volatile("mov %%" #reg #n ", %0" : "=r"(v));            \
		return v;                                                   \
	}                                                                   \
	static inline void write_##reg##n(u64 v)                            \
	{                                                                   \
		asm volatile("mov %0, %%" #reg #n : : "r"(v) : "memory");   \
	}
DEFINE_MOV_ACCESSORS(cr, 0)
DEFINE_MOV_ACCESSORS(cr, 2)
DEFINE_MOV_ACCESSORS(cr, 3)
DEFINE_MOV_ACCESSORS(cr, 4)
DEFINE_MOV_ACCESSORS(dr, 0)
DEFINE_MOV_ACCESSORS(dr, 1)
DEFINE_MOV_ACCESSORS(dr, 2)
DEFINE_MOV_ACCESSORS(dr, 3)
DEFINE_MOV_ACCESSORS(dr, 6)
DEFINE_MOV_ACCESSORS(dr, 7)
#undef DEFINE_MOV_ACCESSORS

static inline u64 read_rflags(void)
{
	u64 f;

	asm volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
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

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

static inline void irq_disable(void)
{
	asm volatile("cli" ::: "memory");
}

static inline void irq_enable(void)
{
	asm volatile("sti" ::: "memory");
}

static inline __noreturn void cpu_halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

static inline void wbinvd(void)
{
	asm volatile("wbinvd" ::: "memory");
}

static inline u64 read_gs_base(void)
{
	return rdmsr(MSR_GS_BASE);
}

/* Segment selectors of the host GDT (arch/x86/desc.c). */
#define HOST_CS   0x08
#define HOST_DS   0x10
#define HOST_TSS  0x18

#endif /* ARCH_X86_CPU_H */
