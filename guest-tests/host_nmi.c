// SPDX-License-Identifier: GPL-2.0
/*
 * config: cpus = 2
 * config: pin = 2, 3
 *
 * A host NMI that arrives while a CPU runs a guest reaches the host's NMI
 * handler (the panic path stops the other CPUs with NMIs). vCPU 1 spins
 * in real mode (`sti; jmp $` at the SIPI vector), so its CPU is in guest mode
 * nearly all the time; once vCPU 1 has set a byte to say it runs (its CPU
 * may first run the guests queued ahead of this one there), vCPU 0 has
 * the hypervisor send NMIs to that CPU
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
#define STARTED      0x10		/* vCPU 1 sets the byte at 0x20010 */

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
	 * mov byte [cs:STARTED], 1; sti; jmp $. IF=1 because Bochs does not
	 * kick a VMX guest out of a `jmp $` with IF=0 (the VM's stop would
	 * then never reach that CPU); nothing sends vCPU 1 an interrupt.
	 */
	static const u8 ap[] = { 0x2e, 0xc6, 0x06, STARTED, 0x00, 0x01,
				 0xfb, 0xeb, 0xfe };

	for (u32 i = 0; i < sizeof(ap); i++)
		code[i] = ap[i];
	code[STARTED] = 0;
	icr(1, 0x4500);			/* INIT, level assert */
	icr(1, 0x4600 | SIPI_VECTOR);	/* start-up */
	/*
	 * Its CPU may still run the guests queued ahead of this one there:
	 * NMIs sent meanwhile would land outside vCPU 1's guest mode.
	 */
	while (!code[STARTED])
		asm volatile("pause");
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
