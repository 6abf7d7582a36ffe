// SPDX-License-Identifier: GPL-2.0
/*
 * instances: 2
 * on_exit: restart
 * config: pin = 1
 *
 * No register state crosses from one guest to the next on a CPU, nor from
 * one boot of a guest to the next: both instances run on CPU 1, one after
 * the other, and each boots twice (a reset through port 0xcf9 in between).
 * Every boot first checks the architectural reset values (SDM vol. 3
 * table 10-1: x87 FCW 0x37f and empty registers, MXCSR 0x1f80, XMM and the
 * upper YMM halves zero, PKRU 0, XCR0 = 1, DR0-DR3 0, DR6 0xffff0ff0, DR7
 * 0x400, IA32_SPEC_CTRL 0 where CPUID offers it), then fills all of it
 * with a pattern (XRSTOR of a made-up image, XSETBV, MOV DRn, WRMSR) and
 * exits or resets. The second instance's first boot
 * therefore runs right after the first instance's dirty second boot.
 * Catches: x87/SSE/AVX/PKRU state, XCR0, debug registers or SPEC_CTRL
 * left in the CPU for the next guest or the next boot; SPEC_CTRL or IBPB
 * (PRED_CMD) offered by CPUID but raising #GP.
 */
#include "gt.h"

#define CR0_MP       BIT(1)
#define CR0_EM       BIT(2)
#define CR0_TS       BIT(3)
#define CR4_OSFXSR   BIT(9)
#define CR4_OSXMMEXCPT BIT(10)
#define CR4_OSXSAVE  BIT(18)

#define X_SSE_AVX    0x7ULL	/* x87, SSE, AVX */
#define X_PKRU       BIT(9)

static u8 area[8192] __attribute__((aligned(64)));

#define DR(n)                                                               \
	static u64 get_dr##n(void)                                          \
	{                                                                   \
		u64 v;                                                      \
		asm volatile("mov %%dr" #n ", %0" : "=r"(v));               \
		return v;                                                   \
	}                                                                   \
	static void set_dr##n(u64 v)                                        \
	{                                                                   \
		asm volatile("mov %0, %%dr" #n : : "r"(v));                 \
	}
DR(0)
DR(1)
DR(2)
DR(3)
DR(6)
DR(7)

static u64 xgetbv0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

static void xsetbv0(u64 v)
{
	asm volatile("xsetbv" : : "c"(0), "a"((u32)v), "d"((u32)(v >> 32)));
}

#define MSR_SPEC_CTRL 0x48
#define MSR_PRED_CMD  0x49

/* A SPEC_CTRL bit CPUID offers (STIBP, IBRS or SSBD), or 0; and IBPB. */
static u64 spec_ctrl_bit(bool *ibpb)
{
	u32 a, b, c, d, d7 = 0, b8 = 0;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 7)
		cpuid(7, 0, &a, &b, &c, &d7);
	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000008)
		cpuid(0x80000008, 0, &a, &b8, &c, &d);
	*ibpb = (d7 & BIT(26)) || (b8 & BIT(12));
	if ((d7 & BIT(27)) || (b8 & BIT(15)))
		return BIT(1);		/* STIBP */
	if ((d7 & BIT(26)) || (b8 & BIT(14)))
		return BIT(0);		/* IBRS */
	if ((d7 & BIT(31)) || (b8 & BIT(24)))
		return BIT(2);		/* SSBD */
	return 0;
}

static bool all_zero(const u8 *p, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Offset of XSAVE component @i in the standard format (CPUID 0xD). */
static u32 comp_offset(u32 i)
{
	u32 a, b, c, d;

	cpuid(0xd, i, &a, &b, &c, &d);
	return b;
}

static u64 offered(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & BIT(26)))
		return 0;
	cpuid(0xd, 0, &a, &b, &c, &d);
	return (((u64)d << 32) | a) & (X_SSE_AVX | X_PKRU);
}

static void check_reset(u64 mask, u64 spec)
{
	asm volatile("fxsave64 %0" : "=m"(area));
	EXPECT_EQ(*(u16 *)(area + 0), 0x37f);		/* FCW */
	EXPECT_EQ(*(u16 *)(area + 2), 0);		/* FSW */
	EXPECT_EQ(area[4], 0);				/* FTW: all empty */
	EXPECT_EQ(*(u32 *)(area + 24), 0x1f80);		/* MXCSR */
	EXPECT(all_zero(area + 32, 128));		/* ST0-7 */
	EXPECT(all_zero(area + 160, 256));		/* XMM0-15 */
	EXPECT_EQ(get_dr0(), 0);
	EXPECT_EQ(get_dr1(), 0);
	EXPECT_EQ(get_dr2(), 0);
	EXPECT_EQ(get_dr3(), 0);
	EXPECT_EQ(get_dr6(), 0xffff0ff0);
	EXPECT_EQ(get_dr7(), 0x400);
	if (spec) {
		u64 v = ~0ULL;

		EXPECT_EQ(rdmsr_try(MSR_SPEC_CTRL, &v), -1);
		EXPECT_EQ(v, 0);
	}
	if (!mask)
		return;
	write_cr4(read_cr4() | CR4_OSXSAVE);
	EXPECT_EQ(xgetbv0(), 1);
	xsetbv0(mask);
	memset(area, 0, sizeof(area));
	asm volatile("xsave64 %0" : "+m"(area)
		     : "a"((u32)mask), "d"((u32)(mask >> 32)));
	if (mask & 4)
		EXPECT(all_zero(area + comp_offset(2), 256));	/* YMM_Hi128 */
	if (mask & X_PKRU)
		EXPECT_EQ(*(u32 *)(area + comp_offset(9)), 0);
}

static void dirty(u64 mask, u64 spec, bool ibpb)
{
	memset(area, 0, sizeof(area));
	*(u16 *)(area + 0) = 0x027f;		/* FCW: other precision */
	area[4] = 0xff;				/* FTW: all valid */
	*(u32 *)(area + 24) = 0x7f80;		/* MXCSR: round to zero */
	for (u32 i = 32; i < 416; i++)		/* ST0-7, XMM0-15 */
		area[i] = (u8)(i * 7 + 1);
	if (mask) {
		if (mask & 4)
			for (u32 i = 0; i < 256; i++)
				area[comp_offset(2) + i] = (u8)(i * 3 + 5);
		if (mask & X_PKRU)
			*(u32 *)(area + comp_offset(9)) = 0x55555554;
		*(u64 *)(area + 512) = mask;	/* XSTATE_BV */
		asm volatile("xrstor64 %0" : : "m"(area),
			     "a"((u32)mask), "d"((u32)(mask >> 32)));
	} else {
		asm volatile("fxrstor64 %0" : : "m"(area));
	}
	set_dr0(0x1000);
	set_dr1(0x2000);
	set_dr2(0x3000);
	set_dr3(0x4000);
	set_dr6(0xffff0fff);			/* B0-B3 */
	set_dr7(0x700);				/* LE, GE; no breakpoint */
	EXPECT_EQ(get_dr1(), 0x2000);
	if (spec) {
		u64 v = 0;

		EXPECT_EQ(wrmsr_try(MSR_SPEC_CTRL, spec), -1);
		EXPECT_EQ(rdmsr_try(MSR_SPEC_CTRL, &v), -1);
		EXPECT_EQ(v, spec);
	}
	if (ibpb)
		EXPECT_EQ(wrmsr_try(MSR_PRED_CMD, 1), -1);
}

void test_main(void)
{
	s64 boot = hypercall(PV_HC_BOOT_COUNT, 0, 0);
	u64 mask = offered();
	bool ibpb;
	u64 spec = spec_ctrl_bit(&ibpb);

	gt_printf("boot %lld, XCR0 components %#llx, SPEC_CTRL bit %#llx, IBPB %d\n",
		  (long long)boot, (unsigned long long)mask,
		  (unsigned long long)spec, ibpb);
	write_cr0((read_cr0() | CR0_MP) & ~(CR0_EM | CR0_TS));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	check_reset(mask, spec);
	dirty(mask, spec, ibpb);
	if (boot == 0) {
		outb(0xcf9, 0x06);		/* hard reset, CPU reset */
		gt_printf("FAIL: no reset\n");
		gt_exit(1);
	}
	EXPECT_EQ(boot, 1);
}
