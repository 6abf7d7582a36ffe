// SPDX-License-Identifier: GPL-2.0
/*
 * Counter overflow: a counter preset to 2^48 - N sets its GlobalStatus
 * bit exactly at the N-th event (not at N - 1); with INT set the PMI goes
 * through LVTPC, as an NMI or a fixed vector, once, at the exact
 * instruction (skid 0: the return RIP is right after the overflowing DEC
 * or JNZ, with the loop register to match); with INT clear or LVTPC
 * masked there is no PMI; GlobalStatusClr clears the bit. Writing a
 * running counter takes effect after the WRMSR; writing 2^48 - 1 to a
 * running counter overflows it at the next instruction.
 * Catches: no PMI, PMIs without INT, late PMIs (skid), duplicate PMIs,
 * PMIs through the wrong LVTPC mode, a GlobalStatus that does not follow
 * the hardware, counter writes applied at the wrong point.
 * requires: pmu
 */
#include "pmu.h"

#define PMI_VECTOR 0xf0

static volatile u32 nmis, pmis;
static volatile u64 pmi_rip, pmi_rcx, pmi_status;

static void on_pmi(u8 vector)
{
	struct gt_frame *f = gt_irq_frame();

	if (vector == 2)
		nmis++;
	else
		pmis++;
	pmi_rip = f->rip;
	pmi_rcx = f->rcx;
	pmi_status = rdmsr(MSR_GLOBAL_STATUS);
	if (vector != 2)
		apic_write(APIC_EOI, 0);
}

static void clear(void)
{
	pmu_reset();
	nmis = pmis = 0;
	pmi_rip = pmi_rcx = pmi_status = 0;
}

/* Overflow exactly at the end of the window, or one event short of it. */
static void status_edge(void)
{
	const u64 n = 100, len = PMU_LOOP_INSNS(n);

	clear();
	wrmsr(MSR_PERF_CTR(0), CTR_PRESET(len));
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | EV_INSNS);
	wrmsr(MSR_PERF_CTR(1), CTR_PRESET(len + 1));
	wrmsr(MSR_PERF_CTL(1), SEL_EN | SEL_OS | EV_INSNS);
	wrmsr(MSR_PERF_CTR(2), CTR_PRESET(n));
	wrmsr(MSR_PERF_CTL(2), SEL_EN | SEL_OS | EV_BRANCHES);
	pmu_loop(0x7, n);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(0)), 0);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(1)), CTR_MASK);
	EXPECT_EQ(rdmsr(MSR_PERF_CTR(2)), 0);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0x5);
	EXPECT_EQ(nmis + pmis, 0);		/* INT clear */
	wrmsr(MSR_GLOBAL_STATUS_CLR, 0x1);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0x4);
	wrmsr(MSR_GLOBAL_STATUS_CLR, 0x4);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0);
}

/*
 * One PMI, the @k-th instruction of pmu_loop(n = 1000) overflowing: k odd
 * is JNZ number (k - 1) / 2, after which the PMI returns to the DEC; k
 * even is DEC number k / 2, returning to the JNZ.
 */
static void pmi_at(u64 k, bool nmi, u32 ctr)
{
	const u64 n = 1000;
	u64 j = k / 2;

	clear();
	apic_write(APIC_LVTPC, nmi ? LVT_NMI : PMI_VECTOR);
	wrmsr(MSR_PERF_CTR(ctr), CTR_PRESET(k));
	wrmsr(MSR_PERF_CTL(ctr), SEL_EN | SEL_OS | SEL_INT | EV_INSNS);
	if (!nmi)
		sti();
	pmu_loop(1u << ctr, n);
	cli();
	gt_printf("PMI (%s, counter %u, instruction %llu): rip %#llx rcx %llu\n",
		  nmi ? "NMI" : "fixed", ctr, (unsigned long long)k,
		  (unsigned long long)pmi_rip, (unsigned long long)pmi_rcx);
	EXPECT_EQ(nmis, nmi ? 1 : 0);
	EXPECT_EQ(pmis, nmi ? 0 : 1);
	EXPECT_EQ(pmi_status, 1u << ctr);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 1u << ctr);
	EXPECT_EQ(pmi_rip, k % 2 ? (u64)pmu_loop_dec : (u64)pmu_loop_jnz);
	EXPECT_EQ(pmi_rcx, n - j);
	/* Everything after the overflow, the handler included, counted. */
	EXPECT(rdmsr(MSR_PERF_CTR(ctr)) >= PMU_LOOP_INSNS(n) - k);
	EXPECT(rdmsr(MSR_PERF_CTR(ctr)) < 100000);
}

static void no_pmi(void)
{
	/* INT set, LVTPC masked: status only. */
	clear();
	apic_write(APIC_LVTPC, LVT_MASKED | LVT_NMI);
	wrmsr(MSR_PERF_CTR(0), CTR_PRESET(50));
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | SEL_INT | EV_INSNS);
	pmu_loop(1, 100);
	EXPECT_EQ(nmis + pmis, 0);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 1);

	/* INT clear, LVTPC unmasked: status only. */
	clear();
	apic_write(APIC_LVTPC, LVT_NMI);
	wrmsr(MSR_PERF_CTR(3), CTR_PRESET(50));
	wrmsr(MSR_PERF_CTL(3), SEL_EN | SEL_OS | EV_INSNS);
	pmu_loop(1 << 3, 100);
	EXPECT_EQ(nmis + pmis, 0);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 1 << 3);
	/*
	 * Set/Clr on a real overflow bit and beside it (AMD: the Intel
	 * guest's version 2 PMU has no GLOBAL_STATUS_SET).
	 */
	if (!pmu_intel) {
		wrmsr(MSR_GLOBAL_STATUS_SET, 0x2);
		EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), 0xa);
	}
	wrmsr(MSR_GLOBAL_STATUS_CLR, 0x8);
	EXPECT_EQ(rdmsr(MSR_GLOBAL_STATUS), pmu_intel ? 0 : 0x2);
	if (!pmu_intel)
		wrmsr(MSR_GLOBAL_STATUS_CLR, 0x2);
	EXPECT_EQ(nmis + pmis, 0);
}

static void running_writes(void)
{
	register u64 status asm("r8");
	u64 v;

	/* CTR0 = 0 while counting: the MOV after the WRMSR is all it sees. */
	clear();
	wrmsr(MSR_PERF_CTR(0), 12345);
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | EV_INSNS);
	wrmsr(MSR_GLOBAL_CTL, 1);
	asm volatile("mov %%esi, %%ecx\n\t"
		     "xor %%eax, %%eax\n\t"
		     "xor %%edx, %%edx\n\t"
		     "wrmsr\n\t"
		     "mov %%esi, %%ecx\n\t"
		     "rdmsr\n\t"
		     "shl $32, %%rdx\n\t"
		     "or %%rdx, %%rax"
		     : "=a"(v) : "S"(MSR_PERF_CTR(0)) : "rcx", "rdx", "cc");
	wrmsr(MSR_GLOBAL_CTL, 0);
	EXPECT_EQ(v, 1);

	/*
	 * 2^48 - 1 while counting: the NOP overflows it; four instructions
	 * later (mov, rdmsr, mov, mov) the counter reads 4.
	 */
	clear();
	wrmsr(MSR_PERF_CTL(0), SEL_EN | SEL_OS | EV_INSNS);
	wrmsr(MSR_GLOBAL_CTL, 1);
	asm volatile("mov %%esi, %%ecx\n\t"
		     "mov $0xffffffff, %%eax\n\t"
		     "mov $0xffff, %%edx\n\t"
		     "wrmsr\n\t"
		     "nop\n\t"
		     "mov %%edi, %%ecx\n\t"
		     "rdmsr\n\t"
		     "mov %%eax, %%r8d\n\t"
		     "mov %%esi, %%ecx\n\t"
		     "rdmsr\n\t"
		     "shl $32, %%rdx\n\t"
		     "or %%rdx, %%rax"
		     : "=a"(v), "=r"(status)
		     : "S"(MSR_PERF_CTR(0)), "D"(MSR_GLOBAL_STATUS)
		     : "rcx", "rdx", "cc");
	wrmsr(MSR_GLOBAL_CTL, 0);
	EXPECT_EQ(status, 1);
	EXPECT_EQ(v, 4);
	EXPECT_EQ(nmis + pmis, 0);
}

void test_main(void)
{
	/* The last counter: 5 on the model, 4 under `profile = on`. */
	u32 last = pmu_require() - 1;

	apic_write(APIC_SVR, 0x1ff);
	gt_set_irq_handler(2, on_pmi);
	gt_set_irq_handler(PMI_VECTOR, on_pmi);

	status_edge();
	pmi_at(2 * 300 + 1, true, 0);		/* on a JNZ */
	pmi_at(2 * 450, true, 0);		/* on a DEC */
	pmi_at(1, true, last);			/* the first instruction */
	pmi_at(2 * 100 + 1, false, 2);
	pmi_at(2 * 700, false, 4);
	no_pmi();
	running_writes();
	apic_write(APIC_LVTPC, LVT_MASKED);
	pmu_reset();
}
