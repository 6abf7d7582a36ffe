// SPDX-License-Identifier: GPL-2.0
/*
 * Console output, the draining side: the boot CPU sends the rings
 * hv/console_out.c fills every console tick (console_out_poll), as many
 * bytes as the transmitter takes without waiting, at most TX_BUDGET, the
 * host ring first. With the shell in focus each guest's output is shown
 * line by line with its name in front, one line per guest in turn,
 * control bytes escaped (hv/console_text.h); a guest with the console gets
 * its bytes through raw, the others' are only kept.
 *
 * The rings keep the recent output too: a guest that gains the focus gets
 * its last REPLAY_BYTES replayed. console_emergency() sends what is queued
 * at once; from then on every write goes straight to the port.
 */
#include <arch/x86/cpu.h>
#include <drivers/uart16550.h>
#include <hv/console.h>
#include <hv/console_out_impl.h>
#include <hv/console_text.h>
#include <hv/printf.h>
#include <hv/spinlock.h>
#include <hv/time.h>
#include <hv/vm.h>

#define REPLAY_BYTES   (4 * KiB)
#define TX_SIZE        1024	/* one chunk: an escaped prefixed line fits */
#define TX_BUDGET      1024	/* bytes per tick at most */
#define FLUSH_STALL_MS 2000	/* a port that takes nothing for this long is dead */

static u64 host_lost_shown;

/* The transmitter: the chunk being sent, and whose turn is next. */
spinlock_t con_tx_lock = SPINLOCK_INIT;
static char tx[TX_SIZE];
static u32 tx_len, tx_pos;
static u32 next_guest;

static struct vm *volatile focus;	/* NULL: the hypervisor shell */

/* Output nobody is shown is only kept for the replay. */
static void guest_skip(struct vm *vm)
{
	out_ring_skip(&vm->out);
	vm->line_len = 0;
}

/* ---- draining: the boot CPU, con_tx_lock held ---- */

static void tx_set(u32 n)
{
	tx_len = n;
	tx_pos = 0;
}

static bool take_guest_until(struct vm *vm, u64 pos);

static bool take_host(void)
{
	u64 lost = __atomic_load_n(&con_host_lost, __ATOMIC_RELAXED), limit;
	u32 n = 0;

	for (;;) {
		struct barrier b;
		bool due;

		spin_lock(&con_host_lock);
		due = con_bar_tail != con_bar_head &&
		      con_barriers[con_bar_tail % NR_BARRIERS].host_pos == con_host_sent;
		if (due)
			b = con_barriers[con_bar_tail % NR_BARRIERS];
		spin_unlock(&con_host_lock);
		if (!due)
			break;
		if (take_guest_until(b.vm, b.guest_pos))
			return true;
		__atomic_store_n(&con_bar_tail, con_bar_tail + 1, __ATOMIC_RELEASE);
	}
	if (lost != host_lost_shown) {
		n = hv_snprintf(tx, TX_SIZE,
				"[console: %llu bytes of hypervisor output lost]\r\n",
				(unsigned long long)(lost - host_lost_shown));
		host_lost_shown = lost;
	}
	spin_lock(&con_host_lock);
	limit = con_bar_tail != con_bar_head ?
		con_barriers[con_bar_tail % NR_BARRIERS].host_pos : con_host_head;
	while (con_host_sent != limit && n < TX_SIZE)
		tx[n++] = con_host_ring[con_host_sent++ % HOST_RING_SIZE];
	spin_unlock(&con_host_lock);
	tx_set(n);
	return n;
}

/* The focused guest: its bytes as they are. */
static bool take_raw(struct vm *vm)
{
	u32 n = 0;
	int c;

	while (n < TX_SIZE && (c = out_ring_get(&vm->out)) >= 0)
		tx[n++] = (char)c;
	tx_set(n);
	return n;
}

static void format_line(struct vm *vm)
{
	u32 n = hv_snprintf(tx, TX_SIZE, "[%s] ", vm->name);

	for (u32 i = 0; i < vm->line_len; i++)
		n += console_escape_byte((u8)vm->line[i], tx + n);
	tx[n++] = '\r';
	tx[n++] = '\n';
	vm->line_len = 0;
	tx_set(n);
}

/* The shell's view: true once a whole line of @vm is in tx. */
static bool take_line(struct vm *vm)
{
	bool done = false;
	int c;

	while (!done && (c = out_ring_get(&vm->out)) >= 0) {
		if (c == '\n')
			done = true;
		else if (c != '\r')
			vm->line[vm->line_len++] = (char)c;
		if (vm->line_len == sizeof(vm->line))
			done = true;
	}
	if (done)
		format_line(vm);
	return done;
}

/* Before a barrier: @vm's output up to @pos, a line cut short included. */
static bool take_guest_until(struct vm *vm, u64 pos)
{
	struct vm *f = focus;
	u32 n = 0;
	int c;

	if ((s64)(vm->out.sent - pos) >= 0 && !(!f && vm->line_len))
		return false;
	if (f && vm != f) {
		guest_skip(vm);
		return false;
	}
	if (f) {
		while (n < TX_SIZE && (s64)(vm->out.sent - pos) < 0 &&
		       (c = out_ring_get(&vm->out)) >= 0)
			tx[n++] = (char)c;
		tx_set(n);
		return n;
	}
	if ((s64)(vm->out.sent - pos) < 0 && take_line(vm))
		return true;
	if (!vm->line_len)
		return false;
	format_line(vm);
	return true;
}

static bool refill(void)
{
	struct vm *f = focus;

	if (take_host())
		return true;
	if (f)
		return take_raw(f);
	for (u32 i = 0; i < nr_vms; i++) {
		u32 k = (next_guest + i) % nr_vms;

		if (take_line(vms[k])) {
			next_guest = k + 1;
			return true;
		}
	}
	return false;
}

static void skip_hidden(void)
{
	struct vm *f = focus;

	if (!f)
		return;
	for (u32 i = 0; i < nr_vms; i++)
		if (vms[i] != f)
			guest_skip(vms[i]);
}

void console_out_poll(void)
{
	u32 budget = TX_BUDGET;

	spin_lock(&con_tx_lock);
	skip_hidden();
	while (budget) {
		u32 n;

		if (tx_pos == tx_len && !refill())
			break;
		n = MIN(MIN(uart_tx_room(), tx_len - tx_pos), budget);
		if (!n)
			break;
		for (u32 i = 0; i < n; i++)
			uart_tx(tx[tx_pos++]);
		budget -= n;
	}
	spin_unlock(&con_tx_lock);
}

/*
 * Waits until the transmitter takes a byte; false once it has taken none
 * for FLUSH_STALL_MS since @last (then it is taken for dead: nobody reads
 * the port, or there is no UART).
 */
static bool tx_wait(u64 *last)
{
	for (;;) {
		u32 room = uart_tx_room();

		if (room) {
			*last = rdtsc();
			return true;
		}
		if (rdtsc() - *last > us_to_tsc(FLUSH_STALL_MS * 1000ULL))
			return false;
		cpu_relax();
	}
}

/*
 * Sends what is queued, waiting for the port: the chunk in flight and the
 * host ring, and with @guests also every complete guest line (at most what
 * the rings hold now, so a guest that goes on writing cannot keep us
 * here). Gives up if the port stops taking bytes.
 */
static void flush(bool guests)
{
	u64 limit = TX_SIZE + HOST_RING_SIZE +
		    (guests ? (u64)nr_vms * (OUT_RING_SIZE + TX_SIZE) : 0);
	u64 last = rdtsc();

	spin_lock(&con_tx_lock);
	skip_hidden();
	while (limit--) {
		if (tx_pos == tx_len && !(guests ? refill() : take_host()))
			break;
		if (!tx_wait(&last))
			break;
		uart_tx(tx[tx_pos++]);
	}
	spin_unlock(&con_tx_lock);
}

void console_flush(void)
{
	flush(true);
}

void console_flush_host(void)
{
	flush(false);
}

void console_emergency(void)
{
	if (__atomic_exchange_n(&con_emergency, true, __ATOMIC_ACQ_REL))
		return;
	/* What is queued goes first, unless its owner stopped mid-write. */
	if (!spin_trylock_for(&con_tx_lock, 1000000))
		return;
	while (tx_pos < tx_len && uart_putc(tx[tx_pos++]))
		;
	while (con_host_sent != con_host_head &&
	       uart_putc(con_host_ring[con_host_sent++ % HOST_RING_SIZE]))
		;
	spin_unlock(&con_tx_lock);
}

/* ---- focus ---- */

struct vm *console_focused(void)
{
	return focus;
}

/* The last REPLAY_BYTES of @vm's output, queued raw after the banner. */
static void replay(struct vm *vm)
{
	static char buf[REPLAY_BYTES];
	u32 n;

	spin_lock(&vm->out_lock);
	n = out_ring_recent(&vm->out, buf, REPLAY_BYTES);
	spin_unlock(&vm->out_lock);
	if (!con_host_put(buf, n, false)) {
		console_flush_host();
		con_host_put(buf, n, false);
	}
}

void console_out_focus(struct vm *vm)
{
	spin_lock(&con_tx_lock);
	focus = vm;
	for (u32 i = 0; i < nr_vms; i++)
		guest_skip(vms[i]);
	spin_unlock(&con_tx_lock);
	if (vm)
		replay(vm);
}
