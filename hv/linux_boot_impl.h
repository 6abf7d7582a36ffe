/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the files of the Linux boot protocol builder
 * (hv/linux_boot.c, hv/linux_layout.c, hv/linux_entry.c) and the Multiboot
 * loader (hv/multiboot.c), which reuses its e820 map: little-endian
 * fields read and written byte-wise, so that no buffer needs alignment,
 * and range arithmetic that cannot overflow.
 */
#ifndef HV_LINUX_BOOT_IMPL_H
#define HV_LINUX_BOOT_IMPL_H

#include <hv/types.h>

static inline u16 rd16(const u8 *p, size_t off)
{
	return (u16)(p[off] | p[off + 1] << 8);
}

static inline u32 rd32(const u8 *p, size_t off)
{
	return (u32)rd16(p, off) | (u32)rd16(p, off + 2) << 16;
}

static inline u64 rd64(const u8 *p, size_t off)
{
	return (u64)rd32(p, off) | (u64)rd32(p, off + 4) << 32;
}

static inline void wr8(u8 *p, size_t off, u8 v)
{
	p[off] = v;
}

static inline void wr16(u8 *p, size_t off, u16 v)
{
	p[off] = (u8)v;
	p[off + 1] = (u8)(v >> 8);
}

static inline void wr32(u8 *p, size_t off, u32 v)
{
	wr16(p, off, (u16)v);
	wr16(p, off + 2, (u16)(v >> 16));
}

static inline void wr64(u8 *p, size_t off, u64 v)
{
	wr32(p, off, (u32)v);
	wr32(p, off + 4, (u32)(v >> 32));
}

static inline u64 align_up(u64 v, u64 a)
{
	return (v + a - 1) & ~(a - 1);
}

static inline u64 align_down(u64 v, u64 a)
{
	return v & ~(a - 1);
}

static inline bool is_pow2(u64 v)
{
	return v && !(v & (v - 1));
}

/* Half-open ranges [a, a + as) and [b, b + bs) intersect (no overflow). */
static inline bool overlaps(u64 a, u64 as, u64 b, u64 bs)
{
	if (!as || !bs)
		return false;
	return a < b ? b - a < as : a - b < bs;
}

/* [a, a + size) lies within [0, top). */
static inline bool fits_below(u64 a, u64 size, u64 top)
{
	return a <= top && size <= top - a;
}

#endif /* HV_LINUX_BOOT_IMPL_H */
