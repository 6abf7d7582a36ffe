// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's own page tables: an identity map of all physical memory
 * and the 4 GiB below, so that MMIO is reachable. Memory types come from
 * the firmware's MTRRs (an UC MTRR wins over a WB PAT entry, SDM vol. 3
 * 12.5.2.2); the local APIC page is also mapped UC explicitly.
 */
#include <arch/x86/cpu.h>
#include <drivers/lapic.h>
#include <hv/bootinfo.h>
#include <hv/log.h>
#include <drivers/uart16550.h>
#include <hv/mm/host_map.h>
#include <hv/mm/page_alloc.h>
#include <hv/mm/paging.h>

static struct pt_ctx host_pt;

static void *alloc_table(void *opaque, u64 *phys)
{
	/* Below 4 GiB: APs load this CR3 from 32-bit trampoline code. */
	void *p = page_alloc_aligned(PAGE_SIZE, PAGE_SIZE, 4 * GiB);

	(void)opaque;
	if (p)
		*phys = virt_to_phys(p);
	return p;
}

static void *to_virt(void *opaque, u64 phys)
{
	(void)opaque;
	return phys_to_virt(phys);
}

u64 host_map_init(const struct boot_info *bi)
{
	u64 end = 4 * GiB, flags = PTE_P | PTE_RW;
	struct cpuid_regs r;
	int err;

	for (u32 i = 0; i < bi->nr_mem; i++) {
		u64 e = bi->mem[i].start + bi->mem[i].size;

		if (e > end)
			end = e;
	}
	end = ALIGN_UP(end, GiB);

	host_pt.fmt = &pt_format_x86;
	host_pt.alloc_table = alloc_table;
	host_pt.phys_to_virt = to_virt;
	cpuid_count(0x80000001, 0, &r);
	/* Without 1 GiB pages (CPUID 8000_0001h EDX[26]), 2 MiB leaves. */
	if (!(r.edx & BIT(26))) {
		static struct pt_format fmt_2m;

		fmt_2m = pt_format_x86;
		fmt_2m.allow_1g = false;
		host_pt.fmt = &fmt_2m;
	}
	err = pt_init(&host_pt);
	if (!err)
		err = pt_map(&host_pt, 0, 0, end, flags);
	/* The xAPIC page; x2APIC mode has none (drivers/lapic.c). */
	if (!err && lapic_mmio_base())
		err = pt_map(&host_pt, lapic_mmio_base(), lapic_mmio_base(),
			     PAGE_SIZE, flags | PTE_PCD | PTE_PWT);
	/* A memory-mapped console UART (a 64-bit BAR may lie above RAM). */
	if (!err && uart_current()->space == UART_SPACE_MMIO)
		err = pt_map(&host_pt, uart_current()->base & ~(PAGE_SIZE - 1),
			     uart_current()->base & ~(PAGE_SIZE - 1), PAGE_SIZE,
			     flags | PTE_PCD | PTE_PWT);
	if (err)
		panic("cannot build the host page tables: %d", err);
	pr_debug("host identity map: 0-%#llx\n", (unsigned long long)end);
	return host_pt.root;
}
