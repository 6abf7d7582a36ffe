// SPDX-License-Identifier: GPL-2.0
/*
 * Linux x86 boot protocol: bzImage parsing and the zero page; the memory
 * layout is hv/linux_layout.c, the entry state hv/linux_entry.c.
 *
 * References: Linux Documentation/arch/x86/boot.rst (setup header, "Details
 * of Header Fields", "64-bit Boot Protocol") and zero-page.rst (boot_params
 * offsets). All multi-byte fields are little-endian and read/written
 * byte-wise, so the buffers need no alignment.
 */
#include <hv/linux_boot.h>
#include <hv/linux_boot_impl.h>

#include <hv/errno.h>
#include <hv/string.h>

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

	if (l->kernel_mem < info.kernel_size)
		return -EINVAL;
	zp = map(ctx, l->zero_page_gpa, LINUX_ZERO_PAGE_SIZE,
		 LINUX_ZERO_PAGE_SIZE);
	k = map(ctx, l->kernel_gpa, l->kernel_mem, info.kernel_size);
	cl = map(ctx, l->cmdline_gpa, (u64)n + 1, (u64)n + 1);
	ird = l->initrd_size ? map(ctx, l->initrd_gpa, l->initrd_size,
				   l->initrd_size) : NULL;
	if (!zp || !k || !cl || (l->initrd_size && !ird))
		return -EFAULT;

	err = linux_build_boot_params(zp, img, len, l);
	if (err)
		return err;
	memcpy(k, (const u8 *)img + info.kernel_offset, info.kernel_size);
	memcpy(cl, cmdline, n + 1);
	if (ird)
		memcpy(ird, initrd, l->initrd_size);
	return 0;
}
