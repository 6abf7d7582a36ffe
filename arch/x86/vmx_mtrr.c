// SPDX-License-Identifier: GPL-2.0
/*
 * The memory type of a host-physical range according to the MTRRs (SDM
 * vol. 3 12.11), for EPT leaf entries: with EPT the guest's PAT combines
 * with the EPT memory type instead of the host MTRRs (29.3.7), so EPT must
 * repeat what the MTRRs say about the backing memory.
 *
 * Only whole-range answers are given: if [start, start+size) is not
 * covered by one type (it straddles a variable range, touches the fixed
 * ranges below 1 MiB, or the variable masks are not contiguous), the
 * caller gets -1 and maps UC. Guest RAM is one 2 MiB aligned block of host
 * RAM, which firmware makes write-back, so in practice the answer is WB.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>

#define MSR_MTRR_PHYSBASE(n) (0x200 + 2 * (n))
#define MSR_MTRR_PHYSMASK(n) (0x201 + 2 * (n))
#define MTRR_DEF_ENABLE      BIT(11)
#define MTRR_DEF_FIXED       BIT(10)
#define MTRR_MASK_VALID      BIT(11)
#define MT_UC 0
#define MT_WT 4
#define MT_WB 6

int vmx_mtrr_type(u64 start, u64 size)
{
	struct cpuid_regs r;
	u64 cap, def, end = start + size, addr_mask;
	u32 phys_bits = 36;
	int type = -1;

	cpuid_count(1, 0, &r);
	if (!(r.edx & BIT(12)))		/* no MTRRs: the memory is WB */
		return MT_WB;
	if (cpuid_eax(0x80000000) >= 0x80000008)
		phys_bits = cpuid_eax(0x80000008) & 0xff;
	addr_mask = (BIT(phys_bits) - 1) & ~0xfffULL;
	cap = rdmsr(MSR_IA32_MTRRCAP);
	def = rdmsr(MSR_IA32_MTRR_DEF_TYPE);
	if (!(def & MTRR_DEF_ENABLE))
		return MT_UC;
	if (start < 0x100000 && (def & MTRR_DEF_FIXED))
		return -1;

	for (u32 i = 0; i < (cap & 0xff); i++) {
		u64 base = rdmsr(MSR_MTRR_PHYSBASE(i));
		u64 mask = rdmsr(MSR_MTRR_PHYSMASK(i));
		u64 lo, len;
		int t = base & 0xff;

		if (!(mask & MTRR_MASK_VALID))
			continue;
		mask &= addr_mask;
		len = (~mask & addr_mask) + 0x1000;
		if (len & (len - 1))
			return -1;		/* non-contiguous mask */
		lo = base & mask;
		if (end <= lo || start >= lo + len)
			continue;		/* disjoint */
		if (start < lo || end > lo + len)
			return -1;		/* partly covered */
		/* Overlaps: UC wins, WT beats WB, others must agree (12.11.4.1). */
		if (type < 0 || t == MT_UC || (t == MT_WT && type == MT_WB))
			type = t;
		else if (type != t && !(type == MT_UC) &&
			 !(type == MT_WT && t == MT_WB))
			return -1;
	}
	return type >= 0 ? type : (int)(def & 0xff);
}
