// SPDX-License-Identifier: GPL-2.0
/*
 * NMI blocking: an NMI sent to itself from inside the NMI handler is held
 * until the handler's IRET (SDM vol. 3 6.7.1) and then delivered, although
 * the guest only spins on memory, making no exits that would let the
 * hypervisor look again; two NMIs sent while blocked collapse into one.
 * Once through the xAPIC page (ICR, physical destination = own ID, NMI
 * delivery mode), once through the x2APIC ICR MSR.
 */
#include "gt.h"

#define MSR_APIC_BASE 0x1b
#define X2_ICR        0x830
#define XAPIC         0xfee00000UL
#define SVR           0x0f0
#define ICR           0x300
#define ICR2          0x310
#define DM_NMI        (4u << 8)

/* Spins of the exit-free wait: a last resort, never a timing assumption. */
#define BOUND         200000000UL

static volatile u32 nmis;	/* handler entries */
static volatile u32 depth, max_depth;
static volatile u32 send_in_handler;	/* self-NMIs to send on entry #1 */
static volatile bool x2;

static volatile u32 *reg(u32 off)
{
	return (volatile u32 *)(XAPIC + off);
}

static void self_nmi(void)
{
	if (x2) {
		wrmsr(X2_ICR, (0ULL << 32) | DM_NMI);	/* x2APIC ID 0 */
	} else {
		*reg(ICR2) = 0;				/* APIC ID 0 */
		*reg(ICR) = DM_NMI;
	}
}

static void nmi(u8 vector)
{
	u32 n = send_in_handler;

	if (++depth > max_depth)
		max_depth = depth;
	nmis++;
	send_in_handler = 0;
	/*
	 * Each ICR write exits: a hypervisor that does not know the guest
	 * is in its NMI handler injects the new NMI right here.
	 */
	while (n--)
		self_nmi();
	depth--;
}

/* Waits, without exits, until the handler has run @want times. */
static u64 wait_for(u32 want)
{
	u64 i;

	for (i = 0; i < BOUND && nmis < want; i++)
		;
	return i;
}

/* One round: NMI, @sends self-NMIs from its handler, one more after it. */
static void round(const char *how, u32 sends)
{
	u32 base = nmis, got;
	u64 spins;

	gt_printf("%s: %u self-NMI(s) from the handler\n", how, sends);
	max_depth = 0;
	send_in_handler = sends;
	self_nmi();			/* taken at once: not blocked */
	spins = wait_for(base + 2);
	got = nmis - base;		/* before any exit of EXPECT's output */
	EXPECT_EQ(got, 2);
	EXPECT(spins < BOUND);
	EXPECT_EQ(max_depth, 1);	/* never inside the handler */
	/* Exits (serial output, APIC reads) would let a third one in. */
	for (int i = 0; i < 4; i++)
		(void)(x2 ? rdmsr(0x802) : *reg(0x20));
	EXPECT_EQ(nmis - base, 2);
}

void test_main(void)
{
	gt_set_irq_handler(2, nmi);
	*reg(SVR) = 0x1ff;

	round("xAPIC", 1);
	/* A second one while blocked is dropped: one NMI latch. */
	round("xAPIC", 2);

	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1 << 10));
	x2 = true;
	round("x2APIC", 1);
	round("x2APIC", 3);
}
