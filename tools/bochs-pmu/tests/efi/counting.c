// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmutest (Bochs): exact counts of known loops (counted_loop(),
 * counted_rep()), the events, CMASK/INV/EDGE, REP, RDPMC, and overflow
 * with its PMI (NMI and fixed vector, exact position, LVTPC auto-mask).
 */
#include "pmutest.h"

/*
 * counted_loop(mask, loops): a WRMSR sets GLOBAL_CTRL to @mask, then
 * "mov loops, rcx; 1: dec rcx; jnz 1b", then GLOBAL_CTRL is cleared.  The
 * starting WRMSR is not counted (a PMU write takes effect after the
 * writing instruction), the stopping one is: mov, 2 * loops, mov, xor,
 * xor, wrmsr = 2 * loops + 5 instructions, loops branches.
 */
void counted_loop(u64 mask, u64 loops);
extern const char loop_dec[], loop_jnz[];
__asm__(".text\n"
	"counted_loop:\n"
	"mov %rdi, %rax\n"
	"mov %rdi, %rdx\n"
	"shr $32, %rdx\n"
	"mov $0x38f, %ecx\n"
	"wrmsr\n"
	"mov %rsi, %rcx\n"
	"loop_dec: dec %rcx\n"
	"loop_jnz: jnz loop_dec\n"
	"mov $0x38f, %ecx\n"
	"xor %eax, %eax\n"
	"xor %edx, %edx\n"
	"wrmsr\n"
	"ret\n");
#define LOOP_INSNS(n)	(2 * (n) + 5)

/* rep stosb of @n bytes inside the counted window: mov, lea, rep stosb */
u8 rep_buf[300000];
void counted_rep(u64 mask, u64 n);
__asm__(".text\n"
	"counted_rep:\n"
	"push %rdi\n"
	"mov %rdi, %rax\n"
	"mov %rdi, %rdx\n"
	"shr $32, %rdx\n"
	"mov $0x38f, %ecx\n"
	"wrmsr\n"
	"mov %rsi, %rcx\n"
	"lea rep_buf(%rip), %rdi\n"
	"rep stosb\n"
	"mov $0x38f, %ecx\n"
	"xor %eax, %eax\n"
	"xor %edx, %edx\n"
	"wrmsr\n"
	"pop %rdi\n"
	"ret\n");
#define REP_INSNS	7

/* ---- counting ---------------------------------------------------------- */

void test_counting(void)
{
	const u64 loops = 100000;
	u64 v0, v1;
	unsigned i;

	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | USR | EV_INSNS);
	wrmsr(EVTSEL(1), EN | OS | EV_INSNS);
	wrmsr(EVTSEL(2), EN | USR | EV_INSNS);
	wrmsr(EVTSEL(3), EN | OS | EV_CYCLES);
	wrmsr(EVTSEL(4), EN | OS | 0x99);		/* unknown */
	wrmsr(EVTSEL(5), OS | EV_INSNS);		/* EN clear */
	wrmsr(EVTSEL(6), EN | OS | EV_REF);
	wrmsr(EVTSEL(7), EN | EV_INSNS);		/* neither OS nor USR */
	wrmsr(FIXED_CTRL, 0x321);	/* fixed 0: OS, fixed 1: USR, fixed 2: both */
	counted_loop(gp_bits() | FIXED_BITS, loops);
	check("instructions retired, CPL0 loop, exact", rdmsr(PMC(0)), LOOP_INSNS(loops));
	check("instructions retired, OS only", rdmsr(PMC(1)), LOOP_INSNS(loops));
	check("instructions retired, USR only at CPL0", rdmsr(PMC(2)), 0);
	check("core cycles = instructions", rdmsr(PMC(3)), LOOP_INSNS(loops));
	check("unknown event counts nothing", rdmsr(PMC(4)), 0);
	check("EN clear counts nothing", rdmsr(PMC(5)), 0);
	check("reference cycles (0x013c) = instructions", rdmsr(PMC(6)), LOOP_INSNS(loops));
	check("neither OS nor USR counts nothing", rdmsr(PMC(7)), 0);
	check("fixed 0 (instructions, OS)", rdmsr(FIXED_CTR(0)), LOOP_INSNS(loops));
	check("fixed 1 (cycles, USR only) at CPL0", rdmsr(FIXED_CTR(1)), 0);
	check("fixed 2 (ref cycles, OS+USR)", rdmsr(FIXED_CTR(2)), LOOP_INSNS(loops));

	/* GLOBAL_CTRL selects the counters. */
	pmu_clear();
	for (i = 0; i < ngp; i++)
		wrmsr(EVTSEL(i), EN | OS | EV_INSNS);
	wrmsr(FIXED_CTRL, 0x333);
	counted_loop(0x5 | (1ul << 33), 1000);
	check("GLOBAL_CTRL bit 0 set counts", rdmsr(PMC(0)), LOOP_INSNS(1000));
	check("GLOBAL_CTRL bit 1 clear does not count", rdmsr(PMC(1)), 0);
	check("GLOBAL_CTRL bit 2 set counts", rdmsr(PMC(2)), LOOP_INSNS(1000));
	check("GLOBAL_CTRL bit 32 clear: fixed 0 does not count", rdmsr(FIXED_CTR(0)), 0);
	check("GLOBAL_CTRL bit 33 set: fixed 1 counts", rdmsr(FIXED_CTR(1)), LOOP_INSNS(1000));

	/* Branches: the loop has 1000 jnz (the ret is outside the window). */
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_BRANCHES);
	wrmsr(EVTSEL(1), EN | OS | EV_MISPRED);
	counted_loop(0x3, 1000);
	check("branch instructions retired", rdmsr(PMC(0)), 1000);
	check("mispredicted branches (model: 0)", rdmsr(PMC(1)), 0);

	/* CMASK / INV / EDGE, one instruction per cycle. */
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_INSNS | CMASK(1));
	wrmsr(EVTSEL(1), EN | OS | EV_INSNS | CMASK(2));
	wrmsr(EVTSEL(2), EN | OS | EV_INSNS | CMASK(2) | INV);
	wrmsr(EVTSEL(3), EN | OS | EV_INSNS | CMASK(1) | INV);
	wrmsr(EVTSEL(4), EN | OS | EV_INSNS | CMASK(1) | EDGE);
	wrmsr(EVTSEL(5), EN | OS | EV_BRANCHES | CMASK(1) | INV);
	wrmsr(EVTSEL(6), EN | OS | EV_BRANCHES | CMASK(1) | EDGE);
	wrmsr(EVTSEL(7), EN | OS | EV_BRANCHES | CMASK(1) | INV | EDGE);
	counted_loop(0xff, 1000);
	check("CMASK=1: cycles with >= 1 instruction", rdmsr(PMC(0)), LOOP_INSNS(1000));
	check("CMASK=2: never 2 instructions per cycle", rdmsr(PMC(1)), 0);
	check("CMASK=2 INV: cycles with < 2 instructions", rdmsr(PMC(2)), LOOP_INSNS(1000));
	check("CMASK=1 INV: cycles with no instruction", rdmsr(PMC(3)), 0);
	check("CMASK=1 EDGE: one rising edge", rdmsr(PMC(4)), 1);
	check("branches CMASK=1 INV: cycles without a branch", rdmsr(PMC(5)), LOOP_INSNS(1000) - 1000);
	check("branches CMASK=1 EDGE: every branch is an edge", rdmsr(PMC(6)), 1000);
	/* non-branch runs: mov at the start, each dec, the 4 after the loop */
	check("branches CMASK=1 INV EDGE: runs without a branch", rdmsr(PMC(7)), 1001);

	/* REP string instructions retire once. */
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_INSNS);
	counted_rep(0x1, 1000);
	check("rep stosb x1000 is one instruction", rdmsr(PMC(0)), REP_INSNS);
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_INSNS);
	__asm__ volatile("sti");	/* let the timer interrupt it */
	counted_rep(0x1, 300000);
	__asm__ volatile("cli");
	v0 = rdmsr(PMC(0));
	check("rep stosb x300000 is one instruction (+ interrupt handlers)", v0 >= REP_INSNS, 1);
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_INSNS);
	counted_rep(0x1, 300000);
	check("rep stosb x300000 with interrupts off: exact", rdmsr(PMC(0)), REP_INSNS);

	/* RDPMC: the reading instruction is not included. */
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_INSNS);
	wrmsr(EVTSEL(1), EN | OS | EV_INSNS);
	wrmsr(GLOBAL_CTRL, 0x3);
	v1 = rdpmc_delta_0_1();
	check("RDPMC delta over 3 instructions (+1 for the first RDPMC)", v1, 4);
	wrmsr(GLOBAL_CTRL, 0);
	wrmsr(FIXED_CTR(1), 0x123456789abcul);
	check("RDPMC 0x40000001 reads fixed 1", rdpmc_safe(0x40000001, &v0) == -1 ? v0 : 0,
	      0x123456789abcul);
	wrmsr(A_PMC(0), 0xfedcba987654ul);
	check("RDPMC 0 reads 48 bits", rdpmc_safe(0, &v0) == -1 ? v0 : 0, 0xfedcba987654ul);
	check("RDPMC of counter n #GP", rdpmc_safe(ngp, &v0), 13);
	check("RDPMC 0x40000003 #GP", rdpmc_safe(0x40000003, &v0), 13);
	check("RDPMC fast read (bit 31) #GP", rdpmc_safe(0x80000000, &v0), 13);
	pmu_clear();
}

/* ---- overflow and PMI ------------------------------------------------ */

static u32 lvtpc(void)
{
	return lapic[0x340 / 4];
}

/* Overflow of counter 0 after exactly @period instructions of counted_loop(). */
static void pmi_run(u64 period, int nmi, u64 sel)
{
	pmu_clear();
	pmi_count = nmi_count = 0;
	pmi_rip = pmi_rcx = 0;
	lapic[0x340 / 4] = nmi ? 0x400 : PMI_VECTOR;	/* LVTPC */
	wrmsr(A_PMC(0), (1ul << 48) - period);
	wrmsr(EVTSEL(0), EN | OS | sel | EV_INSNS);
	counted_loop(0x1, 1000);
}

void test_pmi(void)
{
	__asm__ volatile("cli");
	/*
	 * Overflow at the 2j+1-th instruction of the window (the j-th jnz):
	 * the NMI comes before the next dec, with rcx = 1000 - j.
	 */
	pmi_run(2 * 300 + 1, 1, INT);
	check("overflow: NMI delivered once", nmi_count, 1);
	check("overflow: GLOBAL_STATUS bit 0", rdmsr(GLOBAL_STATUS), 1);
	check("NMI right after the overflowing jnz (rcx)", pmi_rcx, 1000 - 300);
	check("NMI right after the overflowing jnz (rip)", pmi_rip, (u64)loop_dec);
	check("PMI delivery set the LVTPC mask bit", (lvtpc() >> 16) & 1, 1);

	pmi_run(2 * 450, 1, INT);
	check("NMI right after the overflowing dec (rcx)", pmi_rcx, 1000 - 450);
	check("NMI right after the overflowing dec (rip)", pmi_rip, (u64)loop_jnz);

	/* LVTPC masked (left so by the last PMI): status, no PMI. */
	pmu_clear();
	nmi_count = 0;
	wrmsr(A_PMC(0), (1ul << 48) - 10);
	wrmsr(EVTSEL(0), EN | OS | INT | EV_INSNS);
	counted_loop(0x1, 100);
	check("LVTPC masked: no PMI", nmi_count, 0);
	check("LVTPC masked: GLOBAL_STATUS", rdmsr(GLOBAL_STATUS), 1);

	/* No INT bit: status set, no interrupt. */
	pmi_run(10, 1, 0);
	check("overflow without INT: no PMI", nmi_count, 0);
	check("overflow without INT: GLOBAL_STATUS", rdmsr(GLOBAL_STATUS), 1);
	check("overflow without INT: LVTPC stays unmasked", (lvtpc() >> 16) & 1, 0);

	/* Fixed delivery through the IDT, interrupts on. */
	__asm__ volatile("sti");
	pmi_run(2 * 100 + 1, 0, INT);
	__asm__ volatile("cli");
	check("overflow: fixed-vector PMI delivered once", pmi_count, 1);
	check("fixed PMI: no NMI", nmi_count, 0);
	check("fixed PMI: LVTPC masked after delivery", (lvtpc() >> 16) & 1, 1);

	/* Fixed counter 0 with its PMI bit: status bit 32 and an NMI. */
	pmu_clear();
	nmi_count = 0;
	lapic[0x340 / 4] = 0x400;
	wrmsr(FIXED_CTR(0), (1ul << 48) - 21);
	wrmsr(FIXED_CTRL, 0x9);
	counted_loop(1ul << 32, 1000);
	check("fixed 0 overflow: GLOBAL_STATUS bit 32", rdmsr(GLOBAL_STATUS), 1ul << 32);
	check("fixed 0 overflow with PMI: one NMI", nmi_count, 1);
	check("fixed 0 NMI position (rip)", pmi_rip, (u64)loop_dec);
	check("fixed 0 NMI position (rcx)", pmi_rcx, 1000 - 10 + 1 - 1);

	lapic[0x340 / 4] = 0x10000;
	pmu_clear();
}
