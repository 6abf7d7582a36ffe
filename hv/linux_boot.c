// SPDX-License-Identifier: GPL-2.0
/*
 * Linux x86 boot protocol: bzImage parsing, guest layout, zero page.
 *
 * References: Linux Documentation/arch/x86/boot.rst (setup header, "Details
 * of Header Fields", "64-bit Boot Protocol") and zero-page.rst (boot_params
 * offsets). All multi-byte fields are little-endian and read/written
 * byte-wise, so the buffers need no alignment.
 */
#include <hv/linux_boot.h>

#include <hv/errno.h>
#include <hv/string.h>

static u16 rd16(const u8 *p, size_t off)
{
	return (u16)(p[off] | p[off + 1] << 8);
}

static u32 rd32(const u8 *p, size_t off)
{
	return (u32)rd16(p, off) | (u32)rd16(p, off + 2) << 16;
}

static u64 rd64(const u8 *p, size_t off)
{
	return (u64)rd32(p, off) | (u64)rd32(p, off + 4) << 32;
}

static void wr8(u8 *p, size_t off, u8 v)
{
	p[off] = v;
}

static void wr16(u8 *p, size_t off, u16 v)
{
	p[off] = (u8)v;
	p[off + 1] = (u8)(v >> 8);
}

static void wr32(u8 *p, size_t off, u32 v)
{
	wr16(p, off, (u16)v);
	wr16(p, off + 2, (u16)(v >> 16));
}

static void wr64(u8 *p, size_t off, u64 v)
{
	wr32(p, off, (u32)v);
	wr32(p, off + 4, (u32)(v >> 32));
}

static u64 align_up(u64 v, u64 a)
{
	return (v + a - 1) & ~(a - 1);
}

static u64 align_down(u64 v, u64 a)
{
	return v & ~(a - 1);
}

static bool is_pow2(u64 v)
{
	return v && !(v & (v - 1));
}

/* Half-open ranges [a, a + as) and [b, b + bs) intersect (no overflow). */
static bool overlaps(u64 a, u64 as, u64 b, u64 bs)
{
	if (!as || !bs)
		return false;
	return a < b ? b - a < as : a - b < bs;
}

/* [a, a + size) lies within [0, top). */
static bool fits_below(u64 a, u64 size, u64 top)
{
	return a <= top && size <= top - a;
}

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -ENOEXEC;
}

int linux_parse_bzimage(const void *img, size_t len,
			struct linux_image_info *out, const char **why)
{
	const u8 *p = img;
	struct linux_image_info i;
	u64 end;

	if (why)
		*why = NULL;
	if (!img || !out)
		return fail(why, "no image");
	memset(&i, 0, sizeof(i));

	if (len < LBP_HDR_MIN_END)
		return fail(why, "truncated: shorter than a setup header");
	if (rd16(p, LBP_BOOT_FLAG) != 0xAA55)
		return fail(why, "no 0xAA55 boot flag at 0x1fe");
	if (rd32(p, LBP_HEADER) != LINUX_HDRS_MAGIC)
		return fail(why, "no \"HdrS\" signature at 0x202");
	i.protocol = rd16(p, LBP_VERSION);
	if (i.protocol < LINUX_MIN_PROTOCOL)
		return fail(why, "boot protocol older than 2.12");

	/* boot.rst: the header ends at 0x202 + the byte at 0x201. */
	i.hdr_end = 0x202 + p[LBP_JUMP + 1];
	if (i.hdr_end < LBP_HDR_MIN_END)
		return fail(why, "setup header too short for protocol 2.12");
	if (i.hdr_end > LBP_HDR_MAX_END)
		i.hdr_end = LBP_HDR_MAX_END;
	if (i.hdr_end > len)
		return fail(why, "truncated inside the setup header");

	i.loadflags = p[LBP_LOADFLAGS];
	if (!(i.loadflags & LINUX_LOADED_HIGH))
		return fail(why, "not a bzImage (LOADED_HIGH clear)");
	i.xloadflags = rd16(p, LBP_XLOADFLAGS);
	i.xlf_kernel_64 = i.xloadflags & LINUX_XLF_KERNEL_64;
	i.xlf_above_4g = i.xloadflags & LINUX_XLF_CAN_BE_LOADED_ABOVE_4G;
	if (!i.xlf_kernel_64)
		return fail(why, "no 64-bit entry point (XLF_KERNEL_64 clear)");

	/* boot.rst: "If this field is 0, the real value is 4." */
	i.setup_sects = p[LBP_SETUP_SECTS] ? p[LBP_SETUP_SECTS] : 4;
	i.kernel_offset = ((u64)i.setup_sects + 1) * 512;
	if (i.kernel_offset >= len)
		return fail(why, "truncated: no protected-mode kernel");
	i.kernel_size = len - i.kernel_offset;

	i.relocatable = p[LBP_RELOCATABLE] != 0;
	i.kernel_alignment = rd32(p, LBP_KERNEL_ALIGNMENT);
	i.pref_address = rd64(p, LBP_PREF_ADDRESS);
	i.init_size = rd32(p, LBP_INIT_SIZE);
	i.cmdline_size = rd32(p, LBP_CMDLINE_SIZE);
	i.initrd_addr_max = rd32(p, LBP_INITRD_ADDR_MAX);

	if (i.relocatable && !is_pow2(i.kernel_alignment))
		return fail(why, "kernel_alignment is not a power of two");
	if (i.pref_address < LINUX_HIGH_START ||
	    i.pref_address & (PAGE_SIZE - 1))
		return fail(why, "pref_address below 1 MiB or unaligned");
	if (i.init_size < i.kernel_size)
		return fail(why, "init_size smaller than the kernel");
	if (!i.cmdline_size)
		return fail(why, "cmdline_size is 0");
	if (i.initrd_addr_max < LINUX_HIGH_START)
		return fail(why, "initrd_addr_max below 1 MiB");

	/* payload_offset is relative to the protected-mode code. */
	i.payload_offset = i.kernel_offset + rd32(p, LBP_PAYLOAD_OFFSET);
	i.payload_len = rd32(p, LBP_PAYLOAD_LENGTH);
	end = i.payload_offset + i.payload_len;
	if (!i.payload_len || end > len)
		return fail(why, "payload outside the image");

	*out = i;
	return 0;
}

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

int linux_build_boot_params(void *zero_page, const void *img, size_t len,
			    const struct linux_boot_layout *l)
{
	struct linux_image_info info;
	u8 *zp = zero_page;
	u64 iend;
	u32 i;
	int err;

	if (!zero_page || !l)
		return -EINVAL;
	err = linux_parse_bzimage(img, len, &info, NULL);
	if (err)
		return err;

	/* Check the layout against this image's constraints. */
	if (l->cmdline_len > info.cmdline_size)
		return -E2BIG;
	if (l->e820_count > LINUX_E820_MAX || !l->cmdline_gpa)
		return -EINVAL;
	if (info.relocatable ? l->kernel_gpa & (info.kernel_alignment - 1)
			     : l->kernel_gpa != info.pref_address)
		return -EINVAL;
	iend = l->initrd_gpa + l->initrd_size;
	if (l->initrd_size && iend - 1 > info.initrd_addr_max &&
	    !info.xlf_above_4g)
		return -EINVAL;
	if (!info.xlf_above_4g &&
	    ((l->cmdline_gpa + l->cmdline_len) >> 32 || iend >> 32 ||
	     (l->kernel_gpa + info.init_size) >> 32))
		return -EINVAL;

	/*
	 * boot.rst, 64-bit boot protocol: zero the boot_params, then copy the
	 * setup header from offset 0x1f1 of the image to the same offset.
	 * The sentinel at 0x1ef stays 0 since we copy from 0x1f1 only.
	 */
	memset(zp, 0, LINUX_ZERO_PAGE_SIZE);
	memcpy(zp + LBP_SETUP_SECTS, (const u8 *)img + LBP_SETUP_SECTS,
	       info.hdr_end - LBP_SETUP_SECTS);

	/* 0xFF: "undefined" boot loader; no ext_loader_* then. */
	wr8(zp, LBP_TYPE_OF_LOADER, 0xFF);
	wr8(zp, LBP_EXT_LOADER_VER, 0);
	wr8(zp, LBP_EXT_LOADER_TYPE, 0);

	/*
	 * loadflags: keep LOADED_HIGH. CAN_USE_HEAP/heap_end_ptr only matter
	 * to the 16-bit setup code and KEEP_SEGMENTS (obsolete) only to the
	 * 32-bit entry; neither runs with the 64-bit entry, so both are clear
	 * and heap_end_ptr is 0. QUIET and KASLR are left as the image has
	 * them (the kernel sets KASLR_FLAG itself).
	 */
	wr8(zp, LBP_LOADFLAGS, (u8)((info.loadflags | LINUX_LOADED_HIGH) &
				    ~(LINUX_CAN_USE_HEAP |
				      LINUX_KEEP_SEGMENTS)));
	wr16(zp, LBP_HEAP_END_PTR, 0);
	/* code32_start defaults to the load address (boot.rst). */
	wr32(zp, LBP_CODE32_START, (u32)l->kernel_gpa);
	wr64(zp, LBP_SETUP_DATA, 0);

	wr32(zp, LBP_CMD_LINE_PTR, (u32)l->cmdline_gpa);
	wr32(zp, LBP_EXT_CMD_LINE_PTR, (u32)(l->cmdline_gpa >> 32));
	if (l->initrd_size) {
		wr32(zp, LBP_RAMDISK_IMAGE, (u32)l->initrd_gpa);
		wr32(zp, LBP_RAMDISK_SIZE, (u32)l->initrd_size);
		wr32(zp, LBP_EXT_RAMDISK_IMAGE, (u32)(l->initrd_gpa >> 32));
		wr32(zp, LBP_EXT_RAMDISK_SIZE, (u32)(l->initrd_size >> 32));
	}

	/*
	 * acpi_rsdp_addr lives in boot_params at 0x070 (zero-page.rst). It
	 * was introduced with protocol 2.14 (2.14 itself put it in the setup
	 * header by mistake and is "same as 2.13"; 2.15 kernels read 0x070).
	 * Older kernels ignore it and scan 0xE0000-0xFFFFF instead.
	 */
	if (l->rsdp_gpa && info.protocol >= 0x020e)
		wr64(zp, LBP_ACPI_RSDP_ADDR, l->rsdp_gpa);

	wr8(zp, LBP_E820_ENTRIES, (u8)l->e820_count);
	for (i = 0; i < l->e820_count; i++) {
		size_t off = LBP_E820_TABLE + i * sizeof(struct e820_entry);

		wr64(zp, off, l->e820[i].addr);
		wr64(zp, off + 8, l->e820[i].size);
		wr32(zp, off + 16, l->e820[i].type);
	}
	return 0;
}

int linux_load(linux_gpa_map_fn map, void *ctx, const void *img, size_t len,
	       const void *initrd, const char *cmdline,
	       const struct linux_boot_layout *l)
{
	struct linux_image_info info;
	u8 *zp, *k, *ird, *cl;
	size_t n = 0;
	int err;

	if (!map || !l || !cmdline || (l->initrd_size && !initrd))
		return -EINVAL;
	while (n < LINUX_CMDLINE_MAX && cmdline[n])
		n++;
	if (n != l->cmdline_len)
		return -EINVAL;
	err = linux_parse_bzimage(img, len, &info, NULL);
	if (err)
		return err;

	zp = map(ctx, l->zero_page_gpa, LINUX_ZERO_PAGE_SIZE);
	k = map(ctx, l->kernel_gpa, l->kernel_mem);
	cl = map(ctx, l->cmdline_gpa, (u64)n + 1);
	ird = l->initrd_size ? map(ctx, l->initrd_gpa, l->initrd_size) : NULL;
	if (!zp || !k || !cl || (l->initrd_size && !ird))
		return -EFAULT;
	if (l->kernel_mem < info.kernel_size)
		return -EINVAL;

	err = linux_build_boot_params(zp, img, len, l);
	if (err)
		return err;
	memcpy(k, (const u8 *)img + info.kernel_offset, info.kernel_size);
	memcpy(cl, cmdline, n + 1);
	if (ird)
		memcpy(ird, initrd, l->initrd_size);
	return 0;
}

/* x86 paging and segment bits used for the entry state. */
#define PTE_P		0x001ull
#define PTE_RW		0x002ull
#define PTE_PS		0x080ull
#define CR0_PE		0x00000001ull
#define CR0_ET		0x00000010ull
#define CR0_NE		0x00000020ull
#define CR0_WP		0x00010000ull
#define CR0_PG		0x80000000ull
#define CR4_PAE		0x00000020ull
#define EFER_LME	0x00000100ull
#define EFER_LMA	0x00000400ull

/*
 * Flat descriptors, base 0, limit 0xfffff with G=1, P=1, DPL 0, S=1:
 * code: type 0xB (execute/read, accessed), L=1, D=0;
 * data: type 0x3 (read/write, accessed), D/B=1.
 */
#define GDT_CODE64	0x00af9b000000ffffull
#define GDT_DATA	0x00cf93000000ffffull
#define BOOT_CS		0x10
#define BOOT_DS		0x18

int linux_build_entry_state(void *scratch, const struct linux_boot_layout *l,
			    struct linux_entry_state *st)
{
	u8 *s = scratch;
	u64 base, i;

	if (!scratch || !l || !st || l->scratch_size < LINUX_SCRATCH_USED ||
	    l->scratch_gpa & (PAGE_SIZE - 1))
		return -EINVAL;
	base = l->scratch_gpa;
	/* boot.rst: the kernel's init_size range, the zero page and the
	 * command line must be identity-mapped; we map [0, 4G). */
	if (!fits_below(l->kernel_gpa, l->kernel_mem, LINUX_4G) ||
	    !fits_below(l->zero_page_gpa, LINUX_ZERO_PAGE_SIZE, LINUX_4G) ||
	    !fits_below(l->cmdline_gpa, (u64)l->cmdline_len + 1, LINUX_4G) ||
	    !fits_below(base, LINUX_SCRATCH_USED, LINUX_4G))
		return -EINVAL;

	memset(s, 0, LINUX_SCRATCH_USED);
	wr64(s, LINUX_SCRATCH_PML4, (base + LINUX_SCRATCH_PDPT) | PTE_P |
	     PTE_RW);
	for (i = 0; i < 4; i++)
		wr64(s, LINUX_SCRATCH_PDPT + i * 8,
		     (base + LINUX_SCRATCH_PD + i * PAGE_SIZE) | PTE_P |
		     PTE_RW);
	for (i = 0; i < 4 * 512; i++)
		wr64(s, LINUX_SCRATCH_PD + i * 8,
		     (i << 21) | PTE_P | PTE_RW | PTE_PS);
	wr64(s, LINUX_SCRATCH_GDT + BOOT_CS, GDT_CODE64);
	wr64(s, LINUX_SCRATCH_GDT + BOOT_DS, GDT_DATA);

	memset(st, 0, sizeof(*st));
	st->rip = l->entry64;
	st->rsi = l->zero_page_gpa;
	st->rflags = 0x2;
	st->cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	st->cr3 = base + LINUX_SCRATCH_PML4;
	st->cr4 = CR4_PAE;
	st->efer = EFER_LME | EFER_LMA;
	st->gdt_base = base + LINUX_SCRATCH_GDT;
	st->gdt_limit = BOOT_DS + 8 - 1;
	st->cs = BOOT_CS;
	st->ds = BOOT_DS;
	st->cs_desc = GDT_CODE64;
	st->ds_desc = GDT_DATA;
	return 0;
}
