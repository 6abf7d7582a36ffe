// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmutest (QEMU): counting in a nested SVM guest run here (VMRUN at
 * CPL 0): Host-Only/Guest-Only, exceptions that cut a block short, REP
 * string instructions, the RDPMC intercept.
 */
#include "pmutest.h"

static u8 vmcb[4096] __attribute__((aligned(4096)));
static u8 hsave[4096] __attribute__((aligned(4096)));
static u8 guest_stack[8192] __attribute__((aligned(16)));
u8 rep_buf[300000];

#define VMCB_U32(off)	(*(volatile u32 *)(vmcb + (off)))
#define VMCB_U64(off)	(*(volatile u64 *)(vmcb + (off)))
#define VMCB_U16(off)	(*(volatile u16 *)(vmcb + (off)))

/* Guest programs; each ends in VMMCALL (intercepted, not retired). */
extern const char guest_loop[], guest_pf[], guest_ud[], guest_rep[],
	guest_rep_big[], guest_rdpmc[];
__asm__(".text\n"
	"guest_loop:\n"
	"mov $5000, %rcx\n"
	"2: dec %rcx\n"
	"jnz 2b\n"
	"vmmcall\n"
	/* five nops, then a #GP (non-canonical load) with 40 nops after it */
	"guest_pf:\n"
	"movabs $0x8000000000000000, %rax\n"
	"nop\n nop\n nop\n nop\n nop\n"
	"mov (%rax), %rbx\n"
	".rept 40\n nop\n .endr\n"
	"vmmcall\n"
	"guest_ud:\n"
	"nop\n nop\n nop\n"
	"ud2\n"
	"vmmcall\n"
	/* rep stosb over rep_buf: counts as one instruction */
	"guest_rep:\n"
	"mov $1000, %rcx\n"
	"lea rep_buf(%rip), %rdi\n"
	"rep stosb\n"
	"vmmcall\n"
	"guest_rep_big:\n"
	"mov $300000, %rcx\n"
	"lea rep_buf(%rip), %rdi\n"
	"rep stosb\n"
	"vmmcall\n"
	"guest_rdpmc:\n"
	"xor %ecx, %ecx\n"
	"rdpmc\n"
	"vmmcall\n");

/* Run the guest at @rip once, with GlobalCtl = @mask around VMRUN. */
static u64 run_guest(const char *rip, u64 mask)
{
	u64 rax = (u32)mask;

	VMCB_U64(0x578) = (u64)rip;
	VMCB_U64(0x5d8) = (u64)(guest_stack + sizeof(guest_stack));
	VMCB_U64(0x570) = 2;			/* rflags */
	VMCB_U64(0x70) = 0;
	__asm__ volatile("push %%rbp\n"
			 "push %%rbx\n"
			 "push %%r12\n"
			 "push %%r13\n"
			 "push %%r14\n"
			 "push %%r15\n"
			 "mov %[vmcb], %%rsi\n"
			 "mov $0xc0000301, %%ecx\n"
			 "xor %%edx, %%edx\n"
			 "wrmsr\n"		/* GlobalCtl = mask */
			 "mov %%rsi, %%rax\n"
			 "clgi\n"
			 "vmrun\n"
			 "stgi\n"
			 "mov $0xc0000301, %%ecx\n"
			 "xor %%eax, %%eax\n"
			 "xor %%edx, %%edx\n"
			 "wrmsr\n"
			 "pop %%r15\n"
			 "pop %%r14\n"
			 "pop %%r13\n"
			 "pop %%r12\n"
			 "pop %%rbx\n"
			 "pop %%rbp\n"
			 : "+a"(rax) : [vmcb] "r"((u64)vmcb)
			 : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
			   "memory", "cc");
	return VMCB_U64(0x70);
}

static u16 seg_attr(u16 sel, u64 gdt_base)
{
	u64 d = *(u64 *)(gdt_base + (sel & ~7));

	return ((d >> 40) & 0xff) | (((d >> 52) & 0xf) << 8);
}

static void setup_vmcb(void)
{
	struct dtr gdtr, idtr;
	u16 cs, ds, ss;
	u64 cr0, cr3, cr4;

	SetMem(vmcb, sizeof(vmcb), 0);
	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
	__asm__ volatile("mov %%cs, %0; mov %%ds, %1; mov %%ss, %2"
			 : "=r"(cs), "=r"(ds), "=r"(ss));
	__asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
			 : "=r"(cr0), "=r"(cr3), "=r"(cr4));

	VMCB_U32(0x08) = (1u << 6) | (1u << 13) | (1u << 14);	/* #UD #GP #PF */
	VMCB_U32(0x0c) = (1u << 15) | (1u << 24);		/* RDPMC, HLT */
	VMCB_U32(0x10) = (1u << 0) | (1u << 1);			/* VMRUN, VMMCALL */
	VMCB_U32(0x58) = 1;					/* ASID */

	VMCB_U16(0x410) = cs;
	VMCB_U16(0x412) = seg_attr(cs, gdtr.base);
	VMCB_U32(0x414) = 0xffffffff;
	for (int off = 0x400; off <= 0x430; off += 0x10) {
		if (off == 0x410)
			continue;
		VMCB_U16(off) = off == 0x420 ? ss : ds;
		VMCB_U16(off + 2) = seg_attr(off == 0x420 ? ss : ds, gdtr.base);
		VMCB_U32(off + 4) = 0xffffffff;
	}
	VMCB_U32(0x464) = gdtr.limit;
	VMCB_U64(0x468) = gdtr.base;
	VMCB_U32(0x484) = idtr.limit;
	VMCB_U64(0x488) = idtr.base;
	VMCB_U64(0x4d0) = rdmsr(MSR_EFER);
	VMCB_U64(0x548) = cr4;
	VMCB_U64(0x550) = cr3;
	VMCB_U64(0x558) = cr0;
	VMCB_U64(0x560) = 0x400;				/* DR7 */
	VMCB_U64(0x568) = 0xffff0ff0;				/* DR6 */
	VMCB_U64(0x668) = 0x0007040600070406ul;			/* G_PAT */
}

/*
 * Counters 0-3 stopped and zero, counting instructions at CPL 0 with
 * GuestOnly, HostOnly, neither bit and both bits.
 */
static void four_ways(void)
{
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	wrmsr(PERF_CTL(1), EN | OS | EV_INSNS | HOSTONLY);
	wrmsr(PERF_CTL(2), EN | OS | EV_INSNS);
	wrmsr(PERF_CTL(3), EN | OS | EV_INSNS | HOSTONLY | GUESTONLY);
}

void test_svm(void)
{
	u32 a, b, c, d;
	u64 exit, guest, host, all, both;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	if (!(c & (1u << 2))) {
		check("SVM available for the Host/Guest-Only checks", 0, 1);
		return;
	}

	/* EFER.SVME clear: counters with either bit set count nothing. */
	four_ways();
	counted_loop(0xf, 1000);
	check("SVME=0: GuestOnly counts nothing", rdmsr(PERF_CTR(0)), 0);
	check("SVME=0: HostOnly counts nothing", rdmsr(PERF_CTR(1)), 0);
	check("SVME=0: neither bit counts", rdmsr(PERF_CTR(2)), 2004);
	check("SVME=0: both bits count nothing", rdmsr(PERF_CTR(3)), 0);

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | (1ul << 12));
	wrmsr(MSR_HSAVE, (u64)hsave);
	setup_vmcb();

	/* SVME=1, host only: the same loop. */
	four_ways();
	counted_loop(0xf, 1000);
	check("SVME=1 in host: GuestOnly counts nothing", rdmsr(PERF_CTR(0)), 0);
	check("SVME=1 in host: HostOnly counts", rdmsr(PERF_CTR(1)), 2004);
	check("SVME=1 in host: both bits count", rdmsr(PERF_CTR(3)), 2004);

	/* A guest loop: 1 + 2 * 5000 guest instructions retire. */
	four_ways();
	exit = run_guest(guest_loop, 0xf);
	check("guest loop exits with VMMCALL", exit, 0x81);
	guest = rdmsr(PERF_CTR(0));
	host = rdmsr(PERF_CTR(1));
	all = rdmsr(PERF_CTR(2));
	both = rdmsr(PERF_CTR(3));
	check("GuestOnly counts the guest loop exactly", guest, 1 + 2 * 5000);
	check("HostOnly + GuestOnly = neither bit", host + guest, all);
	check("both bits = neither bit", both, all);
	check("HostOnly counts the host around VMRUN: mov clgi vmrun stgi mov xor xor wrmsr",
	      host, 8);

	/* An exception in the middle of a block: nothing after it counts. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	exit = run_guest(guest_pf, 0x1);
	check("guest #GP intercepted", exit, 0x40 + 13);
	check("guest #GP: the 40 instructions after it do not count", rdmsr(PERF_CTR(0)), 6);

	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	exit = run_guest(guest_ud, 0x1);
	check("guest #UD intercepted", exit, 0x40 + 6);
	check("guest #UD: ud2 itself does not retire", rdmsr(PERF_CTR(0)), 3);

	/* REP string instructions retire once. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	exit = run_guest(guest_rep, 0x1);
	check("guest rep stosb exits with VMMCALL", exit, 0x81);
	check("rep stosb x1000 is one instruction", rdmsr(PERF_CTR(0)), 3);
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	exit = run_guest(guest_rep_big, 0x1);
	check("rep stosb x300000 (several blocks) is one instruction", rdmsr(PERF_CTR(0)), 3);

	/* RDPMC intercept. */
	pmu_clear();
	exit = run_guest(guest_rdpmc, 0x1);
	check("RDPMC in the guest is intercepted (exit 0x6f)", exit, 0x6f);
	VMCB_U32(0x0c) &= ~(1u << 15);
	exit = run_guest(guest_rdpmc, 0x1);
	check("RDPMC in the guest without intercept runs", exit, 0x81);

	pmu_clear();
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(1ul << 12));
}
