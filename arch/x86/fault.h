/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine faults (arch/x86/fault.c): a host exception, an NMI nobody
 * here sent, a machine check (arch/x86/mce.c) or a panic is reported on
 * the console with the CPU and its registers; when it is fatal, every
 * other CPU is stopped with an NMI ("cpuN: stopped") and the machine
 * halts. docs/bare-metal.md says what to collect.
 */
#ifndef ARCH_X86_FAULT_H
#define ARCH_X86_FAULT_H

#include <arch/x86/fault_stop.h>
#include <hv/types.h>

struct pcpu;
struct trap_frame;

/* On every CPU after lapic_init_cpu(): the LINT NMI pins, machine checks. */
void fault_cpu_init(void);

/* Vector 2 (host NMI, or a VMX NMI exit passed on by `int $2`). */
void fault_nmi(struct trap_frame *f);
/* An exception in the hypervisor that no fixup covers. */
__noreturn void fault_exception(struct trap_frame *f);

/* The next NMI @cpu takes is one we sent on purpose (PV_HC_TEST_NMI). */
void fault_expect_nmi(struct pcpu *cpu);

/*
 * A fatal event on this CPU (interrupts off from here): STOP_LEAD if it
 * now stops the machine, STOP_NESTED if it already did (a short report,
 * then the rest of that stop), STOP_QUIET if nested too deep (no report);
 * if another CPU stops the machine this one says so and halts instead.
 * A fatal report is: fault_fatal_begin(), the report unless STOP_QUIET,
 * fault_stop_machine().
 */
enum stop_role fault_fatal_begin(void);
/*
 * What is left of the stop (fault_stop.h): the others stopped (NMI),
 * waited for, the one "machine stopped" line; halts. Test mode: exit 1.
 */
__noreturn void fault_stop_machine(void);
/* "cpuN: stopped", then halted with interrupts off for good. */
__noreturn void fault_stop_this_cpu(void);
/* A CPU claimed the machine stop (a panic or fatal fault is under way). */
bool fault_stopping(void);

/* Report output: one CPU's lines together, written to the port at once. */
bool fault_lock(void);		/* true: taken, release with fault_unlock() */
void fault_unlock(void);
void fault_printf(const char *fmt, ...) __printf(1, 2);
/*
 * Whether this CPU's fault_printf() lines also go into the log ring (a
 * report the machine survives); returns the previous setting, to restore.
 */
bool fault_keep(bool on);
/* The general and control registers of @f, then the vCPU this CPU holds. */
void fault_regs(const struct trap_frame *f);

#endif /* ARCH_X86_FAULT_H */
