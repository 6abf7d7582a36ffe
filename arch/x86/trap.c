// SPDX-License-Identifier: GPL-2.0
/*
 * Host exceptions and interrupts. An exception in the hypervisor is a bug:
 * arch/x86/fault.c reports it with the registers and a backtrace and
 * stops the machine. The only expected ones are faults at instructions
 * listed in the exception table (rdmsr_safe() and friends), which resume
 * at their fixup. NMIs and machine checks: fault.c and mce.c.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <arch/x86/fault.h>
#include <arch/x86/fault_hooks.h>
#include <arch/x86/mce.h>
#include <drivers/lapic.h>
#include <hv/errno.h>
#include <hv/percpu.h>
#include <pmu/pmu.h>

extern const struct ex_entry __ex_table_start[], __ex_table_end[];

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

void trap_handler(struct trap_frame *f)
{
	if (f->vector == X86_NMI) {
		fault_nmi(f);
		return;
	}
	if (f->vector == X86_MC) {
		mce_handle(f);	/* returns if it was survivable */
		return;
	}
	if (f->vector < VEC_HOST_FIRST) {
		if (fixup(f))
			return;
		fault_exception(f);
	}
#ifdef PV_HOOKS
	if (f->vector == VEC_HOOK) {
		lapic_eoi();
		fault_hook_run();
		return;
	}
#endif
	if (f->vector == VEC_SPURIOUS)
		return;
	if (f->vector == VEC_PMI)
		pmu_host_pmi();
	/* Kicks and stray device interrupts: acknowledge and go on. */
	lapic_eoi();
}
