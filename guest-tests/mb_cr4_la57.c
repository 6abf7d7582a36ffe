// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID hides 5-level paging (CPUID.7.0:ECX[16]), so CR4.LA57 is reserved
 * for the guest: in 32-bit protected mode without paging, where hardware
 * that has LA57 would accept it (SDM vol. 3 4.1.1), MOV to CR4 with it
 * raises #GP and CR4 stays as it was. CR4.MCE (CPUID.1:EDX[7], hidden
 * too) likewise; CR4.PSE, which CPUID offers, can be set.
 */
#include "gt32.h"

struct gate32 {
	u16 off0, sel;
	u8 zero, attr;
	u16 off1;
} __packed;

static struct gate32 idt[32] __aligned(8);
volatile u32 gp_count;

/* #GP: count it and skip the 3-byte `mov %eax, %cr4`. */
void gp_stub(void);
asm(".text\n"
    ".globl gp_stub\n"
    "gp_stub:\n\t"
    "addl $4, %esp\n\t"		/* the error code */
    "incl gp_count\n\t"
    "addl $3, (%esp)\n\t"
    "iret\n");

static void idt_init(void)
{
	struct {
		u16 limit;
		u32 base;
	} __packed idtr = { sizeof(idt) - 1, (u32)idt };
	u32 h = (u32)gp_stub;
	u16 cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	idt[13] = (struct gate32){ h & 0xffff, cs, 0, 0x8e, h >> 16 };
	asm volatile("lidt %0" : : "m"(idtr));
}

static u32 read_cr4(void)
{
	u32 v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* MOV to CR4 (0f 22 e0); returns the #GPs it raised. */
static u32 try_cr4(u32 v)
{
	u32 before = gp_count;

	asm volatile("mov %0, %%cr4" : : "a"(v) : "memory");
	return gp_count - before;
}

static u32 cpuid_reg(u32 leaf, int reg)
{
	u32 r[4];

	asm volatile("cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(0));
	return r[reg];
}

void mb_test(void)
{
	u32 cr4;

	idt_init();
	cr4 = read_cr4();
	CHECK(!(cpuid_reg(7, 2) & (1u << 16)));		/* LA57 hidden */
	CHECK_EQ(try_cr4(cr4 | (1u << 12)), 1);
	CHECK_EQ(read_cr4(), cr4);
	CHECK(!(cpuid_reg(1, 3) & (1u << 7)));		/* MCE hidden */
	CHECK_EQ(try_cr4(cr4 | (1u << 6)), 1);
	CHECK_EQ(read_cr4(), cr4);
	CHECK(cpuid_reg(1, 3) & (1u << 3));		/* PSE offered */
	CHECK_EQ(try_cr4(cr4 | (1u << 4)), 0);
	CHECK_EQ(read_cr4(), cr4 | (1u << 4));
	try_cr4(cr4);
}
