// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmutest: checks of the QEMU TCG AMD PerfMonV2 PMU model, as a UEFI
 * application run by OVMF at CPL 0 (see tools/qemu-pmu/tests/run.sh).
 *
 * With the model present (CPUID 0x80000022 PerfMonV2) it checks CPUID,
 * the MSRs and their #GP cases, exact instruction counts, CMASK/INV/EDGE,
 * RDPMC, overflow and PMIs (fixed vector and NMI, exact position), and,
 * in a nested SVM guest, Host-Only/Guest-Only counting, exceptions that
 * cut a block short, REP string instructions and the RDPMC intercept.
 * Without the model it prints "PROBE" lines (CPUID leaves, MSR and RDPMC
 * behaviour) for run.sh to compare against Debian's QEMU.
 *
 * Output goes to COM1; the verdict leaves through isa-debug-exit at 0xf4
 * (QEMU exits with 33 on pass, 35 on failure).
 */
#include <efi.h>
#include <efilib.h>

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

/* ---- console and exit ---------------------------------------------- */

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void putc_serial(char c)
{
	if (c == '\n')
		putc_serial('\r');
	while (!(inb(0x3f8 + 5) & 0x20))
		;
	outb(0x3f8, c);
}

static void puts_serial(const char *s)
{
	while (*s)
		putc_serial(*s++);
}

static void put_hex(u64 v)
{
	char buf[19];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	buf[18] = 0;
	/* skip leading zeros, keep at least one digit */
	for (i = 2; i < 17 && buf[i] == '0'; i++)
		;
	puts_serial("0x");
	puts_serial(buf + i);
}

static void put_dec(u64 v)
{
	char buf[21];
	int i = 20;

	buf[i] = 0;
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	puts_serial(buf + i);
}

static void exit_qemu(int pass)
{
	__asm__ volatile("outl %0, %1" : : "a"(pass ? 0x10u : 0x11u), "Nd"((u16)0xf4));
	for (;;)
		__asm__ volatile("cli; hlt");
}

static unsigned n_pass, n_fail;

/* One check: prints "PASS name" or "FAIL name: got X, want Y". */
static int check(const char *name, u64 got, u64 want)
{
	if (got == want) {
		n_pass++;
		puts_serial("PASS ");
		puts_serial(name);
		puts_serial("\n");
		return 1;
	}
	n_fail++;
	puts_serial("FAIL ");
	puts_serial(name);
	puts_serial(": got ");
	put_dec(got);
	puts_serial(" (");
	put_hex(got);
	puts_serial("), want ");
	put_dec(want);
	puts_serial(" (");
	put_hex(want);
	puts_serial(")\n");
	return 0;
}

/* ---- exceptions ------------------------------------------------------ */

struct frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};

#define PMI_VECTOR 0xf0

/* Set by the *_safe accessors: where to resume after a fault. */
volatile u64 fault_fixup;
static volatile int fault_vector;

static volatile unsigned nmi_count, pmi_count;
static volatile u64 pmi_rip, pmi_rcx;

static volatile u32 *const lapic = (volatile u32 *)0xfee00000;

void isr_handler(struct frame *f);
void isr_handler(struct frame *f)
{
	if (f->vector == 2 || f->vector == PMI_VECTOR) {
		if (f->vector == 2)
			nmi_count++;
		else
			pmi_count++;
		pmi_rip = f->rip;
		pmi_rcx = f->rcx;
		if (f->vector == PMI_VECTOR)
			lapic[0xb0 / 4] = 0;	/* EOI */
		return;
	}
	if (fault_fixup) {
		fault_vector = f->vector;
		f->rip = fault_fixup;
		fault_fixup = 0;
		return;
	}
	puts_serial("FAIL unexpected exception ");
	put_dec(f->vector);
	puts_serial(" error ");
	put_hex(f->error);
	puts_serial(" at rip ");
	put_hex(f->rip);
	puts_serial("\n");
	exit_qemu(0);
}

/* Stubs: vectors 0-21, 0xf0; push a dummy error code where needed. */
#define STUB(n)		".align 16\nisr_stub_" #n ":\npushq $0\npushq $" #n "\njmp isr_common\n"
#define STUB_ERR(n)	".align 16\nisr_stub_" #n ":\npushq $" #n "\njmp isr_common\n"

__asm__(".text\n"
	"isr_common:\n"
	"push %rax\n push %rbx\n push %rcx\n push %rdx\n push %rsi\n"
	"push %rdi\n push %rbp\n push %r8\n push %r9\n push %r10\n"
	"push %r11\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"mov %rsp, %rdi\n"
	"mov %rsp, %rbx\n"
	"and $-16, %rsp\n"
	"call isr_handler\n"
	"mov %rbx, %rsp\n"
	"pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %r11\n"
	"pop %r10\n pop %r9\n pop %r8\n pop %rbp\n pop %rdi\n"
	"pop %rsi\n pop %rdx\n pop %rcx\n pop %rbx\n pop %rax\n"
	"add $16, %rsp\n"
	"iretq\n"
	STUB(0) STUB(1) STUB(2) STUB(3) STUB(4) STUB(5) STUB(6) STUB(7)
	STUB_ERR(8) STUB(9) STUB_ERR(10) STUB_ERR(11) STUB_ERR(12)
	STUB_ERR(13) STUB_ERR(14) STUB(15) STUB(16) STUB_ERR(17) STUB(18)
	STUB(19) STUB(20) STUB_ERR(21) STUB(240)
	".section .data\n"
	".align 8\n"
	"isr_stub_table:\n"
	".quad isr_stub_0, isr_stub_1, isr_stub_2, isr_stub_3, isr_stub_4\n"
	".quad isr_stub_5, isr_stub_6, isr_stub_7, isr_stub_8, isr_stub_9\n"
	".quad isr_stub_10, isr_stub_11, isr_stub_12, isr_stub_13\n"
	".quad isr_stub_14, isr_stub_15, isr_stub_16, isr_stub_17\n"
	".quad isr_stub_18, isr_stub_19, isr_stub_20, isr_stub_21\n"
	".text\n");

extern const u64 isr_stub_table[22];
void isr_stub_240(void);

struct idt_entry {
	u16 off0, sel;
	u8 ist, type;
	u16 off1;
	u32 off2, zero;
} __attribute__((packed));

struct dtr {
	u16 limit;
	u64 base;
} __attribute__((packed));

static struct idt_entry idt[256] __attribute__((aligned(16)));

static void set_gate(int v, u64 addr, u16 cs)
{
	idt[v].off0 = addr;
	idt[v].sel = cs;
	idt[v].ist = 0;
	idt[v].type = 0x8e;
	idt[v].off1 = addr >> 16;
	idt[v].off2 = addr >> 32;
	idt[v].zero = 0;
}

static void setup_idt(void)
{
	struct dtr d;
	u16 cs;
	int i;

	/* Keep the firmware's gates (timer, ...), take over the others. */
	__asm__ volatile("sidt %0" : "=m"(d));
	CopyMem(idt, (void *)d.base,
		(UINTN)d.limit + 1 < sizeof(idt) ? (UINTN)d.limit + 1 : sizeof(idt));
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	for (i = 0; i < 22; i++)
		set_gate(i, isr_stub_table[i], cs);
	set_gate(PMI_VECTOR, (u64)isr_stub_240, cs);
	d.base = (u64)idt;
	d.limit = sizeof(idt) - 1;
	__asm__ volatile("lidt %0" : : "m"(d));
}

/* ---- CPU access -------------------------------------------------------- */

static void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(sub));
}

/* Returns the exception vector, or -1. */
static int rdmsr_safe(u32 msr, u64 *val)
{
	u32 lo = 0, hi = 0;

	fault_vector = -1;
	__asm__ volatile("lea 1f(%%rip), %%r11\n"
			 "mov %%r11, fault_fixup(%%rip)\n"
			 "rdmsr\n"
			 "1: movq $0, fault_fixup(%%rip)\n"
			 : "+a"(lo), "=d"(hi) : "c"(msr) : "r11", "memory");
	*val = (u64)hi << 32 | lo;
	return fault_vector;
}

static int wrmsr_safe(u32 msr, u64 val)
{
	fault_vector = -1;
	__asm__ volatile("lea 1f(%%rip), %%r11\n"
			 "mov %%r11, fault_fixup(%%rip)\n"
			 "wrmsr\n"
			 "1: movq $0, fault_fixup(%%rip)\n"
			 : : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
			 : "r11", "memory");
	return fault_vector;
}

static int rdpmc_safe(u32 idx, u64 *val)
{
	u32 lo = 0, hi = 0;

	fault_vector = -1;
	__asm__ volatile("lea 1f(%%rip), %%r11\n"
			 "mov %%r11, fault_fixup(%%rip)\n"
			 "rdpmc\n"
			 "1: movq $0, fault_fixup(%%rip)\n"
			 : "+a"(lo), "=d"(hi) : "c"(idx) : "r11", "memory");
	*val = (u64)hi << 32 | lo;
	return fault_vector;
}

static u64 rdmsr(u32 msr)
{
	u64 v;

	if (rdmsr_safe(msr, &v) >= 0) {
		puts_serial("FAIL rdmsr ");
		put_hex(msr);
		puts_serial(" faulted\n");
		exit_qemu(0);
	}
	return v;
}

static void wrmsr(u32 msr, u64 v)
{
	if (wrmsr_safe(msr, v) >= 0) {
		puts_serial("FAIL wrmsr ");
		put_hex(msr);
		puts_serial(" faulted\n");
		exit_qemu(0);
	}
}

/* ---- PMU definitions ---------------------------------------------- */

#define PERF_CTL(i)	(0xc0010200 + 2 * (i))
#define PERF_CTR(i)	(0xc0010201 + 2 * (i))
#define LEGACY_CTL(i)	(0xc0010000 + (i))
#define LEGACY_CTR(i)	(0xc0010004 + (i))
#define GLOBAL_STATUS	0xc0000300
#define GLOBAL_CTL	0xc0000301
#define GLOBAL_CLR	0xc0000302
#define GLOBAL_SET	0xc0000303
#define MSR_EFER	0xc0000080
#define MSR_HSAVE	0xc0010117

#define EV_INSNS	0xc0
#define EV_CYCLES	0x76
#define EV_BRANCHES	0xc2
#define EV_MISPRED	0xc3
#define EV_TAKEN	0xc4
#define USR		(1ul << 16)
#define OS		(1ul << 17)
#define EDGE		(1ul << 18)
#define INT		(1ul << 20)
#define EN		(1ul << 22)
#define INV		(1ul << 23)
#define CMASK(n)	((u64)(n) << 24)
#define GUESTONLY	(1ul << 40)
#define HOSTONLY	(1ul << 41)

#define CTR_MASK	((1ul << 48) - 1)

static unsigned num_counters;

static void pmu_clear(void)
{
	unsigned i;

	wrmsr(GLOBAL_CTL, 0);
	for (i = 0; i < num_counters; i++) {
		wrmsr(PERF_CTL(i), 0);
		wrmsr(PERF_CTR(i), 0);
	}
	wrmsr(GLOBAL_CLR, (1ul << num_counters) - 1);
}

/*
 * counted_loop(mask, loops): a WRMSR sets GlobalCtl to @mask, then
 * "mov loops, rcx; 1: dec rcx; jnz 1b", then GlobalCtl is cleared.  The
 * starting WRMSR is not counted (writes take effect after the writing
 * instruction), the stopping one is: 2 * loops + 4 instructions (mov,
 * the loop, mov, xor, wrmsr).
 */
void counted_loop(u64 mask, u64 loops);
extern const char loop_dec[], loop_jnz[];
__asm__(".text\n"
	"counted_loop:\n"
	"mov %rdi, %rax\n"
	"mov $0xc0000301, %ecx\n"
	"xor %edx, %edx\n"
	"wrmsr\n"
	"mov %rsi, %rcx\n"
	"loop_dec: dec %rcx\n"
	"loop_jnz: jnz loop_dec\n"
	"mov $0xc0000301, %ecx\n"
	"xor %eax, %eax\n"
	"wrmsr\n"
	"ret\n");

/* ---- the checks without SVM --------------------------------------- */

static void test_cpuid(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	check("cpuid 0x80000000 max leaf >= 0x80000022", a >= 0x80000022, 1);
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	check("cpuid 0x80000001 ecx[23] PerfCtrExtCore", (c >> 23) & 1, 1);
	cpuid(0x80000022, 0, &a, &b, &c, &d);
	check("cpuid 0x80000022 eax[0] PerfMonV2", a & 1, 1);
	check("cpuid 0x80000022 ebx[3:0] counters", b & 0xf, num_counters);
}

static void test_msrs(void)
{
	u64 v;
	unsigned i;

	check("GlobalCtl after reset enables all counters", rdmsr(GLOBAL_CTL),
	      (1ul << num_counters) - 1);
	check("GlobalStatus after reset", rdmsr(GLOBAL_STATUS), 0);
	for (i = 0; i < num_counters; i++) {
		wrmsr(PERF_CTL(i), 0x12345 + i);
		wrmsr(PERF_CTR(i), 0x111100000000ul + i);
	}
	for (i = 0; i < num_counters; i++) {
		if (!check("PERF_CTL keeps its value", rdmsr(PERF_CTL(i)), 0x12345 + i))
			break;
		if (!check("PERF_CTR keeps its value", rdmsr(PERF_CTR(i)), 0x111100000000ul + i))
			break;
	}
	for (i = 0; i < 4; i++) {
		check("legacy PERF_CTL alias reads counter's CTL", rdmsr(LEGACY_CTL(i)), 0x12345 + i);
		check("legacy PERF_CTR alias reads counter's CTR", rdmsr(LEGACY_CTR(i)),
		      0x111100000000ul + i);
	}
	wrmsr(LEGACY_CTL(2), 0x4300c0);
	check("legacy CTL write reaches PERF_CTL", rdmsr(PERF_CTL(2)), 0x4300c0);
	wrmsr(LEGACY_CTR(3), 0x77);
	check("legacy CTR write reaches PERF_CTR", rdmsr(PERF_CTR(3)), 0x77);

	wrmsr(PERF_CTR(0), ~0ul);
	check("PERF_CTR is 48 bits wide", rdmsr(PERF_CTR(0)), CTR_MASK);

	check("rdmsr PERF_CTL(n) #GP", rdmsr_safe(PERF_CTL(num_counters), &v), 13);
	check("rdmsr PERF_CTR(n) #GP", rdmsr_safe(PERF_CTR(num_counters), &v), 13);
	check("wrmsr PERF_CTL(n) #GP", wrmsr_safe(PERF_CTL(num_counters), 0), 13);
	check("rdmsr 0xc001022f #GP", rdmsr_safe(0xc001022f, &v), 13);
	check("wrmsr PERF_CTL bit 21 #GP", wrmsr_safe(PERF_CTL(0), 1ul << 21), 13);
	check("wrmsr PERF_CTL bit 19 #GP", wrmsr_safe(PERF_CTL(0), 1ul << 19), 13);
	check("wrmsr PERF_CTL bit 36 #GP", wrmsr_safe(PERF_CTL(0), 1ul << 36), 13);
	check("wrmsr PERF_CTL bit 63 #GP", wrmsr_safe(PERF_CTL(0), 1ul << 63), 13);
	check("wrmsr PERF_CTL HostOnly|GuestOnly ok",
	      wrmsr_safe(PERF_CTL(0), HOSTONLY | GUESTONLY | (0xful << 32) |
			 CMASK(0xff) | INV | EN | INT | EDGE | OS | USR | 0xffff), -1);
	check("wrmsr GlobalCtl reserved bit #GP", wrmsr_safe(GLOBAL_CTL, 1ul << num_counters), 13);
	check("wrmsr GlobalStatus #GP", wrmsr_safe(GLOBAL_STATUS, 0), 13);
	/* Other bits are ignored, not #GP: Linux writes ~status after a PMI. */
	check("wrmsr GlobalStatusClr reserved bit ignored", wrmsr_safe(GLOBAL_CLR, 1ul << 40), -1);
	wrmsr(GLOBAL_SET, 0x5);
	check("GlobalStatusSet sets status bits", rdmsr(GLOBAL_STATUS), 0x5);
	wrmsr(GLOBAL_CLR, 0x1);
	check("GlobalStatusClr clears status bits", rdmsr(GLOBAL_STATUS), 0x4);
	pmu_clear();
	check("GlobalStatusClr clears all", rdmsr(GLOBAL_STATUS), 0);
}

static void test_counting(void)
{
	const u64 loops = 100000;
	u64 v0, v1;
	unsigned i;

	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | USR | EV_INSNS);
	wrmsr(PERF_CTL(1), EN | OS | EV_INSNS);
	wrmsr(PERF_CTL(2), EN | USR | EV_INSNS);
	wrmsr(PERF_CTL(3), EN | OS | EV_CYCLES);
	wrmsr(PERF_CTL(4), EN | OS | 0x99);			/* unknown */
	wrmsr(PERF_CTL(5), OS | EV_INSNS);			/* EN clear */
	counted_loop(0x3f, loops);
	check("retired instructions, CPL0 loop, exact", rdmsr(PERF_CTR(0)), 2 * loops + 4);
	check("retired instructions, OS only", rdmsr(PERF_CTR(1)), 2 * loops + 4);
	check("retired instructions, USR only at CPL0", rdmsr(PERF_CTR(2)), 0);
	check("cycles = retired instructions", rdmsr(PERF_CTR(3)), 2 * loops + 4);
	check("unknown event counts nothing", rdmsr(PERF_CTR(4)), 0);
	check("EN clear counts nothing", rdmsr(PERF_CTR(5)), 0);

	/* A counter that cannot count never overflows, and costs nothing. */
	pmu_clear();
	nmi_count = 0;
	lapic[0x340 / 4] = 0x400;
	wrmsr(PERF_CTR(0), CTR_MASK);
	wrmsr(PERF_CTL(0), EN | OS | INT | EV_MISPRED);
	wrmsr(PERF_CTR(1), CTR_MASK);
	wrmsr(PERF_CTL(1), EN | OS | INT | EV_INSNS | CMASK(3));
	counted_loop(0x3, loops);
	check("mispredicts at 2^48-1: no overflow", rdmsr(PERF_CTR(0)), CTR_MASK);
	check("CMASK=3 at 2^48-1: no overflow", rdmsr(PERF_CTR(1)), CTR_MASK);
	check("counters that cannot count: no PMI", nmi_count, 0);
	lapic[0x340 / 4] = 0x10000;

	/* GlobalCtl: only the selected counters count. */
	pmu_clear();
	for (i = 0; i < num_counters; i++)
		wrmsr(PERF_CTL(i), EN | OS | EV_INSNS);
	counted_loop(0x5, 1000);
	check("GlobalCtl bit 0 set counts", rdmsr(PERF_CTR(0)), 2004);
	check("GlobalCtl bit 1 clear does not count", rdmsr(PERF_CTR(1)), 0);
	check("GlobalCtl bit 2 set counts", rdmsr(PERF_CTR(2)), 2004);

	/* Branches: the loop has 1000 jnz, 999 taken. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_BRANCHES);
	wrmsr(PERF_CTL(1), EN | OS | EV_TAKEN);
	wrmsr(PERF_CTL(2), EN | OS | EV_MISPRED);
	counted_loop(0x7, 1000);
	check("retired branches", rdmsr(PERF_CTR(0)), 1000);
	check("retired taken branches", rdmsr(PERF_CTR(1)), 999);
	check("retired mispredicted branches (model: 0)", rdmsr(PERF_CTR(2)), 0);

	/* CMASK / INV / EDGE with one instruction per cycle. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | CMASK(1));
	wrmsr(PERF_CTL(1), EN | OS | EV_INSNS | CMASK(2));
	wrmsr(PERF_CTL(2), EN | OS | EV_INSNS | CMASK(2) | INV);
	wrmsr(PERF_CTL(3), EN | OS | EV_INSNS | CMASK(1) | INV);
	wrmsr(PERF_CTL(4), EN | OS | EV_INSNS | CMASK(1) | EDGE);
	wrmsr(PERF_CTL(5), EN | OS | EV_BRANCHES | CMASK(1) | INV);
	counted_loop(0x3f, 1000);
	check("CMASK=1: cycles with >= 1 instruction", rdmsr(PERF_CTR(0)), 2004);
	check("CMASK=2: never 2 instructions per cycle", rdmsr(PERF_CTR(1)), 0);
	check("CMASK=2 INV: cycles with < 2 instructions", rdmsr(PERF_CTR(2)), 2004);
	check("CMASK=1 INV: cycles with no instruction", rdmsr(PERF_CTR(3)), 0);
	check("CMASK=1 EDGE: condition never falls", rdmsr(PERF_CTR(4)), 0);
	check("branches CMASK=1 INV: cycles without a branch", rdmsr(PERF_CTR(5)), 1004);

	/* RDPMC reads the counter; the reading instruction not included. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS);
	wrmsr(PERF_CTL(1), EN | OS | EV_INSNS);
	wrmsr(GLOBAL_CTL, 0x3);
	/* Both counters started together: c1 - c0 = rdpmc + 3 x mov. */
	{
		u32 idx = 0;

		__asm__ volatile("rdpmc\n"
				 "mov %%eax, %%r8d\n"
				 "mov %%edx, %%r9d\n"
				 "mov $1, %%ecx\n"
				 "rdpmc\n"
				 "shl $32, %%rdx\n"
				 "or %%rdx, %%rax\n"
				 "shl $32, %%r9\n"
				 "or %%r9, %%r8\n"
				 "sub %%r8, %%rax\n"
				 : "+c"(idx), "=a"(v1)
				 : : "rdx", "r8", "r9", "memory", "cc");
	}
	check("RDPMC delta over 3 instructions (+1 for the first RDPMC)", v1, 4);
	check("RDPMC of counter n #GP", rdpmc_safe(num_counters, &v0), 13);
	check("RDPMC ecx=0x40000000 #GP", rdpmc_safe(0x40000000, &v0), 13);
	pmu_clear();
}

/* Overflow after exactly @period instructions of counted_loop(). */
static void pmi_run(u64 period, int nmi)
{
	const u64 loops = 1000;

	pmu_clear();
	pmi_count = nmi_count = 0;
	pmi_rip = pmi_rcx = 0;
	lapic[0x340 / 4] = nmi ? 0x400 : PMI_VECTOR;	/* LVTPC */
	wrmsr(PERF_CTR(0), (1ul << 48) - period);
	wrmsr(PERF_CTL(0), EN | OS | INT | EV_INSNS);
	counted_loop(0x1, loops);
}

static void test_pmi(void)
{
	u64 period;

	/*
	 * Overflow at the 2j+1-th instruction (the j-th jnz): the PMI comes
	 * before the next dec, with rcx = loops - j.
	 */
	period = 2 * 300 + 1;
	__asm__ volatile("cli");
	pmi_run(period, 1);
	check("overflow: NMI delivered once", nmi_count, 1);
	check("overflow: GlobalStatus bit 0", rdmsr(GLOBAL_STATUS) & 1, 1);
	/* (the NMI handler counts too: OS) */
	check("overflow: counter wrapped", rdmsr(PERF_CTR(0)) < 100000, 1);
	check("NMI right after the overflowing jnz (rcx)", pmi_rcx, 1000 - 300);
	check("NMI right after the overflowing jnz (rip)", pmi_rip, (u64)loop_dec);

	period = 2 * 450;
	pmi_run(period, 1);
	check("NMI right after the overflowing dec (rcx)", pmi_rcx, 1000 - 450);
	check("NMI right after the overflowing dec (rip)", pmi_rip, (u64)loop_jnz);

	/* No INT bit: status set, no interrupt. */
	pmu_clear();
	nmi_count = 0;
	wrmsr(PERF_CTR(0), (1ul << 48) - 10);
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS);
	counted_loop(0x1, 100);
	check("overflow without INT: no PMI", nmi_count, 0);
	check("overflow without INT: GlobalStatus", rdmsr(GLOBAL_STATUS), 1);

	/* Fixed delivery through the IDT, interrupts on. */
	pmu_clear();
	__asm__ volatile("sti");
	pmi_run(2 * 100 + 1, 0);
	__asm__ volatile("cli");
	check("overflow: fixed-vector PMI delivered once", pmi_count, 1);
	check("fixed PMI: no NMI", nmi_count, 0);
	lapic[0x340 / 4] = 0x10000;			/* masked */
	pmu_clear();
}

/* ---- nested SVM ------------------------------------------------------- */

static u8 vmcb[4096] __attribute__((aligned(4096)));
static u8 hsave[4096] __attribute__((aligned(4096)));
static u8 guest_stack[8192] __attribute__((aligned(16)));
u8 rep_buf[300000];

#define VMCB_U32(off)	(*(volatile u32 *)(vmcb + (off)))
#define VMCB_U64(off)	(*(volatile u64 *)(vmcb + (off)))
#define VMCB_U16(off)	(*(volatile u16 *)(vmcb + (off)))

/* Guest programs; each ends in VMMCALL (intercepted, not retired). */
extern const char guest_loop[], guest_pf[], guest_ud[], guest_rep[],
	guest_rep_big[], guest_rdpmc[];
__asm__(".text\n"
	"guest_loop:\n"
	"mov $5000, %rcx\n"
	"2: dec %rcx\n"
	"jnz 2b\n"
	"vmmcall\n"
	/* five nops, then a #GP (non-canonical load) with 40 nops after it */
	"guest_pf:\n"
	"movabs $0x8000000000000000, %rax\n"
	"nop\n nop\n nop\n nop\n nop\n"
	"mov (%rax), %rbx\n"
	".rept 40\n nop\n .endr\n"
	"vmmcall\n"
	"guest_ud:\n"
	"nop\n nop\n nop\n"
	"ud2\n"
	"vmmcall\n"
	/* rep stosb over rep_buf: counts as one instruction */
	"guest_rep:\n"
	"mov $1000, %rcx\n"
	"lea rep_buf(%rip), %rdi\n"
	"rep stosb\n"
	"vmmcall\n"
	"guest_rep_big:\n"
	"mov $300000, %rcx\n"
	"lea rep_buf(%rip), %rdi\n"
	"rep stosb\n"
	"vmmcall\n"
	"guest_rdpmc:\n"
	"xor %ecx, %ecx\n"
	"rdpmc\n"
	"vmmcall\n");

/* Run the guest at @rip once, with GlobalCtl = @mask around VMRUN. */
static u64 run_guest(const char *rip, u64 mask)
{
	u64 rax = (u32)mask;

	VMCB_U64(0x578) = (u64)rip;
	VMCB_U64(0x5d8) = (u64)(guest_stack + sizeof(guest_stack));
	VMCB_U64(0x570) = 2;			/* rflags */
	VMCB_U64(0x70) = 0;
	__asm__ volatile("push %%rbp\n"
			 "push %%rbx\n"
			 "push %%r12\n"
			 "push %%r13\n"
			 "push %%r14\n"
			 "push %%r15\n"
			 "mov %[vmcb], %%rsi\n"
			 "mov $0xc0000301, %%ecx\n"
			 "xor %%edx, %%edx\n"
			 "wrmsr\n"		/* GlobalCtl = mask */
			 "mov %%rsi, %%rax\n"
			 "clgi\n"
			 "vmrun\n"
			 "stgi\n"
			 "mov $0xc0000301, %%ecx\n"
			 "xor %%eax, %%eax\n"
			 "xor %%edx, %%edx\n"
			 "wrmsr\n"
			 "pop %%r15\n"
			 "pop %%r14\n"
			 "pop %%r13\n"
			 "pop %%r12\n"
			 "pop %%rbx\n"
			 "pop %%rbp\n"
			 : "+a"(rax) : [vmcb] "r"((u64)vmcb)
			 : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
			   "memory", "cc");
	return VMCB_U64(0x70);
}

static u16 seg_attr(u16 sel, u64 gdt_base)
{
	u64 d = *(u64 *)(gdt_base + (sel & ~7));

	return ((d >> 40) & 0xff) | (((d >> 52) & 0xf) << 8);
}

static void setup_vmcb(void)
{
	struct dtr gdtr, idtr;
	u16 cs, ds, ss;
	u64 cr0, cr3, cr4;

	SetMem(vmcb, sizeof(vmcb), 0);
	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
	__asm__ volatile("mov %%cs, %0; mov %%ds, %1; mov %%ss, %2"
			 : "=r"(cs), "=r"(ds), "=r"(ss));
	__asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
			 : "=r"(cr0), "=r"(cr3), "=r"(cr4));

	VMCB_U32(0x08) = (1u << 6) | (1u << 13) | (1u << 14);	/* #UD #GP #PF */
	VMCB_U32(0x0c) = (1u << 15) | (1u << 24);		/* RDPMC, HLT */
	VMCB_U32(0x10) = (1u << 0) | (1u << 1);			/* VMRUN, VMMCALL */
	VMCB_U32(0x58) = 1;					/* ASID */

	VMCB_U16(0x410) = cs;
	VMCB_U16(0x412) = seg_attr(cs, gdtr.base);
	VMCB_U32(0x414) = 0xffffffff;
	for (int off = 0x400; off <= 0x430; off += 0x10) {
		if (off == 0x410)
			continue;
		VMCB_U16(off) = off == 0x420 ? ss : ds;
		VMCB_U16(off + 2) = seg_attr(off == 0x420 ? ss : ds, gdtr.base);
		VMCB_U32(off + 4) = 0xffffffff;
	}
	VMCB_U32(0x464) = gdtr.limit;
	VMCB_U64(0x468) = gdtr.base;
	VMCB_U32(0x484) = idtr.limit;
	VMCB_U64(0x488) = idtr.base;
	VMCB_U64(0x4d0) = rdmsr(MSR_EFER);
	VMCB_U64(0x548) = cr4;
	VMCB_U64(0x550) = cr3;
	VMCB_U64(0x558) = cr0;
	VMCB_U64(0x560) = 0x400;				/* DR7 */
	VMCB_U64(0x568) = 0xffff0ff0;				/* DR6 */
	VMCB_U64(0x668) = 0x0007040600070406ul;			/* G_PAT */
}

static void test_svm(void)
{
	u32 a, b, c, d;
	u64 exit, guest, host, all, both;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	if (!(c & (1u << 2))) {
		check("SVM available for the Host/Guest-Only checks", 0, 1);
		return;
	}

	/* EFER.SVME clear: counters with either bit set count nothing. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	wrmsr(PERF_CTL(1), EN | OS | EV_INSNS | HOSTONLY);
	wrmsr(PERF_CTL(2), EN | OS | EV_INSNS);
	wrmsr(PERF_CTL(3), EN | OS | EV_INSNS | HOSTONLY | GUESTONLY);
	counted_loop(0xf, 1000);
	check("SVME=0: GuestOnly counts nothing", rdmsr(PERF_CTR(0)), 0);
	check("SVME=0: HostOnly counts nothing", rdmsr(PERF_CTR(1)), 0);
	check("SVME=0: neither bit counts", rdmsr(PERF_CTR(2)), 2004);
	check("SVME=0: both bits count nothing", rdmsr(PERF_CTR(3)), 0);

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | (1ul << 12));
	wrmsr(MSR_HSAVE, (u64)hsave);
	setup_vmcb();

	/* SVME=1, host only: the same loop. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	wrmsr(PERF_CTL(1), EN | OS | EV_INSNS | HOSTONLY);
	wrmsr(PERF_CTL(2), EN | OS | EV_INSNS);
	wrmsr(PERF_CTL(3), EN | OS | EV_INSNS | HOSTONLY | GUESTONLY);
	counted_loop(0xf, 1000);
	check("SVME=1 in host: GuestOnly counts nothing", rdmsr(PERF_CTR(0)), 0);
	check("SVME=1 in host: HostOnly counts", rdmsr(PERF_CTR(1)), 2004);
	check("SVME=1 in host: both bits count", rdmsr(PERF_CTR(3)), 2004);

	/* A guest loop: 1 + 2 * 5000 guest instructions retire. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	wrmsr(PERF_CTL(1), EN | OS | EV_INSNS | HOSTONLY);
	wrmsr(PERF_CTL(2), EN | OS | EV_INSNS);
	wrmsr(PERF_CTL(3), EN | OS | EV_INSNS | HOSTONLY | GUESTONLY);
	exit = run_guest(guest_loop, 0xf);
	check("guest loop exits with VMMCALL", exit, 0x81);
	guest = rdmsr(PERF_CTR(0));
	host = rdmsr(PERF_CTR(1));
	all = rdmsr(PERF_CTR(2));
	both = rdmsr(PERF_CTR(3));
	check("GuestOnly counts the guest loop exactly", guest, 1 + 2 * 5000);
	check("HostOnly + GuestOnly = neither bit", host + guest, all);
	check("both bits = neither bit", both, all);
	check("HostOnly counts the host around VMRUN: mov clgi vmrun stgi mov xor xor wrmsr",
	      host, 8);

	/* An exception in the middle of a block: nothing after it counts. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	exit = run_guest(guest_pf, 0x1);
	check("guest #GP intercepted", exit, 0x40 + 13);
	check("guest #GP: the 40 instructions after it do not count", rdmsr(PERF_CTR(0)), 6);

	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	exit = run_guest(guest_ud, 0x1);
	check("guest #UD intercepted", exit, 0x40 + 6);
	check("guest #UD: ud2 itself does not retire", rdmsr(PERF_CTR(0)), 3);

	/* REP string instructions retire once. */
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	exit = run_guest(guest_rep, 0x1);
	check("guest rep stosb exits with VMMCALL", exit, 0x81);
	check("rep stosb x1000 is one instruction", rdmsr(PERF_CTR(0)), 3);
	pmu_clear();
	wrmsr(PERF_CTL(0), EN | OS | EV_INSNS | GUESTONLY);
	exit = run_guest(guest_rep_big, 0x1);
	check("rep stosb x300000 (several blocks) is one instruction", rdmsr(PERF_CTR(0)), 3);

	/* RDPMC intercept. */
	pmu_clear();
	exit = run_guest(guest_rdpmc, 0x1);
	check("RDPMC in the guest is intercepted (exit 0x6f)", exit, 0x6f);
	VMCB_U32(0x0c) &= ~(1u << 15);
	exit = run_guest(guest_rdpmc, 0x1);
	check("RDPMC in the guest without intercept runs", exit, 0x81);

	pmu_clear();
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(1ul << 12));
}

/* ---- without the model: what run.sh compares with Debian's QEMU ---- */

static void probe_line(const char *what, u64 v)
{
	puts_serial("PROBE ");
	puts_serial(what);
	puts_serial(" ");
	put_hex(v);
	puts_serial("\n");
}

static void probe(void)
{
	static const u32 msrs[] = {
		0xc0010000, 0xc0010003, 0xc0010004, 0xc0010007, 0xc0010200,
		0xc0010201, 0xc001020b, 0xc001020c, 0xc001022f, 0xc0000300,
		0xc0000301, 0xc0000302, 0xc0000303,
	};
	u32 a, b, c, d;
	u64 v;
	unsigned i;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	probe_line("cpuid.80000000.eax", a);
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	probe_line("cpuid.80000001.ecx", c);
	cpuid(0x80000022, 0, &a, &b, &c, &d);
	probe_line("cpuid.80000022.eax", a);
	probe_line("cpuid.80000022.ebx", b);
	cpuid(0xa, 0, &a, &b, &c, &d);
	probe_line("cpuid.0000000a.eax", a);
	for (i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		int r = wrmsr_safe(msrs[i], 0x1234);

		probe_line("wrmsr.fault", (u64)msrs[i] << 8 | (u8)r);
		r = rdmsr_safe(msrs[i], &v);
		probe_line("rdmsr.fault", (u64)msrs[i] << 8 | (u8)r);
		probe_line("rdmsr.value", v);
	}
	probe_line("rdpmc0.fault", (u8)rdpmc_safe(0, &v));
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	u32 a, b, c, d;

	InitializeLib(image, systab);
	__asm__ volatile("cli");
	setup_idt();
	puts_serial("pmutest: start\n");

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000022)
		cpuid(0x80000022, 0, &a, &b, &c, &d);
	else
		a = b = 0;
	if (!(a & 1)) {
		puts_serial("pmutest: no PerfMonV2, probing\n");
		probe();
		puts_serial("pmutest: probe done\n");
		exit_qemu(1);
	}
	num_counters = b & 0xf;

	test_cpuid();
	test_msrs();
	if (num_counters < 6) {
		/* The other checks use six counters. */
		puts_serial("pmutest: fewer than 6 counters, CPUID and MSR checks only\n");
		goto done;
	}
	test_counting();
	test_pmi();
	test_svm();

done:
	puts_serial("pmutest: ");
	put_dec(n_pass);
	puts_serial(" passed, ");
	put_dec(n_fail);
	puts_serial(" failed\n");
	exit_qemu(n_fail == 0);
	return EFI_SUCCESS;
}
