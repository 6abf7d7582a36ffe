// SPDX-License-Identifier: GPL-2.0
/*
 * Turning a [vm] section and its loaded files into a running guest: RAM,
 * the guest-physical map, the image, vCPUs pinned to physical CPUs.
 * Every failure is the guest's alone: it is reported and skipped.
 */
#include <hv/acpi_build.h>
#include <hv/apic_bus.h>
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/elf_load.h>
#include <hv/cpuid.h>
#include <hv/errno.h>
#include <hv/guest_entry.h>
#include <hv/guest_layout.h>
#include <hv/guest_ram.h>
#include <hv/linux_vm.h>
#include <hv/linux_boot.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/multiboot_vm.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/ram_lazy.h>
#include <arch/x86/cpu.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/vioapic.h>
#include <hv/vlapic.h>
#include <pmu/pmu.h>
#include <hv/vm_create.h>
#include <hv/vpit.h>
#include <hv/vuart.h>

#define RAM_ALIGN (2 * MiB)

#define NO_CPU (~0u)

/* Next CPU for an unpinned vCPU in test mode: the boot CPU runs the console. */
static u32 next_auto_cpu = 1;

static bool test_mode(void)
{
	return boot_info->cfg.mode == CFG_MODE_TEST;
}

/*
 * A CPU for vCPU @i of a VM that is not pinned, or NO_CPU. Normal mode:
 * the first CPU no vCPU is queued on yet. Test mode, where a CPU runs the
 * guests queued on it one after the other: round robin, none twice for
 * one VM (@cpus holds the CPUs its vCPUs 0..i-1 got).
 */
static u32 pick_cpu(const u32 *cpus, u32 i)
{
	for (u32 tries = 1; tries < nr_pcpus; tries++) {
		u32 cpu = next_auto_cpu;
		bool taken = false;

		next_auto_cpu = next_auto_cpu + 1 < nr_pcpus ?
				next_auto_cpu + 1 : 1;
		for (u32 k = 0; k < i; k++)
			taken |= cpus[k] == cpu;
		if (!test_mode())
			taken |= pcpus[cpu]->nr_runq != 0;
		taken |= !pcpus[cpu]->virt_on;	/* SVM/VMX did not start */
		if (!taken)
			return cpu;
	}
	return NO_CPU;
}

/*
 * Where the VM's vCPUs go, refusing every vCPU that could never run: on
 * the console's CPU, on a CPU that is not online or whose SVM/VMX did not
 * start (VMRUN/VMLAUNCH there would #UD the host), on the CPU of one of
 * its own vCPUs (a CPU runs one vCPU until its VM stops) and, outside test
 * mode, on a CPU another VM's vCPU already has.
 */
static int place_vcpus(const struct cfg_vm *c, u32 *cpus)
{
	if (nr_pcpus < 2) {
		pr_err("vm %s: not started: only the boot CPU is online, and it runs the console\n",
		       c->name);
		return -ENODEV;
	}
	if (c->cpus > nr_pcpus - 1) {
		pr_err("vm %s: not started: %u vCPUs, but only %u CPUs can run them (cpu1-cpu%u; cpu0 runs the console), one vCPU of a VM per CPU\n",
		       c->name, c->cpus, nr_pcpus - 1, nr_pcpus - 1);
		return -ENODEV;
	}
	for (u32 i = 0; i < c->cpus; i++) {
		u32 cpu = c->nr_pin ? c->pin[i] : pick_cpu(cpus, i);
		struct vcpu *other;

		if (cpu == NO_CPU) {
			pr_err("vm %s: not started: no free CPU for vcpu%u (every CPU but cpu0 already runs a vCPU)\n",
			       c->name, i);
			return -ENODEV;
		}
		if (cpu >= nr_pcpus) {
			pr_err("vm %s: vcpu%u pinned to cpu%u, but only %u CPUs are online\n",
			       c->name, i, cpu, nr_pcpus);
			return -ENODEV;
		}
		if (cpu == 0) {
			pr_err("vm %s: not started: vcpu%u on cpu0, which runs the console and never a vCPU\n",
			       c->name, i);
			return -ENODEV;
		}
		if (!pcpus[cpu]->virt_on) {
			pr_err("vm %s: not started: vcpu%u pinned to cpu%u, where %s did not start\n",
			       c->name, i, cpu, virt->name);
			return -ENXIO;
		}
		other = pcpus[cpu]->nr_runq ? pcpus[cpu]->runq[0] : NULL;
		if (other && !test_mode()) {
			pr_err("vm %s: not started: vcpu%u pinned to cpu%u, which runs vm %s's vcpu%u: one vCPU per CPU (only test mode runs guests on a CPU in turn)\n",
			       c->name, i, cpu, other->vm->name, other->id);
			return -EBUSY;
		}
		cpus[i] = cpu;
	}
	return 0;
}

int vm_write_acpi(struct vm *vm, u64 tables_gpa, u64 size, u64 rsdp_gpa)
{
	struct acpi_build_cfg c = {
		.nr_cpus = vm->nr_vcpus,
		.lapic_base = VLAPIC_DEFAULT_BASE,
		.ioapic_base = VIOAPIC_BASE,
		.ioapic_id = 0,
	};
	void *tables = gpa_to_hva(vm, tables_gpa, size);
	void *rsdp = gpa_to_hva(vm, rsdp_gpa, ACPI_RSDP_LEN);

	if (!tables || !rsdp)
		return -EFAULT;
	return acpi_build(tables, tables_gpa, size, rsdp, &c) < 0 ? -ENOSPC : 0;
}

/* An ELF segment's RAM (below the hole: offset = gpa), written in full. */
static int elf_ready(void *ctx, u64 paddr, u64 memsz)
{
	return ram_ready(ctx, paddr, memsz, memsz);
}

/*
 * Image formats, first match wins: a Multiboot header (whatever the file
 * format around it), an ELF64 test guest entered in 64-bit mode, a Linux
 * bzImage. Every guest finds the ACPI RSDP in the BIOS area at 0xe0000.
 */
int vm_load_image(struct vm *vm, const struct boot_vm *bv)
{
	const char *why = "unknown format";
	u64 low = guest_ram_low(vm->ram_size);
	u64 entry;
	int err;

	if (multiboot_vm_is_multiboot(bv->image.data, bv->image.size)) {
		err = multiboot_vm_load(vm, bv, &why);
		if (!err)
			return 0;
	} else if (elf_is_elf64(bv->image.data, bv->image.size)) {
		/* Into the RAM at 0; its ACPI tables at the top of it, as
		 * for the other guests. */
		err = elf_load_ready(bv->image.data, bv->image.size,
				     phys_to_virt(vm->ram_hpa), low, elf_ready,
				     vm, &entry, &why);
		if (!err) {
			err = vm_write_acpi(vm, low - ACPI_TABLES_SIZE,
					    ACPI_TABLES_SIZE, LINUX_RSDP_GPA);
			if (err)
				why = "the ACPI tables could not be written";
		}
		if (!err)
			return guest_enter_long_mode(vm->vcpus[0], entry,
						     GUEST_STACK_TOP);
	} else if (linux_vm_is_bzimage(bv->image.data, bv->image.size)) {
		err = linux_vm_load(vm, bv, &why);
		if (!err)
			return 0;
	} else {
		err = -ENOEXEC;
		why = "not a supported image (expected a Multiboot kernel, an x86-64 ELF or a bzImage)";
	}
	pr_err("vm %s: image '%s': %s\n", vm->name, vm->cfg->image, why);
	return err;
}

static int create_vcpus(struct vm *vm, const u32 *cpus, const char **why)
{
	const struct cfg_vm *c = vm->cfg;

	for (u32 i = 0; i < c->cpus; i++) {
		struct vcpu *v = page_alloc(sizeof(*v));
		u32 cpu = cpus[i];
		int err;

		if (!v) {
			*why = "out of hypervisor memory for its vCPUs";
			return -ENOMEM;
		}
		v->vm = vm;
		v->id = i;
		v->state = i == 0 ? VCPU_RUNNABLE : VCPU_WAIT_SIPI;
		v->msr_mtrr_def_type = 0x806;	/* enabled, default WB */
		v->msr_misc_enable = VCPU_MISC_ENABLE_RESET;
		vm->vcpus[vm->nr_vcpus++] = v;
		err = virt->vcpu_init(v);
		*why = "a vCPU's control block could not be set up";
		if (!err) {
			err = xstate_vcpu_init(v);
			*why = "a vCPU's FPU/SSE/AVX save area could not be set up";
		}
		if (!err) {
			err = pmu_vcpu_init(v);
			*why = "a vCPU's PMU could not be set up";
		}
		if (!err) {
			v->cr4_allowed = cpuid_cr4_allowed(v);
			virt->set_cr4_allowed(v, v->cr4_allowed);
		}
		if (err)
			return err;
		apic_bus_init_vcpu(v);
		err = sched_pin(v, cpu);
		if (err) {
			*why = "a vCPU could not be queued on its CPU (its run queue is full)";
			return err;
		}
	}
	return 0;
}

/* Everything but the RAM block; on failure *why says what failed. */
static int vm_setup(struct vm *vm, const u32 *cpus, const struct boot_vm *bv,
		    const char **why)
{
	int err;

	err = virt->vm_init(vm);
	if (err) {
		*why = "its nested page tables could not be set up";
		return err;
	}
	err = ram_lazy_init(vm);
	if (err) {
		*why = "its RAM could not be set up in the nested page tables (out of hypervisor memory)";
		return err;
	}
	err = apic_bus_init_vm(vm);
	if (err) {
		*why = "its local APICs could not be set up";
		return err;
	}
	err = vioapic_init(vm);
	if (err) {
		*why = "its IOAPIC could not be set up";
		return err;
	}
	err = vuart_init(vm);
	if (!err)
		err = console_vm_init(vm);
	if (err) {
		*why = "its serial port or console ring could not be set up";
		return err;
	}
	vpit_reset(vm);
	err = pmu_vm_init(vm);
	if (err) {
		*why = "its PMU configuration cannot be given (the line above says why)";
		return err;
	}
	err = create_vcpus(vm, cpus, why);
	if (err)
		return err;
	err = vm_load_image(vm, bv);
	if (err)
		*why = "its image could not be loaded (the line above says why)";
	return err;
}

static struct vm *vm_create(u32 id, const struct cfg_vm *c,
			    const struct boot_vm *bv)
{
	u32 cpus[CFG_MAX_VCPUS];
	const char *why = "";
	struct vm *vm;
	void *ram;
	int err;

	if (place_vcpus(c, cpus))
		return NULL;
	vm = page_alloc(sizeof(*vm));
	if (!vm) {
		pr_err("vm %s: not started: out of hypervisor memory\n",
		       c->name);
		return NULL;
	}
	vm->id = id;
	vm->cfg = c;
	strlcpy(vm->name, c->name, sizeof(vm->name));
	vm->ram_size = c->memory;
	vm->tlb_tag = id + 1;
	/* Not zeroed here: each chunk is zeroed on first touch (ram_lazy.h). */
	ram = page_alloc_raw(vm->ram_size, RAM_ALIGN);
	if (!ram) {
		pr_err("vm %s: not started: not enough memory for %llu MiB of RAM in one block (%llu MiB free in all)\n",
		       vm->name, (unsigned long long)(vm->ram_size >> 20),
		       (unsigned long long)(mm_free_bytes() >> 20));
		page_free(vm, sizeof(*vm));
		return NULL;
	}
	vm->ram_hpa = virt_to_phys(ram);
	err = vm_setup(vm, cpus, bv, &why);
	if (err) {
		pr_err("vm %s: not started: %s (%d)\n", vm->name, why, err);
		/* Its vCPUs stay queued but never run: the VM is stopped. */
		vm->state = VM_STOPPED;
		vm->outcome = VM_OUT_CRASH;
		strlcpy(vm->reason, "could not be created", sizeof(vm->reason));
		return vm;
	}
	vm->boot = bv;
	return vm;
}

static const char *cpu_list(const struct vm *vm, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (u32 v = 0; v < vm->nr_vcpus && n < size; v++)
		n += hv_snprintf(buf + n, size - n, "%s%u", v ? "," : "",
				 vm->vcpus[v]->pcpu);
	return buf;
}

void vms_create(struct boot_info *bi)
{
	for (u32 i = 0; i < bi->cfg.nr_vms; i++) {
		const struct cfg_vm *c = &bi->cfg.vms[i];
		char cpus[64];
		struct vm *vm;

		if (!bi->vms[i].ok)
			continue;
		vm = vm_create(nr_vms, c, &bi->vms[i]);
		if (!vm)
			continue;
		vms[nr_vms++] = vm;
		if (vm->state == VM_STOPPED)
			continue;
		vm->start_tsc = rdtsc();
		vm->state = VM_RUNNING;
		pr_info("vm %s: %llu MiB RAM at %#llx, %u vCPU%s on cpu %s\n",
			vm->name, (unsigned long long)(vm->ram_size >> 20),
			(unsigned long long)vm->ram_hpa, vm->nr_vcpus,
			vm->nr_vcpus > 1 ? "s" : "", cpu_list(vm, cpus,
							      sizeof(cpus)));
	}
}
