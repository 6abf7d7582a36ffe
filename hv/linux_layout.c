// SPDX-License-Identifier: GPL-2.0
/*
 * Linux x86 boot protocol: where a guest's kernel, initrd, zero page,
 * command line and ACPI tables go, and its e820 memory map (RAM below
 * 3 GiB, the rest from 4 GiB: hv/guest_ram.h). Multiboot guests get the
 * same map (hv/multiboot.c). Reference: Documentation/arch/x86/boot.rst.
 */
#include <hv/linux_boot.h>
#include <hv/linux_boot_impl.h>

#include <hv/errno.h>
#include <hv/string.h>

/*
 * e820 editing. The table is kept sorted and non-overlapping; overlaying a
 * range cuts it out of whatever was there and inserts it with its own type.
 */
static int e820_overlay(struct e820_entry *t, u32 *n, u64 addr, u64 size,
			u32 type)
{
	u64 end = addr + size;
	u32 i, j, k;

	if (!size)
		return 0;
	for (i = 0; i < *n; i++) {
		u64 ea = t[i].addr, ee = t[i].addr + t[i].size;

		if (!overlaps(ea, t[i].size, addr, size))
			continue;
		if (ea < addr && ee > end) {
			/* Split: left part stays, right part appended. */
			if (*n >= LINUX_E820_MAX)
				return -ENOSPC;
			t[*n].addr = end;
			t[*n].size = ee - end;
			t[*n].type = t[i].type;
			(*n)++;
			t[i].size = addr - ea;
		} else if (ea < addr) {
			t[i].size = addr - ea;
		} else if (ee > end) {
			t[i].addr = end;
			t[i].size = ee - end;
		} else {
			t[i].size = 0;	/* fully covered, dropped below */
		}
	}
	if (*n >= LINUX_E820_MAX)
		return -ENOSPC;
	t[*n].addr = addr;
	t[*n].size = size;
	t[*n].type = type;
	(*n)++;

	/* Drop empty entries, insertion-sort by address, merge neighbours. */
	for (i = 0, j = 0; i < *n; i++)
		if (t[i].size)
			t[j++] = t[i];
	*n = j;
	for (i = 1; i < *n; i++) {
		struct e820_entry e = t[i];

		for (k = i; k > 0 && t[k - 1].addr > e.addr; k--)
			t[k] = t[k - 1];
		t[k] = e;
	}
	for (i = 1, j = 0; i < *n; i++) {
		if (t[i].type == t[j].type &&
		    t[j].addr + t[j].size == t[i].addr)
			t[j].size += t[i].size;
		else
			t[++j] = t[i];
	}
	*n = *n ? j + 1 : 0;
	return 0;
}

/* Does [a, a + s) hit a hypervisor-reserved range? Returns it or NULL. */
static const struct e820_entry *
hits_reserved(const struct linux_guest_config *cfg, u64 a, u64 s)
{
	u32 i;

	for (i = 0; i < cfg->nr_reserved; i++) {
		const struct e820_entry *r = &cfg->reserved[i];

		if (overlaps(a, s, r->addr, r->size))
			return r;
	}
	return NULL;
}

/*
 * Place the kernel: pref_address, else (relocatable) the lowest aligned
 * fit. A relocatable kernel goes to a kernel_alignment multiple only, its
 * pref_address too (linux_build_boot_params() checks that): the header
 * may ask for a pref_address that is not one.
 */
static int place_kernel(const struct linux_image_info *info,
			const struct linux_guest_config *cfg, u64 top,
			struct linux_boot_layout *l)
{
	u64 mem = info->init_size, a = info->pref_address;
	const struct e820_entry *r;

	l->kernel_mem = mem;
	if (fits_below(a, mem, top) && !hits_reserved(cfg, a, mem) &&
	    (!info->relocatable || !(a & (info->kernel_alignment - 1)))) {
		l->kernel_gpa = a;
		return 0;
	}
	if (!info->relocatable)
		return -ENOMEM;
	/* boot.rst: a relocatable kernel is loaded at a kernel_alignment
	 * multiple; try upwards from 1 MiB. */
	a = align_up(LINUX_HIGH_START, info->kernel_alignment);
	while (fits_below(a, mem, top)) {
		r = hits_reserved(cfg, a, mem);
		if (!r) {
			l->kernel_gpa = a;
			return 0;
		}
		a = align_up(r->addr + r->size, info->kernel_alignment);
	}
	return -ENOMEM;
}

/*
 * Place the initrd as high as possible below top (which already accounts
 * for initrd_addr_max), page-aligned, avoiding the kernel and reserved
 * ranges. boot.rst recommends the highest possible address.
 */
static int place_initrd(const struct linux_guest_config *cfg, u64 top,
			struct linux_boot_layout *l)
{
	u64 size = cfg->initrd_size, a;
	const struct e820_entry *r;

	l->initrd_size = size;
	l->initrd_gpa = 0;
	if (!size)
		return 0;
	while (top > LINUX_HIGH_START && size <= top - LINUX_HIGH_START) {
		a = align_down(top - size, PAGE_SIZE);
		if (a < LINUX_HIGH_START)
			break;
		if (overlaps(a, size, l->kernel_gpa, l->kernel_mem)) {
			top = l->kernel_gpa;
			continue;
		}
		r = hits_reserved(cfg, a, size);
		if (r) {
			top = r->addr;
			continue;
		}
		l->initrd_gpa = a;
		return 0;
	}
	return -ENOMEM;
}

static u64 low_max(const struct linux_guest_config *cfg)
{
	return cfg->low_ram_max ? cfg->low_ram_max : LINUX_LOW_RAM_MAX;
}

static int check_ram(const struct linux_guest_config *cfg)
{
	u64 lm = low_max(cfg);

	if (cfg->ram_size & (PAGE_SIZE - 1) || lm & (PAGE_SIZE - 1) ||
	    lm <= LINUX_HIGH_START || lm > LINUX_4G ||
	    cfg->ram_size <= LINUX_HIGH_START)
		return -EINVAL;
	if (cfg->nr_reserved && !cfg->reserved)
		return -EINVAL;
	return 0;
}

/*
 * After check_ram(): RAM of the guest is [0, low_ram_end) and, beyond
 * low_max, [4G, high_ram_end); the ACPI tables go to the top of low RAM,
 * the RSDP copy to the BIOS area. *top: end of the RAM free for images.
 */
static int plan_ram(const struct linux_guest_config *cfg,
		    struct linux_boot_layout *l, u64 *top)
{
	u64 lm = low_max(cfg);

	l->low_ram_end = cfg->ram_size < lm ? cfg->ram_size : lm;
	if (cfg->ram_size > lm)
		l->high_ram_end = LINUX_4G + (cfg->ram_size - lm);

	*top = l->low_ram_end;
	if (cfg->acpi_size) {
		if (cfg->acpi_size >= *top - LINUX_HIGH_START)
			return -ENOMEM;
		l->acpi_size = align_up(cfg->acpi_size, PAGE_SIZE);
		if (l->acpi_size >= *top - LINUX_HIGH_START)
			return -ENOMEM;
		l->acpi_gpa = *top - l->acpi_size;
		*top = l->acpi_gpa;
	}
	l->rsdp_gpa = LINUX_RSDP_GPA;
	return 0;
}

/*
 * e820: low RAM, EBDA..1M reserved (RSDP copy lives at 0xE0000), RAM from
 * 1 MiB, RAM above 4G, then the ACPI and hypervisor ranges cut out of it.
 */
static int build_e820(const struct linux_guest_config *cfg,
		      struct linux_boot_layout *l)
{
	u32 i;
	int err;

	l->e820[0] = (struct e820_entry){ 0, LINUX_EBDA_START, E820_TYPE_RAM };
	l->e820[1] = (struct e820_entry){ LINUX_EBDA_START,
		LINUX_HIGH_START - LINUX_EBDA_START, E820_TYPE_RESERVED };
	l->e820[2] = (struct e820_entry){ LINUX_HIGH_START,
		l->low_ram_end - LINUX_HIGH_START, E820_TYPE_RAM };
	l->e820_count = 3;
	if (l->high_ram_end)
		l->e820[l->e820_count++] = (struct e820_entry){ LINUX_4G,
			l->high_ram_end - LINUX_4G, E820_TYPE_RAM };
	err = e820_overlay(l->e820, &l->e820_count, l->acpi_gpa, l->acpi_size,
			   E820_TYPE_ACPI);
	for (i = 0; !err && i < cfg->nr_reserved; i++)
		err = e820_overlay(l->e820, &l->e820_count,
				   cfg->reserved[i].addr, cfg->reserved[i].size,
				   cfg->reserved[i].type);
	return err;
}

int linux_plan_memory(const struct linux_guest_config *cfg,
		      struct linux_boot_layout *l)
{
	u64 top;
	int err;

	if (!cfg || !l)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	err = check_ram(cfg);
	if (!err)
		err = plan_ram(cfg, l, &top);
	return err ? err : build_e820(cfg, l);
}

int linux_plan_layout(const struct linux_image_info *info,
		      const struct linux_guest_config *cfg,
		      struct linux_boot_layout *l)
{
	u64 top, itop;
	u32 i;
	int err;

	if (!info || !cfg || !l)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	err = check_ram(cfg);
	if (err)
		return err;
	/* boot.rst: cmdline_size excludes the terminating zero. */
	if (cfg->cmdline_len > info->cmdline_size ||
	    cfg->cmdline_len >= LINUX_CMDLINE_MAX)
		return -E2BIG;

	l->zero_page_gpa = LINUX_ZERO_PAGE_GPA;
	l->scratch_gpa = LINUX_SCRATCH_GPA;
	l->scratch_size = LINUX_SCRATCH_SIZE;
	l->cmdline_gpa = LINUX_CMDLINE_GPA;
	l->cmdline_len = (u32)cfg->cmdline_len;
	for (i = 0; i < cfg->nr_reserved; i++) {
		const struct e820_entry *r = &cfg->reserved[i];

		if (!r->size || r->addr + r->size <= r->addr ||
		    overlaps(r->addr, r->size, 0, LINUX_CMDLINE_GPA +
			     LINUX_CMDLINE_MAX))
			return -EINVAL;
	}

	err = plan_ram(cfg, l, &top);
	if (err)
		return err;

	err = place_kernel(info, cfg, top, l);
	if (err)
		return err;
	l->entry64 = l->kernel_gpa + LINUX_ENTRY64_OFFSET;

	/* boot.rst: initrd_addr_max is the highest address the initrd may
	 * occupy, so its last byte must be <= initrd_addr_max. */
	itop = (u64)info->initrd_addr_max + 1;
	err = place_initrd(cfg, itop < top ? itop : top, l);
	if (err)
		return err;
	return build_e820(cfg, l);
}
