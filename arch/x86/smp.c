// SPDX-License-Identifier: GPL-2.0
/*
 * Starting the application processors ourselves, without UEFI MP services:
 * the INIT-SIPI-SIPI sequence of SDM vol. 3 9.4.4.1, one CPU at a time.
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
extern u8 tramp_gdt[], tramp_long_entry[], tramp_gdtr_base[], tramp_far_target[], tramp_cr3[], tramp_stack[],
	tramp_arg[], tramp_entry[];

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
	/* Off the shared start-up page: the BSP may patch it for the next. */
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

/* Waits up to @us for @flag; true if it was set. */
static bool wait_flag(volatile bool *flag, u64 us)
{
	u64 deadline = rdtsc() + us_to_tsc(us);

	while ((s64)(rdtsc() - deadline) < 0) {
		if (__atomic_load_n(flag, __ATOMIC_ACQUIRE))
			return true;
		cpu_relax();
	}
	return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}

/*
 * INIT-SIPI-SIPI (SDM vol. 3 10.4.4.1). Real CPUs answer within
 * microseconds; an emulator on a loaded host may take far longer, so the
 * waits are for the AP's own signals, bounded only as a last resort
 * against a CPU that never comes: first that it left the shared start-up
 * page (ap_entry), then that it is online. (Probing APIC IDs without an
 * ACPI CPU list, most IDs have no CPU: only 200 ms for those; the
 * emulators that have no MADT run their CPUs in one thread, in step.)
 * An AP that missed the first bound gets INIT again, which parks it in
 * wait-for-SIPI, so that it cannot start late from a page patched for
 * the next CPU. 10 s, as Linux waits: with 288 CPUs under QEMU's TCG on a
 * loaded 2-core host, 3 of them took more than 2 s to reach ap_entry.
 */
#define AP_START_US	(10 * 1000 * 1000)
#define AP_ONLINE_US	(30 * 1000 * 1000)

static bool start_one(u64 page, struct pcpu *cpu, u64 start_us)
{
	u32 vector = page >> PAGE_SHIFT;

	*(u64 *)tramp_field(page, tramp_stack) = cpu->stack_top;
	*(u64 *)tramp_field(page, tramp_arg) = (u64)cpu;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	lapic_send_ipi(cpu->apic_id, ICR_DM_INIT | ICR_LEVEL_ASSERT);
	udelay(10000);
	lapic_send_ipi(cpu->apic_id, ICR_DM_STARTUP | vector);
	if (!wait_flag(&cpu->started, 1000)) {
		lapic_send_ipi(cpu->apic_id, ICR_DM_STARTUP | vector);
		if (!wait_flag(&cpu->started, start_us)) {
			lapic_send_ipi(cpu->apic_id,
				       ICR_DM_INIT | ICR_LEVEL_ASSERT);
			return false;
		}
	}
	if (!wait_flag(&cpu->online, AP_ONLINE_US)) {
		pr_err("cpu with apic id %u started but did not come online in %u s\n",
		       cpu->apic_id, AP_ONLINE_US / 1000000);
		return false;
	}
	return true;
}

void smp_boot_aps(const struct boot_info *bi, u64 cr3)
{
	u64 page = bi->trampoline;
	u32 self = lapic_id();
	u32 nr_ids = bi->acpi.nr_cpus, unreachable = 0;

	topo_probe(topo_cpuid, NULL, &host_topo);
	pr_info("apic id %u (boot CPU)\n", self);
	if (!page) {
		pr_warn("no trampoline page: running on one CPU\n");
		return;
	}
	if (!bi->acpi.nr_cpus) {
		/*
		 * No MADT: OVMF publishes ACPI tables only when QEMU's fw_cfg
		 * gives them, so under Bochs there are none. Emulators number
		 * their CPUs from APIC ID 0; try the first few, one at a time.
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
	*(u64 *)tramp_field(page, tramp_entry) = (u64)ap_entry;

	for (u32 i = 0; i < nr_ids; i++) {
		u32 id = bi->acpi.nr_cpus ? bi->acpi.cpus[i].apic_id : i;
		struct pcpu *cpu;

		if (id == self)
			continue;
		if (nr_pcpus == MAX_CPUS) {
			pr_warn("%u more CPUs left alone: perfvisor runs %u at most (MAX_CPUS)\n",
				nr_ids - i, MAX_CPUS);
			break;
		}
		if (!lapic_can_reach(id)) {
			unreachable++;
			continue;
		}
		cpu = pcpu_alloc(nr_pcpus, id);
		if (!start_one(page, cpu, bi->acpi.nr_cpus ? AP_START_US :
							     200 * 1000)) {
			if (bi->acpi.nr_cpus)
				pr_err("cpu with apic id %u did not start: left alone\n",
				       id);
			continue;
		}
		pcpus[nr_pcpus++] = cpu;
		pr_info("cpu%u: apic id %u online, %s %s\n", cpu->index, id,
			virt->name, cpu->virt_on ? "enabled" : "FAILED");
		if (!cpu->virt_on)
			pr_err("cpu%u: %s did not start: no vCPU runs there, pins to it are refused\n",
			       cpu->index, virt->name);
	}
	if (unreachable)
		pr_err("%u CPU%s with APIC IDs above %u left alone: the host APIC is in xAPIC mode, which cannot address them (see the APIC: line above)\n",
		       unreachable, unreachable > 1 ? "s" : "", XAPIC_MAX_DEST);
	pr_info("%u CPU%s online\n", nr_pcpus, nr_pcpus > 1 ? "s" : "");
	report_topology();
}
