// SPDX-License-Identifier: GPL-2.0
/*
 * requires: alignment-check
 *
 * #AC always exits to the hypervisor, which reflects it into the guest:
 * a guest could otherwise hold the CPU in an endless #AC loop inside the
 * microcode (#AC while delivering #AC, CVE-2015-5307). The guest gets
 * #AC(0) from a misaligned load at CPL 3 with CR0.AM and RFLAGS.AC, none
 * from an aligned one. QEMU's TCG does not check alignment: Bochs only.
 */
#include "gt.h"

static u64 exceptions(void)
{
	return (u64)hypercall(PV_HC_EXIT_COUNT, PV_EXIT_EXCEPTION, 0);
}

static u64 user_misaligned(u64 addr)
{
	u64 v = 0;

	gt_clear_exception();
	asm volatile("pushfq; orq $0x40000, (%%rsp); popfq\n\t"
		     ASM_TRY("1f") "movl (%1), %%eax\n"
		     "1: pushfq; andq $~0x40000, (%%rsp); popfq"
		     : "=a"(v) : "r"(addr) : "memory");
	gt_fixup_rip = 0;
	return (u64)(s64)gt_last_vector();
}

void test_main(void)
{
	static u8 buf[16] __aligned(16);
	u64 before;

	gt_user_init();
	write_cr0(read_cr0() | X86_CR0_AM);
	before = exceptions();
	EXPECT_EQ(gt_user_call(user_misaligned, (u64)&buf[1]), 17);
	EXPECT_EQ(gt_last_error(), 0);
	EXPECT_EQ(exceptions(), before + 1);
	EXPECT_EQ(gt_user_call(user_misaligned, (u64)&buf[4]), (u64)-1);
	write_cr0(read_cr0() & ~X86_CR0_AM);
}
