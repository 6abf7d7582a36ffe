/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The physical serial console: output from the hypervisor and the guests
 * (hv/console_out.c queues it, hv/console_out_drain.c sends it), input for
 * the hypervisor shell or the guest that has the console (hv/console.c).
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <hv/types.h>

struct vm;

/* Hypervisor text for the console, from any CPU; never waits elsewhere than on the boot CPU. */
void console_write(const char *s, size_t n);
void console_puts(const char *s);
/* printf to the console (not the log). */
void console_printf(const char *fmt, ...) __printf(1, 2);

/* The guest's output ring, at creation. */
int console_vm_init(struct vm *vm);
/* One byte of guest UART output, into the guest's ring. */
void console_guest_putc(struct vm *vm, char c);

/* Boot CPU: sends queued output as far as the port takes it now. */
void console_out_poll(void);
/* Boot CPU: sends everything queued, waiting for the port (bounded). */
void console_flush(void);
/* The same for the hypervisor's own text only. */
void console_flush_host(void);
/* From now on output is queued and drained by the boot CPU (before the
 * guests start). */
void console_out_start(void);
/* The machine is going down: queued text out, then everything at once. */
void console_emergency(void);
/*
 * Written to the port now, bypassing the queues and their locks, for a
 * machine-fault report from an NMI or exception handler (arch/x86/fault.c).
 */
void console_write_now(const char *s, size_t n);
/* Switches the output view (console_focus() says so first). */
void console_out_focus(struct vm *vm);

/* Gives the console to @vm, or to the hypervisor shell if NULL. */
void console_focus(struct vm *vm);
struct vm *console_focused(void);

/* The console's escape key (`escape =`, default Ctrl-A) and its name. */
u8 console_escape_key(void);
const char *console_escape_name(void);

/* Boot CPU: the banner and the configured guest attached. */
void console_start(void);
/* Boot CPU: keyboard input for the shell or the focused guest. */
void console_poll_input(void);

#endif /* HV_CONSOLE_H */
