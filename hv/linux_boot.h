/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux x86 boot protocol: bzImage parsing, guest memory layout, zero page.
 *
 * Pure logic on byte buffers, no I/O: the hypervisor hands in the bzImage,
 * gets back a layout (where kernel, initrd, zero page, command line and ACPI
 * go, plus the e820 map), then fills the zero page and copies everything into
 * guest memory. The guest is entered through the 64-bit boot protocol
 * (Documentation/arch/x86/boot.rst, "64-bit Boot Protocol"):
 *
 *   - long mode, paging on, [kernel_gpa, kernel_gpa + init_size), the zero
 *     page and the command line identity-mapped;
 *   - a GDT with __BOOT_CS = 0x10 (64-bit code) and __BOOT_DS = 0x18 (data),
 *     CS = 0x10, DS = ES = SS = 0x18, interrupts off;
 *   - %rsi = zero_page_gpa, %rip = entry64 (= kernel_gpa + 0x200).
 *
 * The LINUX_SCRATCH_* area is free low memory for that GDT and those page
 * tables; linux_build_entry_state() fills it and gives the register state.
 */
#ifndef HV_LINUX_BOOT_H
#define HV_LINUX_BOOT_H

#include <hv/guest_ram.h>
#include <hv/types.h>

/* e820 memory types (ACPI "Address Range Types"). */
#define E820_TYPE_RAM		1
#define E820_TYPE_RESERVED	2
#define E820_TYPE_ACPI		3	/* ACPI tables, reclaimable */
#define E820_TYPE_NVS		4
#define E820_TYPE_UNUSABLE	5

struct e820_entry {
	u64 addr;
	u64 size;
	u32 type;
} __packed;

#define LINUX_ZERO_PAGE_SIZE	4096
#define LINUX_E820_MAX		128	/* e820_table[] slots in boot_params */

/* Fixed low-memory layout (all below the 0x9FC00 EBDA, usable in e820). */
#define LINUX_ZERO_PAGE_GPA	0x7000ull
#define LINUX_SCRATCH_GPA	0x10000ull	/* GDT + identity page tables */
#define LINUX_SCRATCH_SIZE	0x10000ull
#define LINUX_CMDLINE_GPA	0x20000ull
#define LINUX_CMDLINE_MAX	0x10000ull	/* incl. the NUL */
#define LINUX_EBDA_START	0x9FC00ull	/* e820: reserved up to 1 MiB */
#define LINUX_RSDP_GPA		0xE0000ull	/* RSDP copy in the BIOS area */
#define LINUX_HIGH_START	0x100000ull	/* 1 MiB */
#define LINUX_LOW_RAM_MAX	GUEST_RAM_LOW_MAX	/* default start of the hole */
#define LINUX_4G		0x100000000ull

/* What linux_parse_bzimage() learned from the setup header. */
struct linux_image_info {
	u16 protocol;		/* e.g. 0x020f for 2.15 */
	u8 setup_sects;		/* effective: 0 in the header means 4 */
	u8 loadflags;
	u16 xloadflags;
	bool relocatable;
	bool xlf_kernel_64;	/* has the 64-bit entry at +0x200 */
	bool xlf_above_4g;	/* kernel/initrd/cmdline may live above 4G */
	u32 hdr_end;		/* end of the setup header: 0x202 + [0x201] */
	u64 kernel_offset;	/* file offset of the protected-mode code */
	u64 kernel_size;	/* its length in the file */
	u64 pref_address;
	u32 init_size;		/* memory it needs from the load address */
	u32 kernel_alignment;
	u32 cmdline_size;	/* max command line length, without the NUL */
	u32 initrd_addr_max;	/* highest byte address the initrd may use */
	u64 payload_offset;	/* file offset of the compressed kernel */
	u64 payload_len;
};

/*
 * Check and decode a bzImage: boot flag 0xAA55, "HdrS", protocol >= 2.12,
 * LOADED_HIGH, XLF_KERNEL_64 and consistent sizes. Returns 0, or -ENOEXEC
 * with *why (if why is not NULL) set to a static reason string.
 */
int linux_parse_bzimage(const void *img, size_t len,
			struct linux_image_info *out, const char **why);

/* What the hypervisor wants for one guest. */
struct linux_guest_config {
	u64 ram_size;		/* bytes of guest RAM in total */
	u64 low_ram_max;	/* RAM above this goes to 4G+ (0: default) */
	u64 acpi_size;		/* ACPI tables at top of low RAM (0: none) */
	u64 initrd_size;	/* 0: no initrd */
	size_t cmdline_len;	/* strlen() of the command line */
	/* Extra hypervisor-owned ranges to carve out of RAM (may be NULL). */
	const struct e820_entry *reserved;
	u32 nr_reserved;
};

struct linux_boot_layout {
	u64 zero_page_gpa;
	u64 scratch_gpa;	/* free for the GDT and page tables */
	u64 scratch_size;
	u64 cmdline_gpa;
	u32 cmdline_len;	/* without the NUL */
	u64 kernel_gpa;		/* load address of the protected-mode code */
	u64 kernel_mem;		/* init_size: [kernel_gpa, +kernel_mem) */
	u64 entry64;		/* kernel_gpa + 0x200 */
	u64 initrd_gpa;		/* 0 if none */
	u64 initrd_size;
	u64 acpi_gpa;		/* 0 if none */
	u64 acpi_size;
	u64 rsdp_gpa;		/* 0: don't tell the kernel */
	u64 low_ram_end;	/* RAM is [0, low_ram_end) ... */
	u64 high_ram_end;	/* ... and [4G, high_ram_end) if > 4G */
	u32 e820_count;
	struct e820_entry e820[LINUX_E820_MAX];
};

/*
 * Place everything for a guest: kernel at pref_address (or the lowest
 * suitably aligned address if relocatable and that doesn't fit), initrd as
 * high as allowed (page-aligned, below initrd_addr_max, below the ACPI area
 * and low RAM end), zero page/command line/scratch at the fixed low
 * addresses, RSDP at LINUX_RSDP_GPA, and the e820 map. Returns 0, -EINVAL
 * (bad config), -E2BIG (command line too long), -ENOMEM (doesn't fit) or
 * -ENOSPC (e820 table full).
 */
int linux_plan_layout(const struct linux_image_info *info,
		      const struct linux_guest_config *cfg,
		      struct linux_boot_layout *out);

/*
 * Only the memory part of linux_plan_layout(), for other boot protocols
 * that describe the same guest RAM (hv/multiboot.c): fills low_ram_end,
 * high_ram_end, acpi_gpa/acpi_size, rsdp_gpa and the e820 map from
 * cfg->ram_size, low_ram_max, acpi_size and the reserved ranges (the rest
 * of *cfg is ignored, the rest of *out zeroed). Returns 0, -EINVAL,
 * -ENOMEM or -ENOSPC as linux_plan_layout() does.
 */
int linux_plan_memory(const struct linux_guest_config *cfg,
		      struct linux_boot_layout *out);

/*
 * Fill a LINUX_ZERO_PAGE_SIZE buffer: zeroed, setup header copied from the
 * image, loader fields set from the layout. Returns 0, -ENOEXEC (bad image),
 * -E2BIG or -EINVAL (layout inconsistent with the image).
 */
int linux_build_boot_params(void *zero_page, const void *img, size_t len,
			    const struct linux_boot_layout *layout);

/*
 * Guest memory accessor: return a host pointer to [gpa, gpa + len) if that
 * range is contiguous RAM, else NULL. The caller writes every byte of the
 * first @fill (<= len) itself, so those need not be zeroed first.
 */
typedef void *(*linux_gpa_map_fn)(void *ctx, u64 gpa, u64 len, u64 fill);

/*
 * Everything at once: build the zero page in place and copy the kernel, the
 * initrd (may be NULL if layout->initrd_size is 0) and the NUL-terminated
 * command line into guest memory. Returns 0, a linux_build_boot_params()
 * error, -EINVAL (cmdline length differs from the layout) or -EFAULT (a
 * range is not mapped).
 */
int linux_load(linux_gpa_map_fn map, void *ctx, const void *img, size_t len,
	       const void *initrd, const char *cmdline,
	       const struct linux_boot_layout *layout);

/*
 * Register state for the 64-bit entry (boot.rst, "64-bit Boot Protocol").
 * The segment descriptors are the raw GDT entries at gdt_base + cs/ds, for
 * filling the hidden parts of the segment registers.
 */
struct linux_entry_state {
	u64 rip;		/* layout->entry64 */
	u64 rsi;		/* layout->zero_page_gpa */
	u64 rflags;		/* 0x2: interrupts off */
	u64 cr0;		/* PE | ET | NE | WP | PG */
	u64 cr3;		/* PML4 in the scratch area */
	u64 cr4;		/* PAE */
	u64 efer;		/* LME | LMA */
	u64 gdt_base;
	u16 gdt_limit;
	u16 cs;			/* __BOOT_CS = 0x10, 64-bit code */
	u16 ds;			/* __BOOT_DS = 0x18 for DS, ES, SS (FS, GS) */
	u64 cs_desc;
	u64 ds_desc;
};

/* Scratch area use (offsets from layout->scratch_gpa). */
#define LINUX_SCRATCH_PML4	0x0000
#define LINUX_SCRATCH_PDPT	0x1000
#define LINUX_SCRATCH_PD	0x2000	/* 4 pages: 0-4G in 2 MiB pages */
#define LINUX_SCRATCH_GDT	0x6000
#define LINUX_SCRATCH_USED	0x7000

/*
 * Build identity page tables for [0, 4G) (2 MiB pages) and a GDT in the
 * scratch buffer (layout->scratch_size bytes, to be copied to or living at
 * layout->scratch_gpa), and fill *st. The kernel, zero page and command
 * line must be below 4G (they are with linux_plan_layout()). Returns 0 or
 * -EINVAL.
 */
int linux_build_entry_state(void *scratch, const struct linux_boot_layout *l,
			    struct linux_entry_state *st);

/* Zero-page and setup-header offsets (boot.rst / zero-page.rst). */
#define LBP_ACPI_RSDP_ADDR	0x070	/* u64 */
#define LBP_EXT_RAMDISK_IMAGE	0x0c0	/* u32 */
#define LBP_EXT_RAMDISK_SIZE	0x0c4	/* u32 */
#define LBP_EXT_CMD_LINE_PTR	0x0c8	/* u32 */
#define LBP_E820_ENTRIES	0x1e8	/* u8 */
#define LBP_SENTINEL		0x1ef	/* u8 */
#define LBP_SETUP_SECTS		0x1f1	/* u8, start of the setup header */
#define LBP_BOOT_FLAG		0x1fe	/* u16, 0xAA55 */
#define LBP_JUMP		0x200	/* u16, byte 0x201 = header length */
#define LBP_HEADER		0x202	/* u32, "HdrS" */
#define LBP_VERSION		0x206	/* u16 */
#define LBP_CODE32_START	0x214	/* u32 */
#define LBP_TYPE_OF_LOADER	0x210	/* u8 */
#define LBP_LOADFLAGS		0x211	/* u8 */
#define LBP_RAMDISK_IMAGE	0x218	/* u32 */
#define LBP_RAMDISK_SIZE	0x21c	/* u32 */
#define LBP_HEAP_END_PTR	0x224	/* u16 */
#define LBP_EXT_LOADER_VER	0x226	/* u8 */
#define LBP_EXT_LOADER_TYPE	0x227	/* u8 */
#define LBP_CMD_LINE_PTR	0x228	/* u32 */
#define LBP_INITRD_ADDR_MAX	0x22c	/* u32 */
#define LBP_KERNEL_ALIGNMENT	0x230	/* u32 */
#define LBP_RELOCATABLE		0x234	/* u8 */
#define LBP_XLOADFLAGS		0x236	/* u16 */
#define LBP_CMDLINE_SIZE	0x238	/* u32 */
#define LBP_PAYLOAD_OFFSET	0x248	/* u32 */
#define LBP_PAYLOAD_LENGTH	0x24c	/* u32 */
#define LBP_SETUP_DATA		0x250	/* u64 */
#define LBP_PREF_ADDRESS	0x258	/* u64 */
#define LBP_INIT_SIZE		0x260	/* u32 */
#define LBP_HDR_MIN_END		0x268	/* header end for protocol 2.12 */
#define LBP_HDR_MAX_END		0x290	/* boot_params: hdr area ends here */
#define LBP_E820_TABLE		0x2d0	/* struct e820_entry[128] */

/* loadflags */
#define LINUX_LOADED_HIGH	0x01
#define LINUX_KASLR_FLAG	0x02
#define LINUX_QUIET_FLAG	0x20
#define LINUX_KEEP_SEGMENTS	0x40
#define LINUX_CAN_USE_HEAP	0x80

/* xloadflags */
#define LINUX_XLF_KERNEL_64		0x01
#define LINUX_XLF_CAN_BE_LOADED_ABOVE_4G 0x02

#define LINUX_HDRS_MAGIC	0x53726448u	/* "HdrS" little-endian */
#define LINUX_MIN_PROTOCOL	0x020c
#define LINUX_ENTRY64_OFFSET	0x200

#endif /* HV_LINUX_BOOT_H */
