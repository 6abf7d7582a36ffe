// SPDX-License-Identifier: GPL-2.0
/*
 * Console output. Only the boot CPU ever waits for the serial port:
 *
 * - the hypervisor's own text (log lines, shell output) goes into the host
 *   ring, from any CPU;
 * - each guest's UART output goes into the guest's own ring (vm->out,
 *   hv/out_ring.h), from its vCPUs, without waiting. A full ring drops the
 *   guest's new bytes and counts them (vm->out.lost, shown by `vms`): a
 *   guest that writes faster than the port sends loses its own output,
 *   never anyone else's time;
 * - the boot CPU drains the rings every console tick (console_out_poll):
 *   as many bytes as the transmitter takes without waiting, at most
 *   TX_BUDGET, the host ring first. With the shell in focus each guest's
 *   output is shown line by line with its name in front, one line per
 *   guest in turn, control bytes escaped (hv/console_text.h); a guest with
 *   the console gets its bytes through raw, the others' are only kept.
 *
 * The rings keep the recent output too: a guest that gains the focus gets
 * its last REPLAY_BYTES replayed. Before the console loop runs, and once
 * the machine is going down (console_emergency), text is written at once.
 */
#include <arch/x86/cpu.h>
#include <drivers/uart16550.h>
#include <hv/console.h>
#include <hv/console_text.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/vm.h>

#define OUT_RING_SIZE  (16 * KiB)	/* per guest */
#define HOST_RING_SIZE (64 * KiB)
#define REPLAY_BYTES   (4 * KiB)
#define TX_SIZE        1024	/* one chunk: an escaped prefixed line fits */
#define TX_BUDGET      1024	/* bytes per tick at most */
#define FLUSH_STALL_MS 2000	/* a port that takes nothing for this long is dead */

static spinlock_t host_lock = SPINLOCK_INIT;
static char *host_ring;		/* exact bytes: "\n" is "\r\n" */
static u64 host_head, host_sent;
static u64 host_lost, host_lost_shown;

/*
 * A line logged on a CPU running a vCPU comes after what that guest wrote
 * before it: the drainer sends the guest's output up to guest_pos before
 * the host ring's bytes from host_pos on. Best effort: when all are in use,
 * a line gets no barrier.
 */
#define NR_BARRIERS 32
struct barrier {
	u64 host_pos;
	struct vm *vm;
	u64 guest_pos;
};
static struct barrier barriers[NR_BARRIERS];
static u32 bar_head, bar_tail;		/* bar_tail: the drainer's */

/* The transmitter: the chunk being sent, and whose turn is next. */
static spinlock_t tx_lock = SPINLOCK_INIT;
#define NOW_LOCK_SPINS (1u << 20)	/* how long a bounded wait for tx_lock tries */
static char tx[TX_SIZE];
static u32 tx_len, tx_pos;
static u32 next_guest;

static struct vm *volatile focus;	/* NULL: the hypervisor shell */
static volatile bool async_on;
static volatile bool emergency;

struct vm *console_focused(void)
{
	return focus;
}

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
static bool host_put(const char *s, size_t n, bool crlf)
{
	struct vm *vm = crlf ? running_vm() : NULL;
	size_t need = n;
	bool ok;

	if (crlf)
		for (size_t i = 0; i < n; i++)
			need += s[i] == '\n';
	spin_lock(&host_lock);
	ok = host_head + need - host_sent <= HOST_RING_SIZE;
	if (ok && vm && bar_head - __atomic_load_n(&bar_tail, __ATOMIC_ACQUIRE) <
			NR_BARRIERS)
		barriers[bar_head++ % NR_BARRIERS] = (struct barrier){
			host_head, vm, __atomic_load_n(&vm->out.head,
						       __ATOMIC_ACQUIRE) };
	for (size_t i = 0; ok && i < n; i++) {
		if (crlf && s[i] == '\n')
			host_ring[host_head++ % HOST_RING_SIZE] = '\r';
		host_ring[host_head++ % HOST_RING_SIZE] = s[i];
	}
	spin_unlock(&host_lock);
	return ok;
}

void console_write(const char *s, size_t n)
{
	if (emergency) {
		write_emergency(s, n);
		return;
	}
	if (!async_on) {
		spin_lock(&tx_lock);
		write_sync(s, n);
		spin_unlock(&tx_lock);
		return;
	}
	if (host_put(s, n, true))
		return;
	if (this_cpu_index() != 0) {
		/* Never wait for the port here: the boot CPU says what was lost. */
		__atomic_fetch_add(&host_lost, n, __ATOMIC_RELAXED);
		return;
	}
	console_flush_host();
	if (host_put(s, n, true))
		return;
	spin_lock(&tx_lock);		/* longer than the whole ring */
	write_sync(s, n);
	spin_unlock(&tx_lock);
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

/* Output nobody is shown is only kept for the replay. */
static void guest_skip(struct vm *vm)
{
	out_ring_skip(&vm->out);
	vm->line_len = 0;
}

/* ---- draining: the boot CPU, tx_lock held ---- */

static void tx_set(u32 n)
{
	tx_len = n;
	tx_pos = 0;
}

static bool take_guest_until(struct vm *vm, u64 pos);

static bool take_host(void)
{
	u64 lost = __atomic_load_n(&host_lost, __ATOMIC_RELAXED), limit;
	u32 n = 0;

	for (;;) {
		struct barrier b;
		bool due;

		spin_lock(&host_lock);
		due = bar_tail != bar_head &&
		      barriers[bar_tail % NR_BARRIERS].host_pos == host_sent;
		if (due)
			b = barriers[bar_tail % NR_BARRIERS];
		spin_unlock(&host_lock);
		if (!due)
			break;
		if (take_guest_until(b.vm, b.guest_pos))
			return true;
		__atomic_store_n(&bar_tail, bar_tail + 1, __ATOMIC_RELEASE);
	}
	if (lost != host_lost_shown) {
		n = hv_snprintf(tx, TX_SIZE,
				"[console: %llu bytes of hypervisor output lost]\r\n",
				(unsigned long long)(lost - host_lost_shown));
		host_lost_shown = lost;
	}
	spin_lock(&host_lock);
	limit = bar_tail != bar_head ?
		barriers[bar_tail % NR_BARRIERS].host_pos : host_head;
	while (host_sent != limit && n < TX_SIZE)
		tx[n++] = host_ring[host_sent++ % HOST_RING_SIZE];
	spin_unlock(&host_lock);
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

	spin_lock(&tx_lock);
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
	spin_unlock(&tx_lock);
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

	spin_lock(&tx_lock);
	skip_hidden();
	while (limit--) {
		if (tx_pos == tx_len && !(guests ? refill() : take_host()))
			break;
		if (!tx_wait(&last))
			break;
		uart_tx(tx[tx_pos++]);
	}
	spin_unlock(&tx_lock);
}

void console_flush(void)
{
	flush(true);
}

void console_flush_host(void)
{
	flush(false);
}

void console_out_start(void)
{
	host_ring = page_alloc(HOST_RING_SIZE);
	async_on = host_ring != NULL;	/* else: every write waits */
}

void console_emergency(void)
{
	if (__atomic_exchange_n(&emergency, true, __ATOMIC_ACQ_REL))
		return;
	/* What is queued goes first, unless its owner stopped mid-write. */
	if (!spin_trylock_for(&tx_lock, 1000000))
		return;
	while (tx_pos < tx_len && uart_putc(tx[tx_pos++]))
		;
	while (host_sent != host_head &&
	       uart_putc(host_ring[host_sent++ % HOST_RING_SIZE]))
		;
	spin_unlock(&tx_lock);
}

void console_write_now(const char *s, size_t n)
{
	bool locked;

	if (emergency) {
		write_emergency(s, n);
		return;
	}
	if (!percpu_ready) {
		write_sync(s, n);
		return;
	}
	/* A chunk in flight goes out first: the text lands after it. */
	locked = spin_trylock_for(&tx_lock, NOW_LOCK_SPINS);
	write_sync(s, n);
	if (locked)
		spin_unlock(&tx_lock);
}

/* ---- focus ---- */

/* The last REPLAY_BYTES of @vm's output, queued raw after the banner. */
static void replay(struct vm *vm)
{
	static char buf[REPLAY_BYTES];
	u32 n;

	spin_lock(&vm->out_lock);
	n = out_ring_recent(&vm->out, buf, REPLAY_BYTES);
	spin_unlock(&vm->out_lock);
	if (!host_put(buf, n, false)) {
		console_flush_host();
		host_put(buf, n, false);
	}
}

void console_out_focus(struct vm *vm)
{
	spin_lock(&tx_lock);
	focus = vm;
	for (u32 i = 0; i < nr_vms; i++)
		guest_skip(vms[i]);
	spin_unlock(&tx_lock);
	if (vm)
		replay(vm);
}
