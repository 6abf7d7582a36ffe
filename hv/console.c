// SPDX-License-Identifier: GPL-2.0
/*
 * The physical serial console, shared by the hypervisor shell and the
 * guests. The console has one focus: the shell, or one guest.
 *
 * - A focused guest's UART output passes raw and it gets the keyboard.
 * - With the shell in focus, guest output is shown line by line with the
 *   guest's name in front, so several guests stay readable.
 * - Every guest's output is also kept in a ring, replayed when it gains
 *   the focus.
 * - Ctrl-A is the escape key: Ctrl-A h (or 0) the shell, Ctrl-A 1..9 the
 *   n-th guest, Ctrl-A n the next guest, Ctrl-A Ctrl-A a literal Ctrl-A,
 *   Ctrl-A ? help.
 */
#include <arch/x86/cpu.h>
#include <drivers/lapic.h>
#include <drivers/uart16550.h>
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/sched.h>
#include <hv/shell.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/testmode.h>
#include <hv/vm.h>
#include <hv/vpit.h>
#include <hv/vuart.h>

#define CONSOLE_POLL_US 1000	/* 115200 baud fills 16 bytes in 1.4 ms */
#define OUT_RING_SIZE   (16 * KiB)
#define REPLAY_BYTES    (4 * KiB)
#define ESCAPE          0x01	/* Ctrl-A */

static spinlock_t out_lock = SPINLOCK_INIT;
static struct vm *volatile focus;	/* NULL: the hypervisor shell */
static bool escape_pending;

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

/* Called with out_lock held. */
static void flush_line(struct vm *vm)
{
	write_raw("[", 1);
	write_raw(vm->name, strlen(vm->name));
	write_raw("] ", 2);
	write_raw(vm->line, vm->line_len);
	write_raw("\n", 1);
	vm->line_len = 0;
}

/* The ring is allocated outside the lock: the allocator may log. */
static void ring_alloc(struct vm *vm)
{
	char *ring = page_alloc(OUT_RING_SIZE);
	char *none = NULL;

	if (ring && !__atomic_compare_exchange_n(&vm->out_ring, &none, ring,
						 false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
		page_free(ring, OUT_RING_SIZE);
}

/*
 * Several vCPUs of a guest may write its UART at once: the line buffer
 * and the ring are only touched under out_lock.
 */
void console_guest_putc(struct vm *vm, char c)
{
	if (!vm->out_ring)
		ring_alloc(vm);
	spin_lock(&out_lock);
	if (vm->out_ring)
		vm->out_ring[vm->out_pos++ % OUT_RING_SIZE] = c;
	/* Shell in focus: named lines; another guest in focus: ring only. */
	if (vm == focus) {
		uart_putc(c);
	} else if (!focus && c != '\r') {
		if (c == '\n' || vm->line_len == sizeof(vm->line))
			flush_line(vm);
		if (c != '\n')
			vm->line[vm->line_len++] = c;
	}
	spin_unlock(&out_lock);
}

static void replay(struct vm *vm)
{
	u64 n = vm->out_pos < REPLAY_BYTES ? vm->out_pos : REPLAY_BYTES;

	if (!vm->out_ring)
		return;
	spin_lock(&out_lock);
	for (u64 i = vm->out_pos - n; i < vm->out_pos; i++)
		uart_putc(vm->out_ring[i % OUT_RING_SIZE]);
	spin_unlock(&out_lock);
}

void console_focus(struct vm *vm)
{
	focus = vm;
	if (vm) {
		console_printf("\n[console: vm %s; Ctrl-A h for the hypervisor shell]\n",
			       vm->name);
		replay(vm);
	} else {
		console_printf("\n[console: hypervisor shell; Ctrl-A ? for keys]\n");
		shell_prompt();
	}
}

struct vm *console_focused(void)
{
	return focus;
}

static void escape_key(int c)
{
	escape_pending = false;
	if (c == ESCAPE) {
		if (focus && focus->state == VM_RUNNING)
			vuart_receive(focus, ESCAPE);
		return;
	}
	if (c == 'h' || c == '0') {
		console_focus(NULL);
	} else if (c >= '1' && c <= '9') {
		u32 i = c - '1';

		if (i < nr_vms)
			console_focus(vms[i]);
	} else if (c == 'n' && nr_vms) {
		u32 next = 0;

		for (u32 i = 0; i < nr_vms; i++)
			if (vms[i] == focus)
				next = (i + 1) % nr_vms;
		console_focus(vms[next]);
	} else if (c == '?') {
		console_printf("\n[Ctrl-A then: h shell, 1-9 guest n, n next guest, Ctrl-A literal Ctrl-A]\n");
	}
}

static void poll_input(void)
{
	int c;

	while ((c = uart_getc()) >= 0) {
		if (escape_pending)
			escape_key(c);
		else if (c == ESCAPE)
			escape_pending = true;
		else if (focus)
			vuart_receive(focus, (u8)c);
		else
			shell_input((char)c);
	}
}

static void attach_configured(void)
{
	const char *want = boot_info->cfg.console;

	if (!*want)
		return;
	for (u32 i = 0; i < nr_vms; i++) {
		if (!strcmp(vms[i]->name, want)) {
			console_focus(vms[i]);
			return;
		}
	}
	pr_warn("console: no running vm named '%s'\n", want);
}

void console_loop(void)
{
	bool all_done_reported = false;
	bool test = boot_info->cfg.mode == CFG_MODE_TEST;

	if (!test) {
		console_printf("perfvisor: Ctrl-A h for the hypervisor shell, Ctrl-A ? for keys\n");
		attach_configured();
	}
	for (;;) {
		bool running = false;

		if (!test)
			poll_input();
		vm_restart_poll();
		for (u32 i = 0; i < nr_vms; i++) {
			if (vms[i]->state == VM_RUNNING)
				vpit_poll(vms[i]);
			if (vms[i]->state == VM_RUNNING ||
			    vms[i]->restart_pending)
				running = true;
		}
		if (test) {
			testmode_poll();
		} else if (!running && !all_done_reported) {
			pr_info("no guest is running\n");
			all_done_reported = true;
			if (!focus)
				shell_prompt();
		} else if (running) {
			all_done_reported = false;
		}
		lapic_timer_oneshot_us(CONSOLE_POLL_US);
		sched_idle();
	}
}

void console_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
