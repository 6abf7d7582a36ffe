// SPDX-License-Identifier: GPL-2.0
/*
 * on_exit: restart
 *
 * An endless #DB loop (the CVE-2015-8104 class): the #DB gate has its own
 * interrupt stack and an instruction breakpoint sits on the handler's
 * first instruction, so every delivery raises the next #DB (a fault, RF
 * clear) before that instruction runs, on the same stack slot, forever. With #DB intercepted, each one exits to
 * the hypervisor, which stays in control of the CPU: boot 0 arms the
 * watchdog (PV_HC_WATCHDOG, the path of the shell's `reset`) and enters
 * the loop; boot 1 checks that it was reset (DR7 back to its reset value)
 * and passes. The guests sharing this CPU go on once it is reset.
 */
#include "gt.h"

static u8 ist_stack[4096] __aligned(16);

void db_never(void);
asm(".text\n"
    ".globl db_never\n"
    "db_never:\n\t"
    "iretq\n");

void test_main(void)
{
	s64 boot = hypercall(PV_HC_BOOT_COUNT, 0, 0);
	u64 top = (u64)ist_stack + sizeof(ist_stack);
	u64 dr7;

	gt_printf("boot %lld\n", (long long)boot);
	if (boot != 0) {
		asm volatile("movq %%dr7, %0" : "=r"(dr7));
		EXPECT_EQ(boot, 1);
		EXPECT_EQ(dr7, 0x400);
		return;
	}
	gt_user_init();
	gt_set_ist(1, top);
	gt_set_gate_ist(1, db_never, 1);
	if (hypercall(PV_HC_WATCHDOG, 2000, 0) != 0) {
		gt_puts("FAIL: no watchdog\n");
		gt_exit(1);
	}
	/* DR0 = the handler, R/W0 = execute, L0; then one single step. */
	asm volatile("movq %0, %%dr0\n\t"
		     "movq %1, %%dr7\n\t"
		     "pushfq; orq $0x100, (%%rsp); popfq\n\t"
		     "nop"
		     : : "r"((u64)db_never), "r"(0x401ULL) : "memory");
	gt_puts("FAIL: left the #DB loop\n");
	gt_exit(1);
}
