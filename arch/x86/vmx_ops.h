/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Typed VMCS accessors. Every access names its width; a constant field
 * encoding of the wrong width (bits 14:13, SDM vol. 3 25.11.2) is a
 * compile-time error, so a 16-bit selector cannot be written through the
 * 64-bit accessor by mistake. VMREAD/VMWRITE failures (RFLAGS.CF/ZF) are
 * counted in vmx_access_errors and reported by the diagnostics.
 */
#ifndef ARCH_X86_VMX_OPS_H
#define ARCH_X86_VMX_OPS_H

#include <arch/x86/vmx.h>

extern u32 vmx_access_errors;
extern u32 vmx_last_bad_field;

/* For a non-constant field the check passes; vmx_check_width() is runtime. */
#define VMCS_CONST_FIELD(f, w) \
	__builtin_choose_expr(__builtin_constant_p(f), (f), ((w) << 13))
#define VMCS_CHECK_WIDTH(f, w)                                             \
	((void)sizeof(struct {                                              \
		_Static_assert(VMCS_WIDTH(VMCS_CONST_FIELD(f, w)) == (w),   \
			       "VMCS field " #f " is not " #w);             \
		int dummy;                                                  \
	}))

static inline u64 __vmcs_read(u32 field)
{
	u64 val;
	u8 bad;

	asm volatile("vmread %2, %0; setna %1"
		     : "=r"(val), "=qm"(bad)
		     : "r"((u64)field)
		     : "cc");
	if (bad) {
		vmx_access_errors++;
		vmx_last_bad_field = field;
		return 0;
	}
	return val;
}

static inline void __vmcs_write(u32 field, u64 val)
{
	u8 bad;

	asm volatile("vmwrite %1, %2; setna %0"
		     : "=qm"(bad)
		     : "r"(val), "r"((u64)field)
		     : "cc", "memory");
	if (bad) {
		vmx_access_errors++;
		vmx_last_bad_field = field;
	}
}

#define vmcs_read16(f)  (VMCS_CHECK_WIDTH(f, VMCS_W16), (u16)__vmcs_read(f))
#define vmcs_read32(f)  (VMCS_CHECK_WIDTH(f, VMCS_W32), (u32)__vmcs_read(f))
#define vmcs_read64(f)  (VMCS_CHECK_WIDTH(f, VMCS_W64), __vmcs_read(f))
#define vmcs_readl(f)   (VMCS_CHECK_WIDTH(f, VMCS_WNAT), __vmcs_read(f))

#define vmcs_write16(f, v) \
	(VMCS_CHECK_WIDTH(f, VMCS_W16), __vmcs_write(f, (u16)(v)))
#define vmcs_write32(f, v) \
	(VMCS_CHECK_WIDTH(f, VMCS_W32), __vmcs_write(f, (u32)(v)))
#define vmcs_write64(f, v) \
	(VMCS_CHECK_WIDTH(f, VMCS_W64), __vmcs_write(f, (u64)(v)))
#define vmcs_writel(f, v) \
	(VMCS_CHECK_WIDTH(f, VMCS_WNAT), __vmcs_write(f, (u64)(v)))

static inline void vmcs_set_bits32(u32 f, u32 bits)
{
	__vmcs_write(f, (u32)__vmcs_read(f) | bits);
}

static inline void vmcs_clear_bits32(u32 f, u32 bits)
{
	__vmcs_write(f, (u32)__vmcs_read(f) & ~bits);
}

/* VMX instructions on physical addresses; 0 on success, -EIO on VMfail. */
static inline int vmx_on(u64 pa)
{
	u8 bad;

	asm volatile("vmxon %1; setna %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
	return bad ? -5 : 0;
}

static inline int vmcs_clear(u64 pa)
{
	u8 bad;

	asm volatile("vmclear %1; setna %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
	return bad ? -5 : 0;
}

static inline int gctrl_switch(u64 pa)
{
	u8 bad;

	asm volatile("vmptrld %1; setna %0" : "=qm"(bad) : "m"(pa) : "cc", "memory");
	return bad ? -5 : 0;
}

struct inv_desc {
	u64 a, b;
};

/* INVEPT / INVVPID (SDM vol. 3 30.3): type 1 single context, 2 all. */
static inline void invept(u64 type, u64 eptp)
{
	struct inv_desc d = { eptp, 0 };

	asm volatile("invept %0, %1" : : "m"(d), "r"(type) : "cc", "memory");
}

static inline void invvpid(u64 type, u16 vpid)
{
	struct inv_desc d = { vpid, 0 };

	asm volatile("invvpid %0, %1" : : "m"(d), "r"(type) : "cc", "memory");
}

#endif /* ARCH_X86_VMX_OPS_H */
