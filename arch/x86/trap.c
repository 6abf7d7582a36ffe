// SPDX-License-Identifier: GPL-2.0
/*
 * Host exceptions and interrupts. An exception in the hypervisor is a bug:
 * print the registers and a frame-pointer backtrace, then panic. The only
 * expected ones are faults at instructions listed in the exception table
 * (rdmsr_safe() and friends), which resume at their fixup.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <drivers/lapic.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <pmu/pmu.h>

extern const struct ex_entry __ex_table_start[], __ex_table_end[];

static const char *const exc_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection",
};

static bool fixup(struct trap_frame *f)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end;
	     e++) {
		u64 insn = (u64)&e->insn + e->insn;

		if (insn == f->rip) {
			f->rip = (u64)&e->fixup + e->fixup;
			return true;
		}
	}
	return false;
}

int rdmsr_safe(u32 msr, u64 *val)
{
	u32 lo = 0, hi = 0;
	int err = -EIO;

	asm volatile("1: rdmsr\n\t"
		     "xorl %2, %2\n"
		     "2:\n\t"
		     ".pushsection .ex_table, \"a\"\n\t"
		     ".balign 4\n\t"
		     ".long 1b - ., 2b - .\n\t"
		     ".popsection"
		     : "=a"(lo), "=d"(hi), "+r"(err)
		     : "c"(msr));
	*val = ((u64)hi << 32) | lo;
	return err;
}

int wrmsr_safe(u32 msr, u64 val)
{
	int err = -EIO;

	asm volatile("1: wrmsr\n\t"
		     "xorl %0, %0\n"
		     "2:\n\t"
		     ".pushsection .ex_table, \"a\"\n\t"
		     ".balign 4\n\t"
		     ".long 1b - ., 2b - .\n\t"
		     ".popsection"
		     : "+r"(err)
		     : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
		     : "memory");
	return err;
}

static void backtrace(u64 rbp)
{
	pr_err("backtrace:\n");
	for (int depth = 0; depth < 16 && rbp && IS_ALIGNED(rbp, 8); depth++) {
		u64 *frame = (u64 *)rbp;

		if (!frame[1])
			break;
		pr_err("  [%d] %016llx\n", depth, (unsigned long long)frame[1]);
		rbp = frame[0];
	}
}

static __noreturn void fatal(struct trap_frame *f)
{
	const char *name = f->vector < 32 ? exc_names[f->vector] : "interrupt";

	console_emergency();	/* no queue: the next lines must get out */
	pr_err("host exception %llu (%s) error %#llx\n",
	       (unsigned long long)f->vector, name ? name : "reserved",
	       (unsigned long long)f->error);
	pr_err("rip %016llx cs %04llx rflags %08llx rsp %016llx ss %04llx\n",
	       (unsigned long long)f->rip, (unsigned long long)f->cs,
	       (unsigned long long)f->rflags, (unsigned long long)f->rsp,
	       (unsigned long long)f->ss);
	pr_err("rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
	       (unsigned long long)f->rax, (unsigned long long)f->rbx,
	       (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	pr_err("rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n",
	       (unsigned long long)f->rsi, (unsigned long long)f->rdi,
	       (unsigned long long)f->rbp, (unsigned long long)f->r8);
	pr_err("r9  %016llx r10 %016llx r11 %016llx r12 %016llx\n",
	       (unsigned long long)f->r9, (unsigned long long)f->r10,
	       (unsigned long long)f->r11, (unsigned long long)f->r12);
	pr_err("r13 %016llx r14 %016llx r15 %016llx cr2 %016llx\n",
	       (unsigned long long)f->r13, (unsigned long long)f->r14,
	       (unsigned long long)f->r15, (unsigned long long)read_cr2());
	pr_err("cr0 %016llx cr3 %016llx cr4 %016llx\n",
	       (unsigned long long)read_cr0(), (unsigned long long)read_cr3(),
	       (unsigned long long)read_cr4());
	backtrace(f->rbp);
	panic("unexpected host exception");
}

void trap_handler(struct trap_frame *f)
{
	if (f->vector == X86_NMI) {
		/* Host NMIs are only used to stop CPUs on panic for now. */
		if (percpu_ready)
			this_cpu()->host_nmis++;
		if (panic_in_progress())
			cpu_halt_forever();
		return;
	}
	if (f->vector < VEC_HOST_FIRST) {
		if (fixup(f))
			return;
		fatal(f);
	}
	if (f->vector == VEC_SPURIOUS)
		return;
	if (f->vector == VEC_PMI)
		pmu_host_pmi();
	/* Kicks and stray device interrupts: acknowledge and go on. */
	lapic_eoi();
}
