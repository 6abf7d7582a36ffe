// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor proper, entered on the boot CPU after ExitBootServices
 * with the firmware's stack, GDT and page tables still in use. It moves
 * onto its own, starts the other CPUs, creates the guests and becomes the
 * supervisor loop (hv/supervisor.c).
 */
#include <arch/x86/cpu.h>
#include <arch/x86/fault.h>
#include <arch/x86/smp.h>
#include <arch/x86/xstate.h>
#include <drivers/apic_mode.h>
#include <drivers/lapic.h>
#include <drivers/pic.h>
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/hwcheck.h>
#include <hv/supervisor.h>
#include <hv/log.h>
#include <hv/mm/host_map.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/version.h>
#include <hv/virt.h>
#include <hv/vm_create.h>
#include <hv/prof.h>
#include <pmu/pmu.h>

struct pcpu *pcpus[MAX_CPUS];
u32 nr_pcpus;
bool percpu_ready;
const struct virt_ops *virt;
struct virt_caps virt_caps;
struct boot_info *boot_info;

extern void call_on_stack(u64 stack_top, void (*fn)(void *), void *arg);

/*
 * Chooses the vendor backend from CPUID. What the CPU offers was printed
 * by the readiness report (hv/hw_report.c); the probe decides for real.
 */
static void choose_backend(void)
{
	char vendor[13];
	int err;

	cpu_vendor(vendor);
	virt = virt_backend_for(vendor);
	if (!virt)
		panic("unsupported CPU vendor '%s'", vendor);

	err = virt->probe(&virt_caps);
	pr_info("CPU %s, backend %s\n", vendor, virt->name);
	if (err)
		panic("this CPU cannot run perfvisor: it lacks %s",
		      virt_caps.missing);
	if (!virt_caps.nmi_window)
		pr_warn("no NMI-window exits: an NMI pending while the guest cannot take it waits for the guest's next exit\n");
}

struct pcpu *pcpu_alloc(u32 index, u32 apic_id)
{
	struct pcpu *cpu = page_alloc(sizeof(*cpu));
	void *stack = page_alloc(HV_STACK_SIZE);

	if (!cpu || !stack)
		panic("out of memory for CPU %u", index);
	cpu->self = cpu;
	cpu->index = index;
	cpu->apic_id = apic_id;
	cpu->stack_top = (u64)stack + HV_STACK_SIZE;
	return cpu;
}

/* Runs on the boot CPU's own stack: the rest of the bring-up. */
static __noreturn void hv_main_on_stack(void *arg)
{
	struct boot_info *bi = arg;
	struct pcpu *bsp = pcpus[0];
	u64 cr3 = host_map_init(bi);

	write_cr3(cr3);
	if (desc_init_cpu(bsp))
		panic("cannot set up the boot CPU's descriptor tables");
	percpu_ready = true;
	/* Off the firmware's stack, tables and page tables: take its memory. */
	mm_init_late(bi);
	pr_info("memory: %llu MiB usable, %llu MiB free\n",
		(unsigned long long)(mm_total_bytes() / MiB),
		(unsigned long long)(mm_free_bytes() / MiB));

	pic_quiesce(&bi->acpi);
	lapic_init_cpu();
	fault_cpu_init();
	lapic_timer_calibrate();
	bsp->online = true;

	hw_report_boot();
	choose_backend();	/* panics if guests cannot run */
	pmu_probe(bi->cfg.profile);
	hw_report_check(true, pmu_host.usable);
	prof_init(bi->cfg.profile);
	xstate_probe();
	xstate_cpu_init();
	if (virt->cpu_enable(bsp))
		panic("cannot enable %s on the boot CPU", virt->name);
	bsp->virt_on = true;
	pmu_cpu_init();

	smp_boot_aps(bi, cr3);
	vms_create(bi);
	/* Queued output from here on: guests write before the loop runs. */
	console_out_start();
	sched_start();
	supervisor_loop();
}

void hv_main(struct boot_info *bi)
{
	struct pcpu *bsp;
	struct apic_choice apic;

	boot_info = bi;
	time_init(bi->tsc_hz, bi->tsc_at_entry);
	lapic_init_global(&bi->acpi, bi->cfg.x2apic, &apic);
	pr_info("perfvisor %s: took the machine, %llu MHz TSC\n",
		PERFVISOR_VERSION, (unsigned long long)(tsc_hz / 1000000));
	pr_info("APIC: %s\n", apic.mode);
	if (apic.warn)
		pr_warn("APIC: %s\n", apic.warn);
	smp_park_aps(bi);

	mm_init_early(bi);
	bsp = pcpu_alloc(0, lapic_id());
	pcpus[0] = bsp;
	nr_pcpus = 1;
	call_on_stack(bsp->stack_top, (void (*)(void *))hv_main_on_stack, bi);
	__builtin_unreachable();
}
