// SPDX-License-Identifier: GPL-2.0
/*
 * REP INS/OUTS are done a bounded chunk per exit: a long count takes many
 * exits (RIP stays on the instruction until RCX reaches 0), ends with the
 * right RCX, RSI/RDI and data. And an interrupt is taken in the middle of
 * a huge one: `rep outsb` of 1 GiB from a linear window whose 512 2-MiB
 * pages all map the same RAM, with a 1 ms timer armed before it (and
 * after the STI shadow, which would block it until the end); the
 * handler zeroes RCX, which ends the instruction. A tick due before the
 * first chunk (a host that took more than 1 ms to get there: RCX still
 * the whole count) re-arms the timer, so the check waits for the
 * interrupt inside the instruction however fast the machine is.
 * Catches: the whole count done inside one exit (one I/O exit for 64 KiB;
 * the 1 GiB holding the vCPU and its interrupts for many minutes: timeout).
 */
#include "gt.h"

#define PORT     0x80		/* unclaimed: reads all ones, writes vanish */
#define N        65536
#define WINDOW   0x100000000ULL	/* linear 4 GiB: PDPT entry 4 */
#define WIN_LEN  (1ULL << 30)
#define PDPT     0x3000		/* hv/guest_layout.h */

#define XAPIC    0xfee00000UL
#define EOI      0x0b0
#define SVR      0x0f0
#define LVTT     0x320
#define TMICT    0x380
#define TDCR     0x3e0
#define VEC      0x40

static u8 buf[N];
static u64 pd[512] __attribute__((aligned(4096)));
#define TICK     1000000	/* 1 ms on the 1 GHz bus */

static volatile u32 ticks, early_ticks;
static volatile u64 rcx_at_tick;

static void apic_w(u32 reg, u32 v)
{
	*(volatile u32 *)(XAPIC + reg) = v;
}

static void on_timer(u8 vector)
{
	struct gt_frame *f = gt_irq_frame();

	apic_w(EOI, 0);
	if (f->rcx == WIN_LEN) {
		/* Due before the instruction started: once more. */
		early_ticks++;
		apic_w(TMICT, TICK);
		return;
	}
	ticks++;
	rcx_at_tick = f->rcx;
	f->rcx = 0;
}

static s64 io_exits(void)
{
	return hypercall(PV_HC_EXIT_COUNT, PV_EXIT_IO, 0);
}

void test_main(void)
{
	s64 io0 = io_exits(), io;
	u64 si = (u64)buf, di = (u64)buf, cx = N;

	for (u32 i = 0; i < N; i++)
		buf[i] = (u8)i;
	asm volatile("rep outsb" : "+S"(si), "+c"(cx) : "d"(PORT) : "memory");
	io = io_exits() - io0;
	gt_printf("rep outsb of %u bytes: %lld I/O exits\n", N, (long long)io);
	EXPECT_EQ(cx, 0);
	EXPECT_EQ(si, (u64)buf + N);
	EXPECT(io >= N / 256);

	cx = N;
	asm volatile("rep insb" : "+D"(di), "+c"(cx) : "d"(PORT) : "memory");
	EXPECT_EQ(cx, 0);
	EXPECT_EQ(di, (u64)buf + N);
	EXPECT_EQ(buf[0], 0xff);
	EXPECT_EQ(buf[N - 1], 0xff);

	/* 1 GiB of linear addresses, all on the 2 MiB page at 2 MiB. */
	for (u32 i = 0; i < 512; i++)
		pd[i] = 0x200000 | 0x83;	/* P, RW, PS */
	((volatile u64 *)PDPT)[4] = (u64)pd | 0x3;
	write_cr3(read_cr3());

	gt_set_irq_handler(VEC, on_timer);
	apic_w(SVR, 0x1ff);
	apic_w(TDCR, 0xb);			/* divide by 1 */
	apic_w(LVTT, VEC);			/* one-shot */
	apic_w(TMICT, TICK);
	si = WINDOW;
	cx = WIN_LEN;
	asm volatile("sti; nop; rep outsb; cli"
		     : "+S"(si), "+c"(cx) : "d"(PORT) : "memory");
	gt_printf("timer taken with %#llx of %#llx bytes left (%u ticks before the first chunk)\n",
		  (unsigned long long)rcx_at_tick,
		  (unsigned long long)WIN_LEN, early_ticks);
	EXPECT_EQ(ticks, 1);
	EXPECT(rcx_at_tick > 0 && rcx_at_tick < WIN_LEN);
	EXPECT_EQ(cx, 0);
	EXPECT_EQ(si, WINDOW + WIN_LEN - rcx_at_tick);
}
