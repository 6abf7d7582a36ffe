// SPDX-License-Identifier: GPL-2.0
/*
 * Console output, the writing side. Only the boot CPU ever waits for the
 * serial port:
 *
 * - the hypervisor's own text (log lines, shell output) goes into the host
 *   ring, from any CPU;
 * - each guest's UART output goes into the guest's own ring (vm->out,
 *   hv/out_ring.h), from its vCPUs, without waiting. A full ring drops the
 *   guest's new bytes and counts them (vm->out.lost, shown by `vms`): a
 *   guest that writes faster than the port sends loses its own output,
 *   never anyone else's time;
 * - the boot CPU drains the rings every console tick
 *   (hv/console_out_drain.c).
 *
 * Before the console loop runs, and once the machine is going down
 * (console_emergency), text is written at once.
 */
#include <drivers/uart16550.h>
#include <hv/console.h>
#include <hv/console_out_impl.h>
#include <hv/errno.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/vm.h>

spinlock_t con_host_lock = SPINLOCK_INIT;
char *con_host_ring;
u64 con_host_head, con_host_sent;
u64 con_host_lost;

struct barrier con_barriers[NR_BARRIERS];
u32 con_bar_head, con_bar_tail;

#define NOW_LOCK_SPINS (1u << 20)	/* how long a bounded wait for con_tx_lock tries */

static volatile bool async_on;
volatile bool con_emergency;

/* ---- writing ---- */

static void write_sync(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

/*
 * After console_emergency() every CPU writes straight to the port (a fault
 * report, "stopped" lines, the prompt): one write at a time, not mixed.
 */
static spinlock_t emergency_lock = SPINLOCK_INIT;

static void write_emergency(const char *s, size_t n)
{
	bool locked = spin_trylock_for(&emergency_lock, NOW_LOCK_SPINS);

	write_sync(s, n);
	if (locked)
		spin_unlock(&emergency_lock);
}

/* The guest whose vCPU this CPU runs, if any. */
static struct vm *running_vm(void)
{
	struct vcpu *v;

	if (!percpu_ready || this_cpu_index() == 0)
		return NULL;
	v = this_cpu()->current;
	return v ? v->vm : NULL;
}

/* Appends @s (with "\n" made "\r\n" if @crlf), all of it or nothing. */
bool con_host_put(const char *s, size_t n, bool crlf)
{
	struct vm *vm = crlf ? running_vm() : NULL;
	size_t need = n;
	bool ok;

	if (crlf)
		for (size_t i = 0; i < n; i++)
			need += s[i] == '\n';
	spin_lock(&con_host_lock);
	ok = con_host_head + need - con_host_sent <= HOST_RING_SIZE;
	if (ok && vm && con_bar_head - __atomic_load_n(&con_bar_tail, __ATOMIC_ACQUIRE) <
			NR_BARRIERS)
		con_barriers[con_bar_head++ % NR_BARRIERS] = (struct barrier){
			con_host_head, vm, __atomic_load_n(&vm->out.head,
						       __ATOMIC_ACQUIRE) };
	for (size_t i = 0; ok && i < n; i++) {
		if (crlf && s[i] == '\n')
			con_host_ring[con_host_head++ % HOST_RING_SIZE] = '\r';
		con_host_ring[con_host_head++ % HOST_RING_SIZE] = s[i];
	}
	spin_unlock(&con_host_lock);
	return ok;
}

void console_write(const char *s, size_t n)
{
	if (con_emergency) {
		write_emergency(s, n);
		return;
	}
	if (!async_on) {
		spin_lock(&con_tx_lock);
		write_sync(s, n);
		spin_unlock(&con_tx_lock);
		return;
	}
	if (con_host_put(s, n, true))
		return;
	if (this_cpu_index() != 0) {
		/* Never wait for the port here: the boot CPU says what was lost. */
		__atomic_fetch_add(&con_host_lost, n, __ATOMIC_RELAXED);
		return;
	}
	console_flush_host();
	if (con_host_put(s, n, true))
		return;
	spin_lock(&con_tx_lock);		/* longer than the whole ring */
	write_sync(s, n);
	spin_unlock(&con_tx_lock);
}

void console_puts(const char *s)
{
	console_write(s, strlen(s));
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

void console_out_start(void)
{
	con_host_ring = page_alloc(HOST_RING_SIZE);
	async_on = con_host_ring != NULL;	/* else: every write waits */
}

void console_write_now(const char *s, size_t n)
{
	bool locked;

	if (con_emergency) {
		write_emergency(s, n);
		return;
	}
	if (!percpu_ready) {
		write_sync(s, n);
		return;
	}
	/* A chunk in flight goes out first: the text lands after it. */
	locked = spin_trylock_for(&con_tx_lock, NOW_LOCK_SPINS);
	write_sync(s, n);
	if (locked)
		spin_unlock(&con_tx_lock);
}

/* ---- guest output ---- */

int console_vm_init(struct vm *vm)
{
	vm->out_lock = (spinlock_t)SPINLOCK_INIT;
	vm->out = (struct out_ring){ .buf = page_alloc(OUT_RING_SIZE),
				     .size = OUT_RING_SIZE };
	return vm->out.buf ? 0 : -ENOMEM;
}

/* From the guest's vCPUs: never waits for anything but this guest. */
void console_guest_putc(struct vm *vm, char c)
{
	spin_lock(&vm->out_lock);
	out_ring_put(&vm->out, c);
	spin_unlock(&vm->out_lock);
}
