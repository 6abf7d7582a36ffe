// SPDX-License-Identifier: GPL-2.0
/*
 * #DB always exits to the hypervisor, which reflects it into the guest:
 * a guest could otherwise hold the CPU in an endless #DB loop inside the
 * microcode (a #DB raised by delivering #DB, CVE-2015-8104; db_loop). The
 * guest gets it as hardware raises it: the single-step trap after a NOP,
 * RIP after it, DR6.BS set and B0-B3 clear. (INT1 is left out: QEMU's TCG
 * takes ICEBP as a breakpoint for its own gdbstub.)
 */
#include "gt.h"

#define DR6_BS (1ULL << 14)

static u64 exceptions(void)
{
	return (u64)hypercall(PV_HC_EXIT_COUNT, PV_EXIT_EXCEPTION, 0);
}

void test_main(void)
{
	u64 before, after, db_rip, db_dr6;

	asm volatile("movq %0, %%dr6" : : "r"(0ULL));
	before = exceptions();
	gt_clear_exception();
	asm volatile(ASM_TRY("2f")
		     "pushfq; orq $0x100, (%%rsp); popfq\n\t"
		     "nop\n"
		     "1: nop\n"
		     "2: leaq 1b(%%rip), %0"
		     : "=r"(after) : : "memory");
	asm volatile("movq %%dr6, %0" : "=r"(db_dr6));
	db_rip = gt_last_rip();
	gt_printf("step: vector %d rip %#llx (want %#llx) dr6 %#llx\n",
		  gt_last_vector(), (unsigned long long)db_rip,
		  (unsigned long long)after, (unsigned long long)db_dr6);
	EXPECT_EQ(gt_last_vector(), 1);
	EXPECT_EQ(db_rip, after);
	EXPECT(db_dr6 & DR6_BS);
	EXPECT_EQ(db_dr6 & 0xf, 0);
	EXPECT_EQ(exceptions(), before + 1);
}
