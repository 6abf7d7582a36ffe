// SPDX-License-Identifier: GPL-2.0
/*
 * A guest from a Multiboot (v1) kernel: hv/multiboot.c plans and writes
 * the kernel, the module (the config's `initrd`, named by its path) and the
 * boot information with the e820 view of a Linux guest of the same size;
 * this file feeds it the VM and sets vCPU 0's entry state, Multiboot
 * Specification 0.6.96 section 3.2:
 *
 *   - 32-bit protected mode, paging off (CR0.PE set, PG clear);
 *   - CS a flat 32-bit read/execute segment, DS/ES/FS/GS/SS flat read/write
 *     data (base 0, limit 4 GiB), here selectors 0x08/0x10 of a GDT in the
 *     boot area (the spec lets GDTR be invalid; ours is usable);
 *   - EAX = 0x2BADB002, EBX = the information structure's address;
 *   - EFLAGS.VM and IF clear; A20 on (the platform has no A20 gate).
 *
 * Both backends take this state through set_sregs(): one runs protected
 * mode without paging natively, the other through unrestricted guest.
 */
#include <hv/acpi_build.h>
#include <hv/bootinfo.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/multiboot.h>
#include <hv/multiboot_vm.h>
#include <hv/string.h>
#include <hv/vcpu.h>
#include <hv/vm_create.h>
#include <arch/x86/cpu.h>

#define SEG_CODE32 0xc9b	/* P, S, type 0xb (code, accessed), D/B, G */
#define SEG_DATA32 0xc93	/* P, S, type 0x3 (data, accessed), D/B, G */
#define SEG_TSS32  0x08b	/* P, type 0xb (busy 32-bit TSS) */
#define SEG_LDT    0x082	/* P, type 0x2 */

bool multiboot_vm_is_multiboot(const void *img, size_t len)
{
	struct mb_header h;

	return mb_find_header(img, len, &h, NULL) != -ENOENT;
}

static void *map_ram(void *ctx, u64 gpa, u64 len, u64 fill)
{
	return gpa_to_hva_fill(ctx, gpa, len, fill);
}

static struct seg flat(u16 sel, u16 attr)
{
	return (struct seg){ .sel = sel, .attr = attr, .limit = 0xffffffff };
}

static void enter(struct vcpu *vcpu, const struct mb_layout *l)
{
	struct vcpu_sregs s;

	memset(&s, 0, sizeof(s));
	s.cs = flat(MB_GDT_CS, SEG_CODE32);
	s.ds = s.es = s.fs = s.gs = s.ss = flat(MB_GDT_DS, SEG_DATA32);
	s.tr = (struct seg){ .attr = SEG_TSS32, .limit = 0x67 };
	s.ldt = (struct seg){ .attr = SEG_LDT, .limit = 0xffff };
	s.gdt.base = l->area_gpa;
	s.gdt.limit = MB_GDT_SIZE - 1;
	s.idt.limit = 0x3ff;
	s.cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE;
	s.pat = 0x0007040600070406ULL;
	virt->set_sregs(vcpu, &s);
	memset(&vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->regs.rip = l->entry;
	vcpu->regs.rax = MB_BOOT_MAGIC;
	vcpu->regs.rbx = l->info_gpa;
	vcpu->regs.rflags = X86_RFLAGS_FIXED;	/* IF and VM clear */
}

int multiboot_vm_load(struct vm *vm, const struct boot_vm *bv,
		      const char **why)
{
	struct mb_guest_config gc = {
		.ram_size = vm->ram_size,
		.acpi_size = ACPI_TABLES_SIZE,
		.cmdline = vm->cfg->cmdline,
	};
	struct mb_layout *l = page_alloc(sizeof(*l));
	int err;

	if (!l) {
		*why = "out of hypervisor memory";
		return -ENOMEM;
	}
	if (bv->initrd.data) {
		gc.module_name = vm->cfg->initrd;
		gc.module_size = bv->initrd.size;
	}
	err = mb_plan(bv->image.data, bv->image.size, &gc, l, why);
	if (!err) {
		err = mb_load(map_ram, vm, bv->image.data, bv->image.size,
			      bv->initrd.data, &gc, l);
		if (err)
			*why = "the kernel, module or boot information could not be written";
	}
	if (!err) {
		err = vm_write_acpi(vm, l->mem.acpi_gpa, l->mem.acpi_size,
				    l->mem.rsdp_gpa);
		if (err)
			*why = "the ACPI tables could not be written";
	}
	if (!err) {
		enter(vm->vcpus[0], l);
		pr_info("vm %s: Multiboot %s kernel at %#llx-%#llx, entry %#x, info at %#llx%s\n",
			vm->name, l->format,
			(unsigned long long)l->kernel_start,
			(unsigned long long)l->kernel_end, l->entry,
			(unsigned long long)l->info_gpa,
			l->module_gpa ? ", module 0 = initrd" : "");
	}
	page_free(l, sizeof(*l));
	return err;
}
