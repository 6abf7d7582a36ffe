/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection for the console tests, only in the test build
 * build/perfvisor-hooks.efi (-DPV_HOOKS), never in the product binary:
 * the shell's `fault KIND [CPU]` raises a host exception on a CPU, or
 * sends it an NMI that reads as PCI SERR# / IOCHK# / 0xff in port 0x61;
 * `fault nested [CPU]` is #UD followed by a panic on the same CPU while
 * it stops the machine.
 */
#ifndef ARCH_X86_FAULT_HOOKS_H
#define ARCH_X86_FAULT_HOOKS_H

#include <hv/types.h>

#ifdef PV_HOOKS
/* The shell command. */
void cmd_fault(int argc, char **argv);
/* VEC_HOOK on the target CPU: raises the exception asked for. */
void fault_hook_run(void);
/* True once on the CPU `fault nested` raised #UD on: panic in its report. */
bool fault_hook_nested(void);
/* True once for an NMI `fault serr|iochk|noport` sent: *@reason is port 0x61's. */
bool fault_hook_nmi_reason(u8 *reason);
#endif

#endif /* ARCH_X86_FAULT_HOOKS_H */
