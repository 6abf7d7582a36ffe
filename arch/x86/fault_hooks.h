/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection for the console tests, only in the test build
 * build/perfvisor-hooks.efi (-DPV_HOOKS), never in the product binary:
 * the shell's `fault KIND [CPU]` raises a host exception on a CPU.
 */
#ifndef ARCH_X86_FAULT_HOOKS_H
#define ARCH_X86_FAULT_HOOKS_H

#ifdef PV_HOOKS
/* The shell command. */
void cmd_fault(int argc, char **argv);
/* VEC_HOOK on the target CPU: raises the exception asked for. */
void fault_hook_run(void);
#endif

#endif /* ARCH_X86_FAULT_HOOKS_H */
