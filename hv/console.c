// SPDX-License-Identifier: GPL-2.0
/*
 * The physical serial console. Output: hypervisor log lines and guest UART
 * output. The guest named by `console =` is attached: its bytes pass raw
 * and it gets the keyboard. Other guests' output is shown line by line
 * with the guest's name in front, so that several guests stay readable.
 */
#include <arch/x86/cpu.h>
#include <drivers/lapic.h>
#include <drivers/uart16550.h>
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/testmode.h>
#include <hv/vm.h>
#include <hv/vuart.h>

#define CONSOLE_POLL_US 1000

static spinlock_t out_lock = SPINLOCK_INIT;
static struct vm *attached;

static void write_raw(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

void console_write(const char *s, size_t n)
{
	spin_lock(&out_lock);
	write_raw(s, n);
	spin_unlock(&out_lock);
}

void console_puts(const char *s)
{
	console_write(s, strlen(s));
}

static void flush_line(struct vm *vm)
{
	spin_lock(&out_lock);
	write_raw("[", 1);
	write_raw(vm->name, strlen(vm->name));
	write_raw("] ", 2);
	write_raw(vm->line, vm->line_len);
	write_raw("\n", 1);
	spin_unlock(&out_lock);
	vm->line_len = 0;
}

void console_guest_putc(struct vm *vm, char c)
{
	if (vm == attached) {
		spin_lock(&out_lock);
		uart_putc(c);
		spin_unlock(&out_lock);
		return;
	}
	if (c == '\r')
		return;
	if (c == '\n') {
		flush_line(vm);
		return;
	}
	vm->line[vm->line_len++] = c;
	if (vm->line_len == sizeof(vm->line))
		flush_line(vm);
}

static void attach_configured(void)
{
	const char *want = boot_info->cfg.console;

	if (!*want)
		return;
	for (u32 i = 0; i < nr_vms; i++) {
		if (!strcmp(vms[i]->name, want)) {
			attached = vms[i];
			pr_info("console attached to vm %s\n", want);
			return;
		}
	}
	pr_warn("console: no running vm named '%s'\n", want);
}

static void poll_input(void)
{
	int c = uart_getc();

	if (c < 0)
		return;
	if (attached && attached->state == VM_RUNNING)
		vuart_receive(attached, (u8)c);
}

void console_loop(void)
{
	bool all_done_reported = false;

	attach_configured();
	for (;;) {
		bool running = false;

		poll_input();
		for (u32 i = 0; i < nr_vms; i++)
			if (vms[i]->state == VM_RUNNING)
				running = true;
		if (boot_info->cfg.mode == CFG_MODE_TEST)
			testmode_poll();
		else if (!running && !all_done_reported) {
			pr_info("no guest is running\n");
			all_done_reported = true;
		}
		/* Sleep until the next poll: 115200 baud fills 16 bytes in 1.4 ms. */
		lapic_timer_oneshot_us(CONSOLE_POLL_US);
		sched_idle();
	}
}
