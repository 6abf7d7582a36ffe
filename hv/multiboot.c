// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot v1 kernels (see hv/multiboot.h). Section numbers are those of
 * the Multiboot Specification 0.6.96: 3.1 OS image format, 3.2 machine
 * state, 3.3 boot information format. ELF field offsets are those of the
 * System V gABI ("ELF Header", "Program Header"). All multi-byte fields are
 * little-endian and accessed byte-wise: the buffers need no alignment.
 */
#include <hv/multiboot.h>

#include <hv/errno.h>
#include <hv/linux_boot_impl.h>
#include <hv/string.h>

static int fail(const char **why, int err, const char *reason)
{
	if (why)
		*why = reason;
	return err;
}

#define MB_4G 0x100000000ull

/* [gpa, gpa + size) lies inside one usable-RAM entry of the e820 map. */
static bool in_usable_ram(const struct linux_boot_layout *m, u64 gpa,
			  u64 size)
{
	for (u32 i = 0; i < m->e820_count; i++) {
		const struct e820_entry *e = &m->e820[i];

		if (e->type == E820_TYPE_RAM && gpa >= e->addr &&
		    gpa - e->addr <= e->size && size <= e->size - (gpa - e->addr))
			return true;
	}
	return false;
}

int mb_find_header(const void *img, size_t len, struct mb_header *out,
		   const char **why)
{
	const u8 *p = img;
	size_t end = len < MB_SEARCH_LEN ? len : MB_SEARCH_LEN;

	if (why)
		*why = NULL;
	if (!img || !out)
		return fail(why, -EINVAL, "no image");
	/* 3.1.1: longword aligned, completely within the first 8192 bytes. */
	for (size_t off = 0; off + 12 <= end; off += 4) {
		struct mb_header h = { .offset = (u32)off };
		u32 req;

		if (rd32(p, off) != MB_HEADER_MAGIC)
			continue;
		h.flags = rd32(p, off + 4);
		/* 3.1.2: magic + flags + checksum must be 0 mod 2^32. */
		if ((u32)(MB_HEADER_MAGIC + h.flags + rd32(p, off + 8)))
			continue;
		/*
		 * 3.1.2: a loader that cannot fulfil a requirement (bits
		 * 0-15) must refuse the image. Page-aligned modules and the
		 * memory fields we always give; there is no display.
		 */
		req = h.flags & MB_HF_REQUIRED_MASK;
		if (req & MB_HF_VIDEO)
			return fail(why, -ENOEXEC,
				    "Multiboot header requires video mode information (flag 2); guests have no display, only a serial port");
		if (req & ~(u32)(MB_HF_PAGE_ALIGN | MB_HF_MEMINFO))
			return fail(why, -ENOEXEC,
				    "Multiboot header requires a feature this loader does not know (flags bits 3-15)");
		if (h.flags & MB_HF_ADDRESS) {
			if (off + 32 > end)
				return fail(why, -ENOEXEC,
					    "Multiboot address fields (flag 16) lie beyond the first 8192 bytes or the file");
			h.header_addr = rd32(p, off + 12);
			h.load_addr = rd32(p, off + 16);
			h.load_end_addr = rd32(p, off + 20);
			h.bss_end_addr = rd32(p, off + 24);
			h.entry_addr = rd32(p, off + 28);
		}
		*out = h;
		return 0;
	}
	return fail(why, -ENOENT, "no Multiboot header in the first 8192 bytes");
}

/*
 * 3.1.3, header address fields: the file is loaded from offset
 * header_offset - (header_addr - load_addr), load_end_addr - load_addr
 * bytes of it (0: to the end of the file), to load_addr; zeroes follow up
 * to bss_end_addr (0: no bss).
 */
static int plan_aout(size_t len, struct mb_layout *l, const char **why)
{
	const struct mb_header *h = &l->hdr;
	struct mb_segment *s = &l->seg[0];
	u64 delta;

	if (h->load_addr > h->header_addr)
		return fail(why, -ENOEXEC, "Multiboot load_addr above header_addr");
	delta = h->header_addr - h->load_addr;
	if (delta > h->offset)
		return fail(why, -ENOEXEC,
			    "Multiboot header_addr - load_addr reaches before the start of the file");
	s->file_off = h->offset - delta;
	s->gpa = h->load_addr;
	if (!h->load_end_addr) {
		s->file_size = len - s->file_off;
	} else {
		if (h->load_end_addr <= h->load_addr)
			return fail(why, -ENOEXEC,
				    "Multiboot load_end_addr does not lie above load_addr");
		s->file_size = (u64)h->load_end_addr - h->load_addr;
		if (s->file_size > len - s->file_off)
			return fail(why, -ENOEXEC,
				    "Multiboot load_end_addr lies beyond the end of the file");
	}
	s->mem_size = s->file_size;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < s->gpa + s->file_size)
			return fail(why, -ENOEXEC,
				    "Multiboot bss_end_addr lies below the end of the loaded data");
		s->mem_size = (u64)h->bss_end_addr - h->load_addr;
	}
	l->nr_segments = 1;
	l->entry = h->entry_addr;
	l->format = "a.out kludge";
	return 0;
}

/* The ELF header fields we use, from either class. */
struct elf_info {
	bool is64;
	u64 entry, phoff;
	u16 phentsize, phnum;
};

static int elf_header(const u8 *p, size_t len, struct elf_info *e,
		      const char **why)
{
	if (len < 52 || p[0] != 0x7f || p[1] != 'E' || p[2] != 'L' ||
	    p[3] != 'F')
		return fail(why, -ENOEXEC,
			    "Multiboot kernel without address fields (flag 16) that is not an ELF file");
	if (p[5] != 1)
		return fail(why, -ENOEXEC, "Multiboot ELF kernel is not little-endian");
	if (rd16(p, 16) != 2)
		return fail(why, -ENOEXEC, "Multiboot ELF kernel is not an executable (ET_EXEC)");
	if (p[4] == 1) {		/* ELFCLASS32 */
		if (rd16(p, 18) != 3)
			return fail(why, -ENOEXEC, "Multiboot ELF32 kernel is not for EM_386");
		e->is64 = false;
		e->entry = rd32(p, 24);
		e->phoff = rd32(p, 28);
		e->phentsize = rd16(p, 42);
		e->phnum = rd16(p, 44);
		if (e->phentsize != 32)
			return fail(why, -ENOEXEC, "Multiboot ELF32 kernel has odd program headers");
	} else if (p[4] == 2) {		/* ELFCLASS64 */
		if (len < 64 || rd16(p, 18) != 62)
			return fail(why, -ENOEXEC, "Multiboot ELF64 kernel is not for EM_X86_64");
		e->is64 = true;
		e->entry = rd64(p, 24);
		e->phoff = rd64(p, 32);
		e->phentsize = rd16(p, 54);
		e->phnum = rd16(p, 56);
		if (e->phentsize != 56)
			return fail(why, -ENOEXEC, "Multiboot ELF64 kernel has odd program headers");
	} else {
		return fail(why, -ENOEXEC, "Multiboot ELF kernel of unknown class");
	}
	if (!e->phnum || e->phoff > len ||
	    (u64)e->phnum * e->phentsize > len - e->phoff)
		return fail(why, -ENOEXEC,
			    "Multiboot ELF kernel's program headers lie outside the file");
	return 0;
}

/* 3.1.3: without flag 16, an ELF kernel is loaded by its program headers. */
static int plan_elf(const u8 *p, size_t len, struct mb_layout *l,
		    const char **why)
{
	struct elf_info e;
	bool entry_found = false;
	int err = elf_header(p, len, &e, why);

	if (err)
		return err;
	l->format = e.is64 ? "ELF64" : "ELF32";
	for (u32 i = 0; i < e.phnum; i++) {
		size_t ph = e.phoff + (u64)i * e.phentsize;
		u64 off, vaddr, paddr, filesz, memsz;
		struct mb_segment *s;

		if (rd32(p, ph) != 1)		/* PT_LOAD */
			continue;
		if (e.is64) {
			off = rd64(p, ph + 8);
			vaddr = rd64(p, ph + 16);
			paddr = rd64(p, ph + 24);
			filesz = rd64(p, ph + 32);
			memsz = rd64(p, ph + 40);
		} else {
			off = rd32(p, ph + 4);
			vaddr = rd32(p, ph + 8);
			paddr = rd32(p, ph + 12);
			filesz = rd32(p, ph + 16);
			memsz = rd32(p, ph + 20);
		}
		if (!memsz)
			continue;
		if (filesz > memsz || off > len || filesz > len - off)
			return fail(why, -ENOEXEC,
				    "Multiboot ELF segment's file data lies outside the file");
		if (l->nr_segments == MB_MAX_SEGMENTS)
			return fail(why, -ENOEXEC, "Multiboot ELF kernel has too many loadable segments");
		s = &l->seg[l->nr_segments++];
		*s = (struct mb_segment){ off, filesz, paddr, memsz };
		/* An entry given as a virtual address: its physical one. */
		if (!entry_found && e.entry >= vaddr && e.entry - vaddr < memsz &&
		    e.entry - vaddr + paddr < MB_4G) {
			l->entry = (u32)(e.entry - vaddr + paddr);
			entry_found = true;
		}
	}
	if (!l->nr_segments)
		return fail(why, -ENOEXEC, "Multiboot ELF kernel has no loadable segment");
	if (!entry_found)
		return fail(why, -ENOEXEC,
			    "Multiboot ELF kernel's entry point lies in no loadable segment below 4 GiB");
	return 0;
}

static u64 area_size(const struct mb_guest_config *cfg, u32 e820_count)
{
	u64 n = MB_GDT_SIZE + MBI_SIZE + MB_MOD_SIZE +
		(u64)e820_count * MB_MMAP_ENTRY_SIZE + sizeof(MB_LOADER_NAME);

	n += (cfg->cmdline ? strlen(cfg->cmdline) : 0) + 1;
	if (cfg->module_name)
		n += strlen(cfg->module_name) + 1;
	return ALIGN_UP(n, 16);
}

static bool clear_of_kernel(const struct mb_layout *l, u64 gpa, u64 size)
{
	for (u32 i = 0; i < l->nr_segments; i++)
		if (overlaps(gpa, size, l->seg[i].gpa, l->seg[i].mem_size))
			return false;
	return true;
}

static bool fits(const struct mb_layout *l, u64 gpa, u64 size)
{
	return gpa + size <= MB_4G && in_usable_ram(&l->mem, gpa, size) &&
	       clear_of_kernel(l, gpa, size);
}

int mb_plan(const void *img, size_t len, const struct mb_guest_config *cfg,
	    struct mb_layout *l, const char **why)
{
	struct linux_guest_config gc = { 0 };
	u64 a;
	int err;

	if (why)
		*why = NULL;
	if (!img || !cfg || !l)
		return fail(why, -EINVAL, "no image");
	memset(l, 0, sizeof(*l));
	err = mb_find_header(img, len, &l->hdr, why);
	if (err)
		return err;
	err = l->hdr.flags & MB_HF_ADDRESS ? plan_aout(len, l, why) :
					     plan_elf(img, len, l, why);
	if (err)
		return err;

	gc.ram_size = cfg->ram_size;
	gc.acpi_size = cfg->acpi_size;
	err = linux_plan_memory(&gc, &l->mem);
	if (err)
		return fail(why, err, "the guest's RAM size is unusable");

	l->kernel_start = ~0ull;
	for (u32 i = 0; i < l->nr_segments; i++) {
		const struct mb_segment *s = &l->seg[i];

		if (s->gpa >= MB_4G || s->mem_size > MB_4G - s->gpa ||
		    !in_usable_ram(&l->mem, s->gpa, s->mem_size))
			return fail(why, -ENOMEM,
				    "the Multiboot kernel does not lie in the guest's usable RAM below 4 GiB");
		if (s->gpa < l->kernel_start)
			l->kernel_start = s->gpa;
		if (s->gpa + s->mem_size > l->kernel_end)
			l->kernel_end = s->gpa + s->mem_size;
	}
	if (l->entry < l->kernel_start || l->entry >= l->kernel_end)
		return fail(why, -ENOEXEC,
			    "the Multiboot entry address lies outside the loaded kernel");

	/* The boot area: below 1 MiB, else just above the kernel. */
	l->area_size = area_size(cfg, l->mem.e820_count);
	a = MB_AREA_LOW_GPA;
	if (!fits(l, a, l->area_size)) {
		a = ALIGN_UP(l->kernel_end, PAGE_SIZE);
		if (!fits(l, a, l->area_size))
			return fail(why, -ENOMEM,
				    "no room for the Multiboot information below 1 MiB or above the kernel");
	}
	l->area_gpa = a;
	l->info_gpa = a + MB_GDT_SIZE;

	/*
	 * The module: page-aligned whatever header flag 0 says (3.1.2 asks
	 * it only when the flag is set; it costs nothing otherwise), at the
	 * lowest address from 1 MiB clear of the kernel and the boot area.
	 */
	if (cfg->module_name) {
		u64 size = cfg->module_size ? cfg->module_size : 1;

		a = LINUX_HIGH_START;
		for (;;) {
			if (a >= MB_4G || size > MB_4G - a ||
			    !in_usable_ram(&l->mem, a, size))
				return fail(why, -ENOMEM,
					    "the Multiboot module does not fit in the guest's RAM next to the kernel");
			if (overlaps(a, size, l->kernel_start,
				     l->kernel_end - l->kernel_start))
				a = ALIGN_UP(l->kernel_end, PAGE_SIZE);
			else if (overlaps(a, size, l->area_gpa, l->area_size))
				a = ALIGN_UP(l->area_gpa + l->area_size,
					     PAGE_SIZE);
			else
				break;
		}
		l->module_gpa = a;
		l->module_size = cfg->module_size;
	}

	/*
	 * 3.3: mem_lower is the memory from 0, mem_upper from 1 MiB "to the
	 * first memory hole", in KiB: the usable-RAM entries starting at 0
	 * and at 1 MiB (here 639 KiB, as the EBDA starts at 0x9fc00).
	 */
	for (u32 i = 0; i < l->mem.e820_count; i++) {
		const struct e820_entry *e = &l->mem.e820[i];

		if (e->type != E820_TYPE_RAM)
			continue;
		if (e->addr == 0)
			l->mem_lower = (u32)(e->size >> 10);
		if (e->addr == LINUX_HIGH_START)
			l->mem_upper = (u32)(e->size >> 10);
	}
	return 0;
}

/* Appends a NUL-terminated string to the boot area; its guest address. */
static u32 put_str(u8 *area, u64 area_gpa, size_t *pos, const char *s)
{
	size_t n = strlen(s) + 1;
	u32 gpa = (u32)(area_gpa + *pos);

	memcpy(area + *pos, s, n);
	*pos += n;
	return gpa;
}

int mb_load(linux_gpa_map_fn map, void *ctx, const void *img, size_t len,
	    const void *module, const struct mb_guest_config *cfg,
	    const struct mb_layout *l)
{
	const u8 *p = img;
	u8 *area, *info, *dst;
	size_t pos;
	u32 flags;

	if (!map || !img || !cfg || !l || (cfg->module_name && !module &&
					   cfg->module_size) ||
	    !!cfg->module_name != !!l->module_gpa ||
	    area_size(cfg, l->mem.e820_count) > l->area_size)
		return -EINVAL;

	for (u32 i = 0; i < l->nr_segments; i++) {
		const struct mb_segment *s = &l->seg[i];

		if (s->file_off > len || s->file_size > len - s->file_off)
			return -EINVAL;
		dst = map(ctx, s->gpa, s->mem_size);
		if (!dst)
			return -EFAULT;
		memcpy(dst, p + s->file_off, s->file_size);
		memset(dst + s->file_size, 0, s->mem_size - s->file_size);
	}
	if (l->module_size) {
		dst = map(ctx, l->module_gpa, l->module_size);
		if (!dst)
			return -EFAULT;
		memcpy(dst, module, l->module_size);
	}

	area = map(ctx, l->area_gpa, l->area_size);
	if (!area)
		return -EFAULT;
	memset(area, 0, l->area_size);
	wr64(area, MB_GDT_CS, MB_DESC_CODE32);
	wr64(area, MB_GDT_DS, MB_DESC_DATA);

	info = area + MB_GDT_SIZE;
	pos = MB_GDT_SIZE + MBI_SIZE;
	flags = MB_INFO_MEM | MB_INFO_CMDLINE | MB_INFO_MODS | MB_INFO_MMAP |
		MB_INFO_LOADER_NAME;
	wr32(info, MBI_MEM_LOWER, l->mem_lower);
	wr32(info, MBI_MEM_UPPER, l->mem_upper);

	/* 3.3 module list: mod_start, mod_end (exclusive), string, 0. */
	wr32(info, MBI_MODS_ADDR, (u32)(l->area_gpa + pos));
	if (cfg->module_name) {
		wr32(info, MBI_MODS_COUNT, 1);
		wr32(area, pos, (u32)l->module_gpa);
		wr32(area, pos + 4, (u32)(l->module_gpa + l->module_size));
	}
	pos += MB_MOD_SIZE;

	/*
	 * 3.3 memory map: each entry is preceded by its size (20, not
	 * counting the size field itself); mmap_addr points at the first
	 * size field, mmap_length counts whole entries. The e820 types are
	 * the Multiboot ones (1 available, 3 ACPI, 4 NVS, 5 bad, 2 reserved).
	 */
	wr32(info, MBI_MMAP_ADDR, (u32)(l->area_gpa + pos));
	wr32(info, MBI_MMAP_LENGTH, l->mem.e820_count * MB_MMAP_ENTRY_SIZE);
	for (u32 i = 0; i < l->mem.e820_count; i++) {
		const struct e820_entry *e = &l->mem.e820[i];

		wr32(area, pos, MB_MMAP_ENTRY_SIZE - 4);
		wr64(area, pos + 4, e->addr);
		wr64(area, pos + 12, e->size);
		wr32(area, pos + 20, e->type);
		pos += MB_MMAP_ENTRY_SIZE;
	}

	wr32(info, MBI_BOOT_LOADER_NAME,
	     put_str(area, l->area_gpa, &pos, MB_LOADER_NAME));
	wr32(info, MBI_CMDLINE, put_str(area, l->area_gpa, &pos,
					cfg->cmdline ? cfg->cmdline : ""));
	if (cfg->module_name)
		wr32(area, MB_GDT_SIZE + MBI_SIZE + 8,
		     put_str(area, l->area_gpa, &pos, cfg->module_name));
	wr32(info, MBI_FLAGS, flags);
	return 0;
}
