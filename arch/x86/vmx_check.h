/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the VM-entry checks share (arch/x86/vmx_check.c: controls and host
 * state, SDM vol. 3 26.2; vmx_check_guest.c: guest state, 26.3). Nothing
 * outside those two files includes this.
 */
#ifndef ARCH_X86_VMX_CHECK_H
#define ARCH_X86_VMX_CHECK_H

#include <arch/x86/vmx.h>
#include <hv/types.h>

/* The rules broken so far: how many, and the first one's text. */
struct diag {
	char first[200];
	u32 count;
};

/* Logs one broken rule of SDM section @sect; the first is kept in @d. */
__printf(3, 4) void diag_fail(struct diag *d, const char *sect,
			      const char *fmt, ...);

static inline bool canonical(u64 a)
{
	return (u64)((s64)(a << 16) >> 16) == a;
}

static inline bool beyond_phys(u64 a)
{
	return a >> vmx_caps.phys_bits;
}

static inline bool pat_ok(u64 pat)
{
	for (int i = 0; i < 8; i++) {
		u8 t = pat >> (i * 8);

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

/* vmx_check_guest.c: the guest-state checks (26.3) on the current VMCS. */
void vmx_check_guest(struct diag *d);

#endif /* ARCH_X86_VMX_CHECK_H */
