/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot (version 1, spec 0.6.96) kernels: finding the header, planning
 * where the kernel, the boot information and the module go, and writing
 * them into guest memory.
 *
 * Pure logic on byte buffers, like hv/linux_boot.c, whose e820 view of the
 * guest's RAM (linux_plan_memory()) it reuses: the memory map handed to a
 * Multiboot kernel is the one a Linux guest of the same size gets. The
 * hypervisor side (hv/multiboot_vm.c) feeds it the VM and sets the entry
 * state of spec section 3.2.
 *
 * Loading (spec 3.1.3): with header flag 16 the a.out-kludge address
 * fields say where the file goes; otherwise the file must be ELF (32-bit
 * EM_386, or 64-bit EM_X86_64) and is loaded by its program headers'
 * physical addresses, entered at e_entry (translated to a physical address
 * if it is a virtual one inside a segment).
 *
 * The boot area (GDT, information structure, module list, memory map,
 * strings) sits at MB_AREA_LOW_GPA below 1 MiB, or, if the kernel occupies
 * that, page-aligned just above the kernel. The module (the config's
 * `initrd`) is page-aligned, at the lowest address from 1 MiB that is clear
 * of the kernel and the boot area.
 */
#ifndef HV_MULTIBOOT_H
#define HV_MULTIBOOT_H

#include <hv/linux_boot.h>
#include <hv/types.h>

#define MB_HEADER_MAGIC		0x1BADB002u	/* 3.1.2 */
#define MB_BOOT_MAGIC		0x2BADB002u	/* 3.2: EAX at entry */
#define MB_SEARCH_LEN		8192		/* 3.1.1 */

/* Header flags (3.1.2). Bits 0-15 are requirements, 16-31 optional. */
#define MB_HF_PAGE_ALIGN	BIT(0)	/* modules on 4 KiB boundaries */
#define MB_HF_MEMINFO		BIT(1)	/* mem_* fields required */
#define MB_HF_VIDEO		BIT(2)	/* video mode table required */
#define MB_HF_REQUIRED_MASK	0xffffu
#define MB_HF_ADDRESS		BIT(16)	/* a.out kludge address fields */

/* Information structure flags (3.3): which fields are valid. */
#define MB_INFO_MEM		BIT(0)	/* mem_lower, mem_upper */
#define MB_INFO_CMDLINE		BIT(2)
#define MB_INFO_MODS		BIT(3)
#define MB_INFO_MMAP		BIT(6)
#define MB_INFO_LOADER_NAME	BIT(9)

/* Information structure offsets (3.3). */
#define MBI_FLAGS		0
#define MBI_MEM_LOWER		4
#define MBI_MEM_UPPER		8
#define MBI_CMDLINE		16
#define MBI_MODS_COUNT		20
#define MBI_MODS_ADDR		24
#define MBI_MMAP_LENGTH		44
#define MBI_MMAP_ADDR		48
#define MBI_BOOT_LOADER_NAME	64
#define MBI_SIZE		128	/* what we zero: 88 used in v1 + room */

#define MB_MOD_SIZE		16	/* mod_start, mod_end, string, reserved */
#define MB_MMAP_ENTRY_SIZE	24	/* size (= 20), base, length, type */
#define MB_LOADER_NAME		"perfvisor"

/* Boot area: a flat GDT for the entry state, then the structures. */
#define MB_AREA_LOW_GPA		0x10000ull
#define MB_GDT_CS		0x08	/* 32-bit flat code */
#define MB_GDT_DS		0x10	/* flat data */
#define MB_GDT_SIZE		0x18
#define MB_MAX_SEGMENTS		16

/* A Multiboot header found in the image (3.1.1). */
struct mb_header {
	u32 offset;		/* of the magic in the file */
	u32 flags;
	u32 header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

/*
 * Look for a valid header (magic, 4-byte aligned, within the first 8192
 * bytes, magic + flags + checksum == 0). Returns 0 and *out; -ENOENT if
 * there is none (not a Multiboot kernel); -ENOEXEC with *why if there is
 * one that we cannot honour (a required flag we do not offer, such as a
 * video mode, or address fields cut off by the end of the file).
 */
int mb_find_header(const void *img, size_t len, struct mb_header *out,
		   const char **why);

/* One piece of the kernel: file bytes, then zeroes up to mem_size. */
struct mb_segment {
	u64 file_off;
	u64 file_size;
	u64 gpa;
	u64 mem_size;
};

struct mb_guest_config {
	u64 ram_size;		/* bytes, a page multiple above 1 MiB */
	u64 acpi_size;		/* ACPI tables at the top of low RAM (0: none) */
	const char *cmdline;	/* NULL: empty */
	const char *module_name;	/* NULL: no module */
	u64 module_size;
};

struct mb_layout {
	struct mb_header hdr;
	const char *format;	/* "a.out kludge", "ELF32", "ELF64" */
	u32 entry;		/* physical */
	u32 nr_segments;
	struct mb_segment seg[MB_MAX_SEGMENTS];
	u64 kernel_start;	/* lowest and ... */
	u64 kernel_end;		/* ... end of the highest segment */
	u64 area_gpa;		/* boot area: GDT at +0, then ... */
	u64 area_size;
	u64 info_gpa;		/* ... the information structure (EBX) */
	u64 module_gpa;		/* 0: no module */
	u64 module_size;
	u32 mem_lower;		/* KiB from 0 */
	u32 mem_upper;		/* KiB from 1 MiB up to the first hole */
	struct linux_boot_layout mem;	/* RAM, ACPI area, RSDP, e820 */
};

/*
 * Plan a guest: find the header, check the kernel against the file and the
 * guest's RAM (every segment in usable RAM below 4 GiB, the entry inside a
 * segment), place the boot area and the module. Returns 0; -ENOENT (no
 * Multiboot header); -ENOEXEC with *why (the image is unusable); -ENOMEM or
 * -EINVAL with *why (it does not fit this guest / bad config).
 */
int mb_plan(const void *img, size_t len, const struct mb_guest_config *cfg,
	    struct mb_layout *out, const char **why);

/*
 * Copy the kernel (zeroing its bss), the module (may be NULL if
 * cfg->module_name is NULL) and the boot area into guest memory. Returns
 * 0, -EINVAL (arguments disagree with the layout) or -EFAULT (a range is
 * not mapped).
 */
int mb_load(linux_gpa_map_fn map, void *ctx, const void *img, size_t len,
	    const void *module, const struct mb_guest_config *cfg,
	    const struct mb_layout *l);

/* The GDT descriptors of the boot area (base 0, limit 4 GiB, G, D/B). */
#define MB_DESC_CODE32		0x00cf9b000000ffffull
#define MB_DESC_DATA		0x00cf93000000ffffull

#endif /* HV_MULTIBOOT_H */
