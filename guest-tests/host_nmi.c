// SPDX-License-Identifier: GPL-2.0
/*
 * config: cpus = 2
 * config: pin = 2, 3
 *
 * A host NMI that arrives while a CPU runs a guest reaches the host's NMI
 * handler (the panic path stops the other CPUs with NMIs). vCPU 1 spins
 * in real mode (`sti; jmp $` at the SIPI vector), so its CPU is in guest mode
 * nearly all the time; vCPU 0 has the hypervisor send NMIs to that CPU
 * (PV_HC_TEST_NMI, test mode only), one at a time, each waited for in the
 * handler's count, until at least five of them arrived in guest mode
 * (vCPU 1's host-NMI exits).
 * Catches: the NMI exit swallowing the NMI (VMX: the test then waits for
 * the handler forever and times out).
 */
#include "gt.h"

#define XAPIC        0xfee00000UL
#define ICR          0x300
#define ICR2         0x310
#define SIPI_VECTOR  0x20		/* 0x20000 */
#define IN_GUEST     5

static void icr(u32 dest, u32 low)
{
	*(volatile u32 *)(XAPIC + ICR2) = dest << 24;
	*(volatile u32 *)(XAPIC + ICR) = low;
}

static s64 handled(void)
{
	return hypercall(PV_HC_HOST_NMIS, 1, 0);
}

static s64 in_guest(void)
{
	return hypercall(PV_HC_HOST_NMIS, 1, 1);
}

void test_main(void)
{
	volatile u8 *code = (volatile u8 *)(SIPI_VECTOR * 0x1000UL);
	u32 sent = 0;

	/*
	 * sti; jmp $. IF=1 because Bochs does not kick a VMX guest out of a
	 * `jmp $` with IF=0 (the VM's stop would then never reach that
	 * CPU); nothing sends vCPU 1 an interrupt.
	 */
	code[0] = 0xfb;
	code[1] = 0xeb;
	code[2] = 0xfe;
	icr(1, 0x4500);			/* INIT, level assert */
	icr(1, 0x4600 | SIPI_VECTOR);	/* start-up */
	while (in_guest() < IN_GUEST && sent < 10000) {
		s64 before = handled();

		if (hypercall(PV_HC_TEST_NMI, 1, 0)) {
			EXPECT(!"PV_HC_TEST_NMI refused");
			break;
		}
		sent++;
		while (handled() == before)
			asm volatile("pause");
	}
	gt_printf("%u NMIs sent, %lld taken in guest mode, %lld handled\n",
		  sent, (long long)in_guest(), (long long)handled());
	EXPECT(in_guest() >= IN_GUEST);
}
