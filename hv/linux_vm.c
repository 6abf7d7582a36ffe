// SPDX-License-Identifier: GPL-2.0
/*
 * A Linux guest from a bzImage: the pure boot-protocol builder
 * (hv/linux_boot.c) plans the layout and fills the zero page; this file
 * feeds it the VM's RAM and configuration and loads vCPU 0's entry state.
 * The other vCPUs wait for the kernel's INIT/SIPI.
 *
 * ACPI tables (hv/acpi_build.c) describe the vCPUs, the I/O APIC and
 * power-off; the RSDP is in the BIOS area and in the zero page.
 *
 * The command line gets `tsc_early_khz=`: Linux has no way to learn the
 * TSC rate of an unknown hypervisor and would otherwise calibrate it
 * against the PIT (hv/vpit.c), slowly and coarsely under emulation; and
 * `tsc=reliable`: the TSC is the host's, passed through, so the
 * clocksource watchdog (which would compare it with jiffies, late under
 * emulation) has nothing to find.
 */
#include <hv/acpi_build.h>
#include <hv/bootinfo.h>
#include <hv/errno.h>
#include <hv/gmem.h>
#include <hv/linux_boot.h>
#include <hv/linux_vm.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/vcpu.h>
#include <hv/vm_create.h>
#include <arch/x86/cpu.h>

#define CMDLINE_BUF 2048

bool linux_vm_is_bzimage(const void *img, size_t len)
{
	struct linux_image_info info;

	return linux_parse_bzimage(img, len, &info, NULL) == 0;
}

static void *map_ram(void *ctx, u64 gpa, u64 len, u64 fill)
{
	return gpa_to_hva_fill(ctx, gpa, len, fill);
}

/* A GDT descriptor's attributes in the packed form of struct seg. */
static struct seg seg_from_desc(u16 sel, u64 desc)
{
	u16 attr = ((desc >> 40) & 0xff) | (((desc >> 52) & 0xf) << 8);
	u32 limit = (u32)((desc & 0xffff) | ((desc >> 32) & 0xf0000));

	if (attr & SEG_ATTR_G)
		limit = (limit << 12) | 0xfff;
	return (struct seg){ .sel = sel, .attr = attr, .limit = limit };
}

static void enter(struct vcpu *vcpu, const struct linux_entry_state *st)
{
	struct vcpu_sregs s;

	memset(&s, 0, sizeof(s));
	s.cs = seg_from_desc(st->cs, st->cs_desc);
	s.ds = s.es = s.ss = s.fs = s.gs = seg_from_desc(st->ds, st->ds_desc);
	s.tr = (struct seg){ .attr = 0x8b, .limit = 0x67 };	/* busy TSS */
	s.ldt = (struct seg){ .attr = 0x82, .limit = 0xffff };
	s.gdt.base = st->gdt_base;
	s.gdt.limit = st->gdt_limit;
	s.cr0 = st->cr0;
	s.cr3 = st->cr3;
	s.cr4 = st->cr4;
	s.efer = st->efer;
	s.pat = 0x0007040600070406ULL;
	virt->set_sregs(vcpu, &s);
	memset(&vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->regs.rip = st->rip;
	vcpu->regs.rsi = st->rsi;
	vcpu->regs.rflags = st->rflags;
}

/* Why linux_plan_layout() refused the guest. */
static const char *plan_error(int err)
{
	switch (err) {
	case -E2BIG:
		return "the command line is longer than the kernel takes (its cmdline_size)";
	case -ENOMEM:
		return "the kernel, initrd and ACPI tables do not fit in the guest's RAM below 3 GiB";
	case -ENOSPC:
		return "the e820 memory map has too many entries";
	default:
		return "the guest's RAM size is unusable for the Linux boot protocol";
	}
}

int linux_vm_load(struct vm *vm, const struct boot_vm *bv, const char **why)
{
	struct linux_image_info info;
	struct linux_guest_config gc = { 0 };
	struct linux_boot_layout *l;
	struct linux_entry_state st;
	char *cmdline;
	void *scratch;
	int err;

	err = linux_parse_bzimage(bv->image.data, bv->image.size, &info, why);
	if (err)
		return err;
	l = page_alloc(sizeof(*l));
	cmdline = page_alloc(CMDLINE_BUF);
	if (!l || !cmdline) {
		*why = "out of hypervisor memory";
		return -ENOMEM;
	}
	hv_snprintf(cmdline, CMDLINE_BUF, "%s tsc_early_khz=%llu tsc=reliable",
		    vm->cfg->cmdline, (unsigned long long)(tsc_hz / 1000));
	gc.ram_size = vm->ram_size;
	gc.acpi_size = ACPI_TABLES_SIZE;
	gc.initrd_size = bv->initrd.data ? bv->initrd.size : 0;
	gc.cmdline_len = strlen(cmdline);
	gc.low_ram_max = GUEST_RAM_LOW_MAX;	/* the map of hv/guest_ram.h */
	err = linux_plan_layout(&info, &gc, l);
	if (err)
		*why = plan_error(err);
	if (!err) {
		err = linux_load(map_ram, vm, bv->image.data, bv->image.size,
				 bv->initrd.data, cmdline, l);
		if (err)
			*why = "the kernel, initrd or command line could not be written to the guest's RAM";
	}
	scratch = gpa_to_hva(vm, l->scratch_gpa, l->scratch_size);
	if (!err) {
		err = scratch ? linux_build_entry_state(scratch, l, &st) :
				-EFAULT;
		if (err)
			*why = "the boot page tables and GDT could not be written";
	}
	if (!err) {
		err = vm_write_acpi(vm, l->acpi_gpa, l->acpi_size,
				    l->rsdp_gpa);
		if (err)
			*why = "the ACPI tables could not be written";
	}
	if (!err) {
		enter(vm->vcpus[0], &st);
		pr_info("vm %s: Linux boot protocol %x.%02x, kernel at %#llx, initrd %llu KiB at %#llx\n",
			vm->name, info.protocol >> 8, info.protocol & 0xff,
			(unsigned long long)l->kernel_gpa,
			(unsigned long long)(l->initrd_size >> 10),
			(unsigned long long)l->initrd_gpa);
	}
	page_free(cmdline, CMDLINE_BUF);
	page_free(l, sizeof(*l));
	return err;
}
