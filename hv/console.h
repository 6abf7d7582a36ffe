/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The physical serial console: output from the hypervisor log and from the
 * guest attached to it, input for the hypervisor shell or that guest.
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <hv/types.h>

struct vm;

/* Raw output to the physical console, serialised between CPUs. */
void console_write(const char *s, size_t n);
void console_puts(const char *s);

/* One byte of guest UART output: echoed raw or buffered, see console.c. */
void console_guest_putc(struct vm *vm, char c);

/* printf to the console (not the log). */
void console_printf(const char *fmt, ...) __printf(1, 2);

/* Gives the console to @vm, or to the hypervisor shell if NULL. */
void console_focus(struct vm *vm);
struct vm *console_focused(void);

/* The control loop of the boot CPU: shell, guest supervision. */
__noreturn void console_loop(void);

#endif /* HV_CONSOLE_H */
