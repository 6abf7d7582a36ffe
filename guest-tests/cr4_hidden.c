// SPDX-License-Identifier: GPL-2.0
/*
 * A CR4 bit whose feature CPUID does not offer is reserved for the guest:
 * MOV to CR4 with it raises #GP and changes nothing (SDM vol. 3 2.5),
 * whatever the host CPU supports. Bits that CPUID offers can be set.
 */
#include "gt.h"

struct bit {
	const char *name;
	u32 cr4_bit;
	u32 leaf, reg, feat_bit;	/* reg: 0 EBX, 1 ECX, 2 EDX */
};

static const struct bit bits[] = {
	{ "MCE", 6, 1, 2, 7 },
	{ "UMIP", 11, 7, 1, 2 },
	{ "VMXE", 13, 1, 1, 5 },
	{ "SMXE", 14, 1, 1, 6 },
	{ "FSGSBASE", 16, 7, 0, 0 },
	{ "SMEP", 20, 7, 0, 7 },
	{ "PKE", 22, 7, 1, 3 },
	{ "CET", 23, 7, 1, 7 },
};

static bool offered(const struct bit *b)
{
	u32 r[4];

	cpuid(b->leaf, 0, &r[3], &r[0], &r[1], &r[2]);
	return r[b->reg] & (1u << b->feat_bit);
}

static int try_cr4(u64 v)
{
	gt_clear_exception();
	asm volatile(ASM_TRY("1f") "mov %0, %%cr4\n1:" : : "r"(v) : "memory");
	gt_fixup_rip = 0;
	return gt_last_vector();
}

void test_main(void)
{
	u64 cr4 = read_cr4();
	u32 hidden = 0;

	for (u32 i = 0; i < ARRAY_SIZE(bits); i++) {
		const struct bit *b = &bits[i];
		u64 v = cr4 | (1ULL << b->cr4_bit);
		bool on = offered(b);
		int vec;

		/* CET needs CR0.WP, which is set; SMEP only affects ring 3. */
		vec = try_cr4(v);
		gt_printf("CR4.%s: CPUID %s, MOV to CR4: %s\n", b->name,
			  on ? "offers it" : "hides it",
			  vec < 0 ? "accepted" : "#GP");
		if (on) {
			EXPECT_EQ(vec, -1);
			write_cr4(cr4);
		} else {
			hidden++;
			EXPECT_EQ(vec, 13);
			EXPECT_EQ(read_cr4(), cr4);
		}
	}
	EXPECT(hidden >= 3);		/* MCE, VMXE, SMXE at least */
}
