// SPDX-License-Identifier: GPL-2.0
/*
 * Starting the application processors ourselves, without UEFI MP services:
 * the INIT-SIPI-SIPI sequence of SDM vol. 3 9.4.4.1, one CPU at a time.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/smp.h>
#include <arch/x86/xstate.h>
#include <drivers/lapic.h>
#include <hv/bootinfo.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/virt.h>
#include <pmu/pmu.h>

extern const u8 trampoline_start[], trampoline_end[];
extern u8 tramp_gdt[], tramp_long_entry[], tramp_gdtr_base[], tramp_far_target[], tramp_cr3[], tramp_stack[],
	tramp_arg[], tramp_entry[];

#define SMP_PROBE_IDS 8

static u64 bsp_cr0, bsp_cr4;

static void *tramp_field(u64 page, const u8 *label)
{
	return (void *)(page + (label - trampoline_start));
}

static __noreturn void ap_entry(struct pcpu *cpu)
{
	write_cr0(bsp_cr0);
	write_cr4(bsp_cr4);
	if (desc_init_cpu(cpu))
		cpu_halt_forever();
	lapic_init_cpu();
	xstate_cpu_init();
	if (virt->cpu_enable(cpu) == 0)
		cpu->virt_on = true;
	pmu_cpu_init();
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
	sched_cpu_loop();
}

static bool start_one(u64 page, struct pcpu *cpu)
{
	u32 vector = page >> PAGE_SHIFT;
	u64 deadline;

	*(u64 *)tramp_field(page, tramp_stack) = cpu->stack_top;
	*(u64 *)tramp_field(page, tramp_arg) = (u64)cpu;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	lapic_send_ipi(cpu->apic_id, ICR_DM_INIT | ICR_LEVEL_ASSERT);
	udelay(10000);
	for (int i = 0; i < 2; i++) {
		lapic_send_ipi(cpu->apic_id, ICR_DM_STARTUP | vector);
		deadline = rdtsc() + us_to_tsc(i ? 200000 : 1000);
		while ((s64)(rdtsc() - deadline) < 0) {
			if (__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE))
				return true;
			cpu_relax();
		}
	}
	return false;
}

void smp_boot_aps(const struct boot_info *bi, u64 cr3)
{
	u64 page = bi->trampoline;
	u32 self = lapic_id();
	u32 nr_ids = bi->acpi.nr_cpus;

	pr_info("cpu0: apic id %u (boot CPU)\n", self);
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

	for (u32 i = 0; i < nr_ids && nr_pcpus < MAX_CPUS; i++) {
		u32 id = bi->acpi.nr_cpus ? bi->acpi.cpus[i].apic_id : i;
		struct pcpu *cpu;

		if (id == self)
			continue;
		cpu = pcpu_alloc(nr_pcpus, id);
		if (!start_one(page, cpu)) {
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
	pr_info("%u CPU%s online\n", nr_pcpus, nr_pcpus > 1 ? "s" : "");
}
