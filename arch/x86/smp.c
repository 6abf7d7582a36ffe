// SPDX-License-Identifier: GPL-2.0
/*
 * Starting the application processors ourselves, without UEFI MP services:
 * the INIT-SIPI-SIPI sequence of SDM vol. 3 9.4.4.1, sent to every AP in
 * turn without waiting for any of them, so that they all start together
 * (each finds its stack and per-CPU block by its APIC ID, trampoline.asm).
 * The IPIs go through drivers/lapic.c, in xAPIC or x2APIC mode (in x2APIC
 * mode the destination is the 32-bit x2APIC ID; an INIT keeps an AP in
 * x2APIC mode, SDM vol. 3A 11.12.5).
 */
#include <arch/x86/cpu.h>
#include <arch/x86/fault.h>
#include <arch/x86/smp.h>
#include <arch/x86/xstate.h>
#include <drivers/apic_mode.h>
#include <drivers/lapic.h>
#include <hv/bootinfo.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/topology.h>
#include <hv/virt.h>
#include <pmu/pmu.h>

extern const u8 trampoline_start[], trampoline_end[];
extern u8 tramp_gdt[], tramp_long_entry[], tramp_gdtr_base[], tramp_far_target[], tramp_cr3[], tramp_slots[],
	tramp_nr_slots[], tramp_entry[];

/* What an AP looks itself up by in trampoline.asm (SLOT_SIZE there). */
struct ap_slot {
	u64 apic_id;
	u64 stack_top;
	struct pcpu *cpu;
};

static struct ap_slot slots[MAX_CPUS];

#define SMP_PROBE_IDS 8

static u64 bsp_cr0, bsp_cr4;

struct topo_shifts host_topo;

static void topo_cpuid(void *ctx, u32 leaf, u32 sub, struct topo_regs *r)
{
	struct cpuid_regs c;

	(void)ctx;
	cpuid_count(leaf, sub, &c);
	*r = (struct topo_regs){ c.eax, c.ebx, c.ecx, c.edx };
}

/* Packages, cores and threads of the CPUs online, from their APIC IDs. */
static void report_topology(void)
{
	static u32 ids[MAX_CPUS];
	struct topo_count n;

	for (u32 i = 0; i < nr_pcpus; i++)
		ids[i] = pcpus[i]->apic_id;
	topo_count(&host_topo, ids, nr_pcpus, &n);
	pr_info("topology: %u package%s, %u core%s, %u thread%s (APIC ID bits: thread %u, core %u; %s)\n",
		n.packages, n.packages == 1 ? "" : "s", n.cores,
		n.cores == 1 ? "" : "s", n.threads, n.threads == 1 ? "" : "s",
		host_topo.smt_shift, host_topo.pkg_shift - host_topo.smt_shift,
		host_topo.source);
}

static void *tramp_field(u64 page, const u8 *label)
{
	return (void *)(page + (label - trampoline_start));
}

static __noreturn void ap_entry(struct pcpu *cpu)
{
	/* Reached C: the boot CPU reports a CPU that never gets here. */
	__atomic_store_n(&cpu->started, true, __ATOMIC_RELEASE);
	write_cr0(bsp_cr0);
	write_cr4(bsp_cr4);
	if (desc_init_cpu(cpu))
		cpu_halt_forever();
	lapic_init_cpu();
	fault_cpu_init();
	xstate_cpu_init();
	if (virt->cpu_enable(cpu) == 0)
		cpu->virt_on = true;
	pmu_cpu_init();
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
	sched_cpu_loop();
}

/*
 * @online false: how many of the @n APs reached ap_entry; true: how many
 * of those that did are online, or have not yet come (as done).
 */
static u32 count(u32 n, bool online)
{
	u32 c = 0;

	for (u32 i = 0; i < n; i++) {
		struct pcpu *cpu = slots[i].cpu;
		bool started = __atomic_load_n(&cpu->started, __ATOMIC_ACQUIRE);

		c += online ? !started || __atomic_load_n(&cpu->online,
							  __ATOMIC_ACQUIRE) :
			      started;
	}
	return c;
}

/*
 * Waits until count() reaches @n, or until it has not moved for
 * @quiet_us: the bound is on the silence, not on the whole, so that
 * hundreds of emulated CPUs starting together on a few host cores are
 * waited for as long as they keep coming. Returns the last count.
 */
static u32 wait_all(u32 n, bool online, u64 quiet_us)
{
	u64 quiet = us_to_tsc(quiet_us), last = rdtsc();
	u32 seen = 0;

	for (;;) {
		u32 now = count(n, online);

		if (now == n)
			return n;
		if (now != seen) {
			seen = now;
			last = rdtsc();
		} else if (rdtsc() - last > quiet) {
			return now;
		}
		cpu_relax();
	}
}

/*
 * INIT-SIPI-SIPI (SDM vol. 3 9.4.4.1 / 10.4.4.1, "typical BSP
 * initialization sequence"): INIT to each AP, 10 ms, a start-up IPI to
 * each, 200 us, a second start-up IPI to each that has not yet arrived
 * (an AP already running ignores it: a SIPI is recognised only in the
 * wait-for-SIPI state, 9.4.4). Real CPUs answer within microseconds; an
 * emulator on a loaded host may take far longer, so the waits are for
 * the APs' own signals, bounded only against CPUs that never come: until
 * no further AP has reached ap_entry for 10 s (as long as Linux waits for
 * one; with 288 CPUs under QEMU's TCG on a loaded 2-core host, 3 took
 * more than 2 s). Probing APIC IDs without an ACPI CPU list, most IDs have
 * no CPU: 200 ms there (the emulators without a MADT run their CPUs in
 * one thread, in step). An AP that did not arrive gets INIT again, which
 * parks it in wait-for-SIPI; its slot is cleared first, so that one that
 * still runs the trampoline halts there.
 */
#define AP_START_US	(10 * 1000 * 1000)
#define AP_ONLINE_US	(30 * 1000 * 1000)

static u32 start_all(u64 page, u32 n, u64 quiet_us)
{
	u32 vector = page >> PAGE_SHIFT, got;

	__atomic_store_n((u64 *)tramp_field(page, tramp_nr_slots), n,
			 __ATOMIC_SEQ_CST);
	for (u32 i = 0; i < n; i++)
		lapic_send_ipi(slots[i].cpu->apic_id,
			       ICR_DM_INIT | ICR_LEVEL_ASSERT);
	udelay(10000);
	for (u32 i = 0; i < n; i++)
		lapic_send_ipi(slots[i].cpu->apic_id, ICR_DM_STARTUP | vector);
	udelay(200);
	for (u32 i = 0; i < n; i++)
		if (!__atomic_load_n(&slots[i].cpu->started, __ATOMIC_ACQUIRE))
			lapic_send_ipi(slots[i].cpu->apic_id,
				       ICR_DM_STARTUP | vector);
	got = wait_all(n, false, quiet_us);
	if (got == n)
		return n;
	for (u32 i = 0; i < n; i++) {
		if (__atomic_load_n(&slots[i].cpu->started, __ATOMIC_ACQUIRE))
			continue;
		__atomic_store_n(&slots[i].apic_id, ~0ull, __ATOMIC_SEQ_CST);
		lapic_send_ipi(slots[i].cpu->apic_id,
			       ICR_DM_INIT | ICR_LEVEL_ASSERT);
	}
	return got;
}

/*
 * The firmware leaves its APs in a loop of its own after ExitBootServices
 * (UEFI PI vol. 2, MP services: a HLT, MWAIT or spin loop, the firmware's
 * choice). An INIT at once parks each in wait-for-SIPI (SDM vol. 3 9.4.2):
 * no AP runs firmware code while perfvisor takes over the firmware's
 * memory, and an emulator's spinning vCPUs no longer starve the boot CPU
 * (under QEMU's TCG with 255 CPUs on 2 host cores, everything before the
 * AP start ran ~20 times slower). Also the CPUs beyond MAX_CPUS, which
 * stay parked for good; only those the host APIC cannot address (xAPIC
 * mode, IDs above 255) stay where the firmware left them.
 */
void smp_park_aps(const struct boot_info *bi)
{
	u32 self = lapic_id(), n = 0;

	for (u32 i = 0; i < bi->acpi.nr_cpus; i++) {
		u32 id = bi->acpi.cpus[i].apic_id;

		if (id != self && lapic_can_reach(id)) {
			lapic_send_ipi(id, ICR_DM_INIT | ICR_LEVEL_ASSERT);
			n++;
		}
	}
	if (n)
		pr_info("%u AP%s parked (INIT) until the start\n", n,
			n > 1 ? "s" : "");
}

/* The candidate APs of the MADT (or the probed IDs) into slots[]. */
static u32 fill_slots(const struct boot_info *bi, u32 nr_ids, u32 self)
{
	u32 n = 0, unreachable = 0;

	for (u32 i = 0; i < nr_ids; i++) {
		u32 id = bi->acpi.nr_cpus ? bi->acpi.cpus[i].apic_id : i;
		struct pcpu *cpu;

		if (id == self)
			continue;
		if (nr_pcpus + n == MAX_CPUS) {
			pr_warn("%u more CPUs left alone: perfvisor runs %u at most (MAX_CPUS)\n",
				nr_ids - i, MAX_CPUS);
			break;
		}
		if (!lapic_can_reach(id)) {
			unreachable++;
			continue;
		}
		cpu = pcpu_alloc(nr_pcpus + n, id);
		slots[n++] = (struct ap_slot){ id, cpu->stack_top, cpu };
	}
	if (unreachable)
		pr_err("%u CPU%s with APIC IDs above %u left alone: the host APIC is in xAPIC mode, which cannot address them (see the APIC: line above)\n",
		       unreachable, unreachable > 1 ? "s" : "", XAPIC_MAX_DEST);
	return n;
}

/*
 * The APs that came online join pcpus[] in MADT order; one that did not
 * is named, and those after it take its index (nothing has used the
 * indices yet but the log lines of the APs' own bring-up).
 */
static void enlist(u32 n, bool probing)
{
	for (u32 i = 0; i < n; i++) {
		struct pcpu *cpu = slots[i].cpu;

		if (!cpu->started) {
			if (!probing)
				pr_err("cpu with apic id %u did not start: left alone\n",
				       cpu->apic_id);
			continue;
		}
		if (!cpu->online) {
			pr_err("cpu with apic id %u started but did not come online in %u s\n",
			       cpu->apic_id, AP_ONLINE_US / 1000000);
			continue;
		}
		cpu->index = nr_pcpus;
		pcpus[nr_pcpus++] = cpu;
		pr_info("cpu%u: apic id %u online, %s %s\n", cpu->index,
			cpu->apic_id, virt->name,
			cpu->virt_on ? "enabled" : "FAILED");
		if (!cpu->virt_on)
			pr_err("cpu%u: %s did not start: no vCPU runs there, pins to it are refused\n",
			       cpu->index, virt->name);
	}
}

void smp_boot_aps(const struct boot_info *bi, u64 cr3)
{
	u64 page = bi->trampoline;
	u32 self = lapic_id();
	u32 nr_ids = bi->acpi.nr_cpus, n, got;
	u64 t0, t1;
	bool probing = !bi->acpi.nr_cpus;

	topo_probe(topo_cpuid, NULL, &host_topo);
	pr_info("apic id %u (boot CPU)\n", self);
	if (!page) {
		pr_warn("no trampoline page: running on one CPU\n");
		return;
	}
	if (probing) {
		/*
		 * No MADT: OVMF publishes ACPI tables only when QEMU's fw_cfg
		 * gives them, so under Bochs there are none. Emulators number
		 * their CPUs from APIC ID 0; try the first few.
		 */
		nr_ids = SMP_PROBE_IDS;
		pr_warn("no ACPI CPU list: probing APIC IDs 0-%u\n", nr_ids - 1);
	}
	bsp_cr0 = read_cr0();
	bsp_cr4 = read_cr4();

	memcpy((void *)page, trampoline_start,
	       trampoline_end - trampoline_start);
	*(u32 *)tramp_field(page, tramp_gdtr_base) =
		(u32)page + (u32)(tramp_gdt - trampoline_start);
	*(u32 *)tramp_field(page, tramp_far_target) =
		(u32)page + (u32)(tramp_long_entry - trampoline_start);
	*(u64 *)tramp_field(page, tramp_cr3) = cr3;
	*(u64 *)tramp_field(page, tramp_slots) = (u64)slots;
	*(u64 *)tramp_field(page, tramp_entry) = (u64)ap_entry;

	n = fill_slots(bi, nr_ids, self);
	t0 = hv_uptime_us();
	got = start_all(page, n, probing ? 200 * 1000 : AP_START_US);
	t1 = hv_uptime_us();
	if (got)
		wait_all(n, true, AP_ONLINE_US);
	if (n)
		pr_info("%u of %u %s started together: in ap_entry at +%llu ms, online at +%llu ms\n",
			got, n, probing ? "probed APIC IDs" :
				  n > 1 ? "APs" : "AP",
			(unsigned long long)(t1 - t0) / 1000,
			(unsigned long long)(hv_uptime_us() - t0) / 1000);
	enlist(n, probing);
	pr_info("%u CPU%s online\n", nr_pcpus, nr_pcpus > 1 ? "s" : "");
	report_topology();
}
