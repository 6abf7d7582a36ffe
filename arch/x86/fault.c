// SPDX-License-Identifier: GPL-2.0
/*
 * Machine faults: host exceptions, NMIs and the machine stop.
 *
 * Reports are written straight to the port (console_write_now), never
 * through the queues and their locks: the CPU that reports may have been
 * interrupted holding one of them, and when the machine stops, CPU 0 no
 * longer drains anything. Every line starts with the log's stamp and the
 * CPU ("[  12.345678] cpu2: "); one CPU's report stays together under
 * fault_lock(), which is bounded so that a CPU stuck holding it cannot
 * keep the others quiet. The lines of a report the machine survives (an
 * unexpected NMI, a corrected machine check) also go into the log ring
 * for `log` (fault_keep, log_keep: its lock only tried).
 *
 * Stopping the machine: the CPU that claims the stop sends every other
 * online CPU an NMI; each says "cpuN: stopped" once and halts with
 * interrupts off inside its NMI handler, which it never leaves, so no
 * further NMI gets in either (SDM vol. 3 6.7.1: NMIs stay blocked until
 * the next IRET). A CPU running a guest takes the NMI at its exit (SVM:
 * the NMI intercept, taken after STGI; VMX: NMI exiting, then `int $2`).
 * A second fatal event on the stopping CPU itself (a fault in its report,
 * a #MC or panic while it prints or waits) gets a short report and goes
 * on with what is left of that stop (fault_stop.h), so every stop ends
 * with one "machine stopped" line. No lock this CPU may hold is waited
 * for without bound: fault_lock() knows its owner, the console's chunk
 * in flight is waited for a bounded time, then the port is written.
 *
 * NMIs the hypervisor expects: the stop itself, and in test mode the ones
 * PV_HC_TEST_NMI sends (fault_expect_nmi). Guest NMIs are virtual and
 * never reach this handler; PMIs use a fixed vector (VEC_PMI). Anything
 * else comes from the platform (LINT pins, nmi_pins.c) and port 0x61
 * says why (nmi_reason.h): bit 7 PCI SERR#, bit 6 IOCHK#. Those two are
 * hardware errors and stop the machine, since data may already be
 * corrupt. An NMI with neither bit is an NMI button, a watchdog or a
 * stray NMI IPI: its registers are reported (the point of an NMI button
 * is a snapshot of where every CPU is) and the machine carries on. So
 * does one for which port 0x61 reads 0xff: a legacy-free chipset with
 * nothing there, which tells no reason at all.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <arch/x86/fault.h>
#include <arch/x86/fault_hooks.h>
#include <arch/x86/fault_stop.h>
#include <arch/x86/mce.h>
#include <arch/x86/nmi_expect.h>
#include <arch/x86/nmi_pins.h>
#include <arch/x86/nmi_reason.h>
#include <drivers/lapic.h>
#include <hv/abi.h>
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/time.h>
#include <hv/vcpu.h>
#include <hv/vm.h>

#define LOCK_WAIT_US   (1000 * 1000)		/* for the report lock */
#define LOCK_SPINS     (1u << 24)		/* the same, before time_init */
#define STOP_WAIT_US   (10 * 1000 * 1000)	/* last resort; normally instant */
#define NMI_FULL_REPORTS 4			/* per CPU, then a count */

static struct fault_stop stop = FAULT_STOP_INIT;
static volatile s32 lock_owner = -1;

static const char *const exc_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection",
};

static s32 me(void)
{
	return (s32)this_cpu_index();
}

/*
 * Waits by the clock, not by a count of tries, so that a report waits as
 * long on any CPU: a whole report (about ten lines at 115200 baud) takes
 * some 0.1 s. Before the TSC rate is known, LOCK_SPINS tries.
 */
bool fault_lock(void)
{
	u64 start = rdtsc(), wait = us_to_tsc(LOCK_WAIT_US);

	if (__atomic_load_n(&lock_owner, __ATOMIC_RELAXED) == me())
		return false;	/* nested: the outer report releases it */
	for (u32 i = 0;; i++) {
		s32 free = -1;

		if (__atomic_compare_exchange_n(&lock_owner, &free, me(), false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
		if (tsc_hz ? rdtsc() - start > wait : i >= LOCK_SPINS)
			return false;	/* the holder is stuck: write anyway */
		cpu_relax();
	}
}

void fault_unlock(void)
{
	__atomic_store_n(&lock_owner, -1, __ATOMIC_RELEASE);
}

/* Per CPU: the report under way is one the machine survives. */
static volatile bool keep_lines[MAX_CPUS];

bool fault_keep(bool on)
{
	u32 i = this_cpu_index();
	bool was = keep_lines[i];

	keep_lines[i] = on;
	return was;
}

void fault_printf(const char *fmt, ...)
{
	u64 us = hv_uptime_us();
	char line[256];
	va_list ap;
	int n;

	n = hv_snprintf(line, sizeof(line), "[%4llu.%06llu] cpu%u: ",
			(unsigned long long)(us / 1000000),
			(unsigned long long)(us % 1000000), this_cpu_index());
	va_start(ap, fmt);
	n += hv_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	console_write_now(line, n);
	if (keep_lines[this_cpu_index()])
		log_keep(line, n);
}

#define R(x) ((unsigned long long)(x))

void fault_regs(const struct trap_frame *f)
{
	struct vcpu *v = percpu_ready ? this_cpu()->current : NULL;

	fault_printf("  rip %016llx cs %04llx rflags %08llx rsp %016llx ss %04llx\n",
		     R(f->rip), R(f->cs), R(f->rflags), R(f->rsp), R(f->ss));
	fault_printf("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
		     R(f->rax), R(f->rbx), R(f->rcx), R(f->rdx));
	fault_printf("  rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n",
		     R(f->rsi), R(f->rdi), R(f->rbp), R(f->r8));
	fault_printf("  r9  %016llx r10 %016llx r11 %016llx r12 %016llx\n",
		     R(f->r9), R(f->r10), R(f->r11), R(f->r12));
	fault_printf("  r13 %016llx r14 %016llx r15 %016llx\n",
		     R(f->r13), R(f->r14), R(f->r15));
	fault_printf("  cr0 %016llx cr2 %016llx cr3 %016llx cr4 %016llx\n",
		     R(read_cr0()), R(read_cr2()), R(read_cr3()), R(read_cr4()));
	if (v)
		fault_printf("  holding vm %s vcpu %u (guest rip at its last exit %016llx)\n",
			     v->vm->name, v->id, R(v->regs.rip));
	else
		fault_printf("  holding no vCPU\n");
}

/* Frame-pointer walk; a bad frame faults, which ends the report early. */
static void backtrace(u64 rbp)
{
	for (int depth = 0; depth < 16 && rbp && IS_ALIGNED(rbp, 8) &&
			    rbp < (1ULL << 47); depth++) {
		u64 *frame = (u64 *)rbp;

		if (!frame[1])
			break;
		fault_printf("  backtrace [%d] %016llx\n", depth, R(frame[1]));
		rbp = frame[0];
	}
}

/* The calling CPU's role in a fatal event (fault_stop.h). */
enum stop_role fault_fatal_begin(void)
{
	enum stop_role r;

	irq_disable();
	fault_keep(false);	/* a fatal report is the console's only */
	r = fault_stop_claim(&stop, me());
	if (r == STOP_FOLLOW)
		fault_stop_this_cpu();	/* another CPU stops the machine */
	console_emergency();		/* nothing more when nested */
	if (r == STOP_NESTED)
		fault_printf("a second fatal event on this CPU while it stops the machine:\n");
	return r;
}

bool fault_stopping(void)
{
	return fault_stop_claimed(&stop);
}

__noreturn void fault_stop_this_cpu(void)
{
	irq_disable();
	if (percpu_ready && !this_cpu()->stopped) {
		bool taken = fault_lock();

		fault_printf("stopped\n");
		if (taken)
			fault_unlock();
		__atomic_store_n(&this_cpu()->stopped, true, __ATOMIC_RELEASE);
	}
	/* The NMI may have cut a report of ours short: no one waits for it. */
	if (__atomic_load_n(&lock_owner, __ATOMIC_RELAXED) == me())
		fault_unlock();
	for (;;)
		asm volatile("cli; hlt" ::: "memory");
}

/* How far the wait for the other CPUs got, for the last line. */
static u32 nr_stopped, nr_others;

static bool others_stopped(void)
{
	u32 stopped = 0, others = 0;

	for (u32 i = 0; i < nr_pcpus; i++) {
		struct pcpu *c = pcpus[i];

		if (!c || !c->online || (s32)i == me())
			continue;
		others++;
		stopped += __atomic_load_n(&c->stopped, __ATOMIC_ACQUIRE);
	}
	nr_stopped = stopped;
	nr_others = others;
	return stopped == others;
}

static void stop_others(void)
{
	u64 deadline;

	if (!percpu_ready)
		return;
	others_stopped();
	for (u32 i = 0; i < nr_pcpus; i++) {
		struct pcpu *c = pcpus[i];

		if (c && c->online && (s32)i != me() && !c->stopped)
			lapic_send_ipi(c->apic_id, ICR_DM_NMI);
	}
	deadline = rdtsc() + us_to_tsc(STOP_WAIT_US);
	while (!others_stopped() && (s64)(rdtsc() - deadline) < 0)
		cpu_relax();
	for (u32 i = 0; i < nr_pcpus; i++)
		if (pcpus[i] && pcpus[i]->online && (s32)i != me() &&
		    !pcpus[i]->stopped)
			fault_printf("cpu%u did not stop (its NMIs are blocked)\n", i);
}

/*
 * Whatever is left of the stop, by the phase (fault_stop.h): reached once
 * per fatal event of the leading CPU, so a nested one finishes the stop
 * that the first one began, with one last line in all.
 */
__noreturn void fault_stop_machine(void)
{
	enum stop_step step;

	irq_disable();
	if (__atomic_load_n(&stop.owner, __ATOMIC_ACQUIRE) != me() &&
	    fault_stop_claim(&stop, me()) == STOP_FOLLOW)
		fault_stop_this_cpu();
	/* A report cut short by a nested event never releases its lock. */
	if (__atomic_load_n(&lock_owner, __ATOMIC_RELAXED) == me())
		fault_unlock();
	step = fault_stop_next(&stop);
	if (step == STOP_STEP_OTHERS) {
		stop_others();
		step = fault_stop_next(&stop);
		fault_printf("machine stopped (%u of %u other CPUs stopped): save this report, see docs/bare-metal.md\n",
			     nr_stopped, nr_others);
	} else if (step == STOP_STEP_LAST_LINE) {
		fault_printf("machine stopped (%u of %u other CPUs stopped, the wait for the others cut short): save this report, see docs/bare-metal.md\n",
			     nr_stopped, nr_others);
	}
	if (step != STOP_STEP_HALT && boot_info &&
	    boot_info->cfg.mode == CFG_MODE_TEST)
		outl(PV_DEBUG_EXIT_PORT, 1);
	for (;;)
		asm volatile("cli; hlt" ::: "memory");
}

__noreturn void fault_exception(struct trap_frame *f)
{
	const char *name = f->vector < 32 ? exc_names[f->vector] : "interrupt";
	enum stop_role role;
	bool taken;

	role = fault_fatal_begin();
	if (role == STOP_NESTED)	/* a fault in a report: no more of it */
		fault_printf("host exception %llu (%s) at %016llx\n",
			     R(f->vector), name ? name : "reserved", R(f->rip));
	if (role != STOP_LEAD)
		fault_stop_machine();
	taken = fault_lock();
	fault_printf("host exception %llu (%s) error %#llx on cpu%u (apic id %u)\n",
		     R(f->vector), name ? name : "reserved", R(f->error),
		     this_cpu_index(), percpu_ready ? this_cpu()->apic_id : 0);
	fault_regs(f);
	backtrace(f->rbp);
	if (boot_info)
		fault_printf("  perfvisor loaded at %016llx: addr2line -e build/perfvisor.so ADDRESS-%llx\n",
			     R(boot_info->image_base), R(boot_info->image_base));
	if (taken)
		fault_unlock();
#ifdef PV_HOOKS
	if (fault_hook_nested())
		panic("test build: a panic after the report of a host exception");
#endif
	fault_stop_machine();
}

void fault_expect_nmi(struct pcpu *cpu)
{
	nmi_expect_add(&cpu->nmi_expected);
}

static __noreturn void nmi_fatal(struct trap_frame *f, u8 reason,
				 enum nmi_reason why)
{
	bool taken;

	if (fault_fatal_begin() == STOP_QUIET)
		fault_stop_machine();
	taken = fault_lock();
	fault_printf("NMI: %s (port 0x61 = %#x): a hardware error, stopping the machine\n",
		     why == NMI_SERR ? "PCI system error (SERR#, bit 7)" :
		     "I/O channel check (IOCHK#, bit 6)", reason);
	fault_regs(f);
	if (taken)
		fault_unlock();
	fault_stop_machine();
}

static void nmi_unexpected(struct trap_frame *f, u8 reason,
			   enum nmi_reason why)
{
	struct pcpu *c = percpu_ready ? this_cpu() : NULL;
	u32 n = c ? ++c->nmi_unexpected : 1;
	bool taken, kept;

	kept = fault_keep(true);	/* survived: `log` shows it too */
	if (n > NMI_FULL_REPORTS) {
		if (!(n & (n - 1)))
			fault_printf("%u unexpected NMIs so far\n", n);
		fault_keep(kept);
		return;
	}
	taken = fault_lock();
	if (why == NMI_NO_REASON_PORT)
		fault_printf("unexpected NMI on cpu%u (apic id %u), port 0x61 = %#x: no NMI reason port (nothing answers there), no SERR/IOCHK to read (an NMI button, a watchdog, a stray NMI IPI; a hardware error would be in the platform's event log); carrying on\n",
			     this_cpu_index(), c ? c->apic_id : 0, reason);
	else
		fault_printf("unexpected NMI on cpu%u (apic id %u), port 0x61 = %#x: no SERR/IOCHK (an NMI button, a watchdog, a stray NMI IPI); carrying on\n",
			     this_cpu_index(), c ? c->apic_id : 0, reason);
	fault_regs(f);
	if (n == NMI_FULL_REPORTS)
		fault_printf("further unexpected NMIs on this CPU are only counted\n");
	if (taken)
		fault_unlock();
	fault_keep(kept);
}

void fault_nmi(struct trap_frame *f)
{
	struct pcpu *c = percpu_ready ? this_cpu() : NULL;
	enum nmi_reason why;
	u8 reason;

	if (c)
		c->host_nmis++;
	/* The stop request, or a stray NMI while this CPU stops the rest. */
	if (fault_stopping()) {
		if (stop.owner != me())
			fault_stop_this_cpu();
		return;
	}
	/* One of ours takes one count (nmi_expect.h says why not all). */
	if (c && nmi_expect_take(&c->nmi_expected))
		return;
	reason = inb(NMI_REASON_PORT);
#ifdef PV_HOOKS
	fault_hook_nmi_reason(&reason);
#endif
	why = nmi_reason_decode(reason);
	if (nmi_reason_fatal(why))
		nmi_fatal(f, reason, why);
	nmi_unexpected(f, reason, why);
}

void fault_cpu_init(void)
{
	struct pcpu *c = this_cpu();
	u32 n;

	n = nmi_pins_plan(&boot_info->acpi, c->apic_id, c->index == 0,
			  c->lint_lvt);
	lapic_write_lint(0, c->lint_lvt[0]);
	lapic_write_lint(1, c->lint_lvt[1]);
	if (c->index == 0)
		pr_info("platform NMI: %s\n", boot_info->acpi.nr_lint_nmis ?
			"LINT pins as the MADT's NMI structures say" :
			"no MADT NMI structures, LINT1 of the boot CPU");
	if (!n && c->index == 0)
		pr_warn("platform NMI: no LINT pin of the boot CPU takes it\n");
	mce_cpu_init();
}
