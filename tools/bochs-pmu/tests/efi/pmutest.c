// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmutest: checks of the Bochs Intel architectural PMU model, as a UEFI
 * application run by OVMF at CPL 0 (see tools/bochs-pmu/tests/run.sh).
 *
 * It first prints "PROBE" lines (CPUID leaves, PMU MSR and RDPMC
 * behaviour) that run.sh compares between the patched Bochs with the model
 * off and the unpatched Bochs. If the model is on (IA32_A_PMC0 keeps a
 * written value) it then checks CPUID, the MSRs and their #GP cases, exact
 * counts of known loops, the events, CMASK/INV/EDGE, RDPMC, overflow and
 * PMIs (NMI and fixed vector, exact position, LVTPC auto-mask), and a VMX
 * guest (VMXON/VMLAUNCH here) whose loop is counted by a counter enabled
 * only by the VM-entry load of IA32_PERF_GLOBAL_CTRL, the VM-exit save and
 * load, the VM-entry checks of both fields, the MSR-load/store lists and
 * RDPMC exiting.
 *
 * Output goes to COM1; the run ends through Bochs' shutdown port (0x8900),
 * after the line "pmutest: N passed, M failed".
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

/* Bochs' shutdown port: the string "Shutdown" at 0x8900 ends the run. */
static void exit_qemu(int pass)
{
	const char *s = "Shutdown";

	puts_serial(pass ? "pmutest: exit pass\n" : "pmutest: exit fail\n");
	while (*s)
		outb(0x8900, *s++);
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

#define PMC(i)		(0xc1 + (i))
#define A_PMC(i)	(0x4c1 + (i))
#define EVTSEL(i)	(0x186 + (i))
#define FIXED_CTR(i)	(0x309 + (i))
#define PERF_CAP	0x345
#define FIXED_CTRL	0x38d
#define GLOBAL_STATUS	0x38e
#define GLOBAL_CTRL	0x38f
#define GLOBAL_RESET	0x390
#define GLOBAL_SET	0x391
#define GLOBAL_INUSE	0x392
#define FEATURE_CONTROL	0x3a

#define EV_INSNS	0x00c0
#define EV_CYCLES	0x003c
#define EV_REF		0x013c
#define EV_BRANCHES	0x00c4
#define EV_MISPRED	0x00c5
#define USR		(1ul << 16)
#define OS		(1ul << 17)
#define EDGE		(1ul << 18)
#define PC		(1ul << 19)
#define INT		(1ul << 20)
#define ANY		(1ul << 21)
#define EN		(1ul << 22)
#define INV		(1ul << 23)
#define CMASK(n)	((u64)(n) << 24)

#define CTR_MASK	((1ul << 48) - 1)
#define FIXED_BITS	(7ul << 32)

static unsigned ngp, version;

static u64 gp_bits(void)
{
	return (1ul << ngp) - 1;
}

static void pmu_clear(void)
{
	unsigned i;

	wrmsr(GLOBAL_CTRL, 0);
	for (i = 0; i < ngp; i++) {
		wrmsr(EVTSEL(i), 0);
		wrmsr(A_PMC(i), 0);
	}
	wrmsr(FIXED_CTRL, 0);
	for (i = 0; i < 3; i++)
		wrmsr(FIXED_CTR(i), 0);
	wrmsr(GLOBAL_RESET, gp_bits() | FIXED_BITS);
}

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

/* ---- CPUID and MSRs -------------------------------------------------- */

static void test_cpuid(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	check("cpuid 1 ecx[15] PDCM", (c >> 15) & 1, 1);
	cpuid(0xa, 0, &a, &b, &c, &d);
	check("cpuid 0xa version 4 or 5", version == 4 || version == 5, 1);
	check("cpuid 0xa eax[23:16] counter width 48", (a >> 16) & 0xff, 48);
	check("cpuid 0xa eax[31:24] event vector length 7", a >> 24, 7);
	check("cpuid 0xa ebx: only LLC events unavailable", b, 0x18);
	check("cpuid 0xa edx[4:0] fixed counters 3", d & 0x1f, 3);
	check("cpuid 0xa edx[12:5] fixed width 48", (d >> 5) & 0xff, 48);
	check("cpuid 0xa ecx: fixed-counter bitmask (v5) / 0 (v4)", c, version >= 5 ? 7 : 0);
	check("cpuid 0xa edx[15] AnyThread deprecated iff v5", (d >> 15) & 1, version >= 5);
	check("PERF_CAPABILITIES FW_WRITE", (rdmsr(PERF_CAP) >> 13) & 1, 1);
}

static void test_msrs(u64 reset_ctrl)
{
	u64 v;
	unsigned i;

	check("GLOBAL_CTRL after reset enables the general counters", reset_ctrl, gp_bits());
	pmu_clear();
	check("GLOBAL_STATUS clear", rdmsr(GLOBAL_STATUS), 0);
	for (i = 0; i < ngp; i++) {
		wrmsr(EVTSEL(i), 0x12345 + i);
		wrmsr(A_PMC(i), 0x111100000000ul + i);
	}
	for (i = 0; i < ngp; i++) {
		if (!check("PERFEVTSEL keeps its value", rdmsr(EVTSEL(i)), 0x12345 + i))
			break;
		if (!check("IA32_A_PMC keeps 48 bits", rdmsr(A_PMC(i)), 0x111100000000ul + i))
			break;
		if (!check("IA32_PMC reads the same counter", rdmsr(PMC(i)), 0x111100000000ul + i))
			break;
	}
	wrmsr(PMC(1), 0xffffffff80000000ul);
	check("legacy PMC write sign-extends bit 31", rdmsr(A_PMC(1)), 0xffff80000000ul);
	wrmsr(PMC(1), 0x123456787ffffffful);
	check("legacy PMC write: EDX ignored, bit 31 clear", rdmsr(PMC(1)), 0x7ffffffful);
	check("A_PMC write of bit 48 #GP", wrmsr_safe(A_PMC(0), 1ul << 48), 13);
	for (i = 0; i < 3; i++)
		wrmsr(FIXED_CTR(i), 0xabc000000000ul + i);
	for (i = 0; i < 3; i++)
		check("FIXED_CTR keeps 48 bits", rdmsr(FIXED_CTR(i)), 0xabc000000000ul + i);
	check("FIXED_CTR write of bit 48 #GP", wrmsr_safe(FIXED_CTR(0), 1ul << 48), 13);
	check("rdmsr FIXED_CTR3 #GP", rdmsr_safe(FIXED_CTR(3), &v), 13);
	if (ngp < 8) {
		check("rdmsr PMC(n) #GP", rdmsr_safe(PMC(ngp), &v), 13);
		check("wrmsr PMC(n) #GP", wrmsr_safe(PMC(ngp), 0), 13);
		check("rdmsr A_PMC(n) #GP", rdmsr_safe(A_PMC(ngp), &v), 13);
		check("rdmsr PERFEVTSEL(n) #GP", rdmsr_safe(EVTSEL(ngp), &v), 13);
		check("wrmsr PERFEVTSEL(n) #GP", wrmsr_safe(EVTSEL(ngp), 0), 13);
	}
	check("PERFEVTSEL bit 32 #GP", wrmsr_safe(EVTSEL(0), 1ul << 32), 13);
	check("PERFEVTSEL bit 63 #GP", wrmsr_safe(EVTSEL(0), 1ul << 63), 13);
	check("PERFEVTSEL ANY: #GP iff v5", wrmsr_safe(EVTSEL(0), ANY) == 13, version >= 5);
	check("PERFEVTSEL all defined bits ok",
	      wrmsr_safe(EVTSEL(0), CMASK(0xff) | INV | EN | INT | PC | EDGE | OS | USR | 0xffff), -1);
	check("FIXED_CTR_CTRL bit 12 #GP", wrmsr_safe(FIXED_CTRL, 1ul << 12), 13);
	check("FIXED_CTR_CTRL ANY bit: #GP iff v5", wrmsr_safe(FIXED_CTRL, 4) == 13, version >= 5);
	check("FIXED_CTR_CTRL EN/PMI bits ok", wrmsr_safe(FIXED_CTRL, 0xbbb), -1);
	check("GLOBAL_CTRL bit 35 #GP", wrmsr_safe(GLOBAL_CTRL, 1ul << 35), 13);
	if (ngp < 32)
		check("GLOBAL_CTRL bit n #GP", wrmsr_safe(GLOBAL_CTRL, 1ul << ngp), 13);
	check("GLOBAL_CTRL counters' bits ok", wrmsr_safe(GLOBAL_CTRL, gp_bits() | FIXED_BITS), -1);
	check("GLOBAL_CTRL reads back", rdmsr(GLOBAL_CTRL), gp_bits() | FIXED_BITS);
	wrmsr(GLOBAL_CTRL, 0);
	check("GLOBAL_STATUS write #GP", wrmsr_safe(GLOBAL_STATUS, 0), 13);
	check("GLOBAL_INUSE write #GP", wrmsr_safe(GLOBAL_INUSE, 0), 13);
	check("PERF_CAPABILITIES write #GP", wrmsr_safe(PERF_CAP, 0), 13);
	check("GLOBAL_STATUS_SET bit 40 #GP", wrmsr_safe(GLOBAL_SET, 1ul << 40), 13);
	check("GLOBAL_STATUS_RESET bit 40 #GP", wrmsr_safe(GLOBAL_RESET, 1ul << 40), 13);
	wrmsr(GLOBAL_SET, 0x5 | (1ul << 33));
	check("GLOBAL_STATUS_SET sets status bits", rdmsr(GLOBAL_STATUS), 0x5 | (1ul << 33));
	wrmsr(GLOBAL_RESET, 0x1 | (1ul << 33));
	check("GLOBAL_STATUS_RESET clears status bits", rdmsr(GLOBAL_STATUS), 0x4);
	check("GLOBAL_STATUS_SET reads 0", rdmsr(GLOBAL_SET), 0);
	wrmsr(GLOBAL_RESET, (1ul << 63) | 0x4);	/* CondChgd: accepted */
	check("GLOBAL_STATUS_RESET clears all", rdmsr(GLOBAL_STATUS), 0);

	/* GLOBAL_INUSE: event select non-zero, fixed enabled, PMI_InUse */
	pmu_clear();
	wrmsr(EVTSEL(0), 0xc0);
	wrmsr(EVTSEL(2), INT);
	wrmsr(FIXED_CTRL, 0x200);
	check("GLOBAL_INUSE", rdmsr(GLOBAL_INUSE), 0x1 | (1ul << 34) | (1ul << 63));
	pmu_clear();
	check("GLOBAL_INUSE after clearing", rdmsr(GLOBAL_INUSE), 0);
}

/* ---- counting ---------------------------------------------------------- */

static void test_counting(void)
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

static void test_pmi(void)
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

/* ---- VMX ---------------------------------------------------------------- */

static u8 vmxon_region[4096] __attribute__((aligned(4096)));
static u8 vmcs[4096] __attribute__((aligned(4096)));
static u8 msr_bitmap[4096] __attribute__((aligned(4096)));
static u64 msr_area[3][2] __attribute__((aligned(16)));
static u8 guest_stack[8192] __attribute__((aligned(16)));
static u64 gdt[64] __attribute__((aligned(16)));
static u8 tss[104] __attribute__((aligned(16)));
static u16 tr_sel;

static int vmwrite(u64 field, u64 v)
{
	u8 bad;

	__asm__ volatile("vmwrite %2, %1; setbe %0" : "=q"(bad) : "r"(field), "r"(v) : "cc");
	return bad;
}

static u64 vmread(u64 field)
{
	u64 v = 0;

	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"(field) : "cc");
	return v;
}

static u32 adjust(u32 msr, u32 want)
{
	u64 cap = rdmsr(msr);

	return (want | (u32)cap) & (u32)(cap >> 32);
}

/* VMX access rights of a GDT segment (SDM Vol. 3C 25.4.1) */
static u32 seg_ar(u16 sel)
{
	u64 d = gdt[sel >> 3];

	return (((d >> 40) & 0xff) | 1) | (((d >> 52) & 0xf) << 12);
}

/* A GDT with a TSS for TR: VM entry needs a usable TR for both sides. */
static void setup_tss(void)
{
	struct dtr g;
	u64 base = (u64)tss;
	unsigned n;

	__asm__ volatile("sgdt %0" : "=m"(g));
	n = ((unsigned)g.limit + 1) / 8;
	CopyMem(gdt, (void *)g.base, (UINTN)g.limit + 1);
	n = (n + 1) & ~1u;
	tr_sel = n * 8;
	gdt[n] = 103 | ((base & 0xffffff) << 16) | (0x89ul << 40) | (((base >> 24) & 0xff) << 56);
	gdt[n + 1] = base >> 32;
	g.base = (u64)gdt;
	g.limit = (n + 2) * 8 - 1;
	__asm__ volatile("lgdt %0" : : "m"(g));
	__asm__ volatile("ltr %0" : : "r"(tr_sel));
}

static int vmx_on(void)
{
	u32 a, b, c, d;
	u64 cr0, cr4, fc;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1u << 5)))
		return 0;
	fc = rdmsr(FEATURE_CONTROL);
	if (!(fc & 1))
		wrmsr(FEATURE_CONTROL, fc | 5);
	setup_tss();
	__asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	cr0 = (cr0 | rdmsr(0x486)) & rdmsr(0x487);
	cr4 = (cr4 | (1ul << 13) | rdmsr(0x488)) & rdmsr(0x489);
	__asm__ volatile("mov %0, %%cr0; mov %1, %%cr4" : : "r"(cr0), "r"(cr4));
	*(u32 *)vmxon_region = (u32)rdmsr(0x480);
	*(u32 *)vmcs = (u32)rdmsr(0x480);
	u64 pa = (u64)vmxon_region;
	u8 bad;
	__asm__ volatile("vmxon %1; setbe %0" : "=q"(bad) : "m"(pa) : "cc", "memory");
	return !bad;
}

/*
 * Guest programs in the same address space; each ends in VMCALL (an exit,
 * not retired in the guest).
 */
extern const char guest_loop[], guest_setctrl[], guest_rdpmc[];
__asm__(".text\n"
	"guest_loop:\n"
	"mov $5000, %rcx\n"
	"2: dec %rcx\n"
	"jnz 2b\n"
	"vmcall\n"
	"guest_setctrl:\n"
	"mov $0x38f, %ecx\n"
	"mov $3, %eax\n"
	"xor %edx, %edx\n"
	"wrmsr\n"
	"vmcall\n"
	"guest_rdpmc:\n"
	"xor %ecx, %ecx\n"
	"rdpmc\n"
	"vmcall\n");

#define ENTRY_LOAD_PERF	(1u << 13)
#define EXIT_LOAD_PERF	(1u << 12)
#define EXIT_SAVE_PERF	(1u << 30)

struct vmx_run {
	const char *rip;
	u32 entry, exit, proc;		/* extra control bits */
	u64 guest_ctrl, host_ctrl;	/* the VMCS PERF_GLOBAL_CTRL fields */
	unsigned entry_load, exit_store, exit_load;	/* MSR list lengths */
	/* results */
	int fail;			/* VMLAUNCH fell through */
	u32 insn_error, reason;
};

static u32 exit_ctl_cap, entry_ctl_cap;

static void vmx_run(struct vmx_run *r)
{
	struct dtr g, idt;
	u64 cr0, cr3, cr4, pa = (u64)vmcs;
	u16 cs, ds, ss, es, fs, gs;
	int true_ctls = (rdmsr(0x480) >> 55) & 1;
	u8 bad;

	__asm__ volatile("vmclear %0" : : "m"(pa) : "cc", "memory");
	__asm__ volatile("vmptrld %1; setbe %0" : "=q"(bad) : "m"(pa) : "cc", "memory");
	__asm__ volatile("sgdt %0; sidt %1" : "=m"(g), "=m"(idt));
	__asm__ volatile("mov %%cs, %0; mov %%ds, %1; mov %%ss, %2; mov %%es, %3; mov %%fs, %4; mov %%gs, %5"
			 : "=r"(cs), "=r"(ds), "=r"(ss), "=r"(es), "=r"(fs), "=r"(gs));
	__asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
			 : "=r"(cr0), "=r"(cr3), "=r"(cr4));

	vmwrite(0x4000, adjust(true_ctls ? 0x48d : 0x481, 0));
	vmwrite(0x4002, adjust(true_ctls ? 0x48e : 0x482, (1u << 28) | r->proc));
	vmwrite(0x400c, adjust(true_ctls ? 0x48f : 0x483, (1u << 9) | r->exit));
	vmwrite(0x4012, adjust(true_ctls ? 0x490 : 0x484, (1u << 9) | r->entry));
	vmwrite(0x4004, 0xffffffff);	/* every exception exits */
	vmwrite(0x2004, (u64)msr_bitmap);
	vmwrite(0x2006, (u64)&msr_area[1]);	/* exit MSR-store list */
	vmwrite(0x2008, (u64)&msr_area[2]);	/* exit MSR-load list */
	vmwrite(0x200a, (u64)&msr_area[0]);	/* entry MSR-load list */
	vmwrite(0x4014, r->entry_load);
	vmwrite(0x400e, r->exit_store);
	vmwrite(0x4010, r->exit_load);
	vmwrite(0x2808, r->guest_ctrl);
	vmwrite(0x2c04, r->host_ctrl);

	/* host */
	vmwrite(0x6c00, cr0);
	vmwrite(0x6c02, cr3);
	vmwrite(0x6c04, cr4);
	vmwrite(0xc00, es & ~7);
	vmwrite(0xc02, cs);
	vmwrite(0xc04, ss);
	vmwrite(0xc06, ds);
	vmwrite(0xc08, fs & ~7);
	vmwrite(0xc0a, gs & ~7);
	vmwrite(0xc0c, tr_sel);
	vmwrite(0x6c06, 0);
	vmwrite(0x6c08, 0);
	vmwrite(0x6c0a, (u64)tss);
	vmwrite(0x6c0c, g.base);
	vmwrite(0x6c0e, idt.base);
	vmwrite(0x6c10, 0);
	vmwrite(0x6c12, 0);
	vmwrite(0x4c00, 0);

	/* guest: this CPU's state */
	vmwrite(0x6800, cr0);
	vmwrite(0x6802, cr3);
	vmwrite(0x6804, cr4);
	{
		static const u32 sel_f[] = { 0x800, 0x802, 0x804, 0x806, 0x808, 0x80a };
		u16 sels[] = { ds, cs, ss, ds, ds, ds };
		unsigned i;

		for (i = 0; i < 6; i++) {
			vmwrite(sel_f[i], sels[i]);
			vmwrite(0x4800 + 2 * i, 0xffffffff);
			vmwrite(0x4814 + 2 * i, seg_ar(sels[i]));
			vmwrite(0x6806 + 2 * i, 0);
		}
	}
	vmwrite(0x80c, 0);
	vmwrite(0x480c, 0);
	vmwrite(0x4820, 0x10000);	/* LDTR unusable */
	vmwrite(0x6812, 0);
	vmwrite(0x80e, tr_sel);
	vmwrite(0x480e, 103);
	vmwrite(0x4822, 0x8b);		/* busy 64-bit TSS */
	vmwrite(0x6814, (u64)tss);
	vmwrite(0x4810, g.limit);
	vmwrite(0x6816, g.base);
	vmwrite(0x4812, idt.limit);
	vmwrite(0x6818, idt.base);
	vmwrite(0x681a, 0x400);
	vmwrite(0x681c, (u64)(guest_stack + sizeof(guest_stack)));
	vmwrite(0x681e, (u64)r->rip);
	vmwrite(0x6820, 2);
	vmwrite(0x6822, 0);
	vmwrite(0x4824, 0);
	vmwrite(0x4826, 0);
	vmwrite(0x482a, 0);
	vmwrite(0x6824, 0);
	vmwrite(0x6826, 0);
	vmwrite(0x2800, ~0ul);
	vmwrite(0x2802, 0);

	r->fail = 0;
	__asm__ volatile("push %%rbp\n"
			 "push %%rbx\n"
			 "push %%r12\n"
			 "push %%r13\n"
			 "push %%r14\n"
			 "push %%r15\n"
			 "lea 1f(%%rip), %%rax\n"
			 "mov $0x6c16, %%edx\n"
			 "vmwrite %%rax, %%rdx\n"
			 "mov $0x6c14, %%edx\n"
			 "vmwrite %%rsp, %%rdx\n"
			 "vmlaunch\n"
			 "movl $1, %0\n"
			 "1:\n"
			 "pop %%r15\n"
			 "pop %%r14\n"
			 "pop %%r13\n"
			 "pop %%r12\n"
			 "pop %%rbx\n"
			 "pop %%rbp\n"
			 : "+m"(r->fail)
			 : : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
			   "memory", "cc");
	r->insn_error = r->fail ? vmread(0x4400) : 0;
	r->reason = r->fail ? 0 : vmread(0x4402);
}

static void test_vmx(void)
{
	struct vmx_run r;

	if (!vmx_on()) {
		check("VMXON", 0, 1);
		return;
	}
	exit_ctl_cap = rdmsr(0x48f) >> 32;
	entry_ctl_cap = rdmsr(0x490) >> 32;
	check("VMX: entry control load PERF_GLOBAL_CTRL allowed", (entry_ctl_cap >> 13) & 1, 1);
	check("VMX: exit control load PERF_GLOBAL_CTRL allowed", (exit_ctl_cap >> 12) & 1, 1);
	check("VMX: exit control save PERF_GLOBAL_CTRL allowed", (exit_ctl_cap >> 30) & 1, 1);

	/* The guest loop: counter 0 is enabled only by the VM-entry load. */
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_INSNS);
	wrmsr(FIXED_CTRL, 0x3);
	SetMem(&r, sizeof(r), 0);
	r.rip = guest_loop;
	r.entry = ENTRY_LOAD_PERF;
	r.exit = EXIT_LOAD_PERF | EXIT_SAVE_PERF;
	r.guest_ctrl = 0x1 | (1ul << 32);
	r.host_ctrl = 0;
	vmx_run(&r);
	check("VMX guest loop: VM entry succeeds", r.fail, 0);
	check("VMX guest loop: exit by VMCALL", r.reason, 18);
	check("counter enabled by the VM-entry load counts the guest loop exactly",
	      rdmsr(PMC(0)), 1 + 2 * 5000);
	check("fixed 0 enabled by the VM-entry load counts the guest loop exactly",
	      rdmsr(FIXED_CTR(0)), 1 + 2 * 5000);
	check("VM-exit load: host GLOBAL_CTRL back to 0", rdmsr(GLOBAL_CTRL), 0);
	check("VM-exit save: guest field holds the guest's value", vmread(0x2808), 0x1 | (1ul << 32));

	/* The guest changes its GLOBAL_CTRL: the save stores it. */
	pmu_clear();
	SetMem(msr_bitmap, sizeof(msr_bitmap), 0);
	r.rip = guest_setctrl;
	r.guest_ctrl = 0;
	r.host_ctrl = 0x4;
	vmx_run(&r);
	check("guest WRMSR GLOBAL_CTRL: exit by VMCALL", r.reason, 18);
	check("VM-exit save stores the guest's WRMSR", vmread(0x2808), 3);
	check("VM-exit load of the host field", rdmsr(GLOBAL_CTRL), 4);

	/* Without the save control the field is left alone. */
	wrmsr(GLOBAL_CTRL, 0);
	r.exit = EXIT_LOAD_PERF;
	r.guest_ctrl = 0;
	r.host_ctrl = 0;
	vmx_run(&r);
	check("no save control: field unchanged", vmread(0x2808), 0);
	r.exit = EXIT_SAVE_PERF;
	wrmsr(GLOBAL_CTRL, 0x1);
	vmx_run(&r);
	check("no load control on exit: host keeps the guest's value", rdmsr(GLOBAL_CTRL), 3);
	wrmsr(GLOBAL_CTRL, 0);

	/* Without the entry control the guest runs with the host's value. */
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_INSNS);
	r.rip = guest_loop;
	r.entry = 0;
	r.exit = EXIT_LOAD_PERF;
	r.guest_ctrl = 0x1;
	r.host_ctrl = 0;
	vmx_run(&r);
	check("no entry load: the guest loop is not counted", rdmsr(PMC(0)), 0);

	/* VM-entry checks on the fields (SDM Vol. 3C 28.2.2, 28.3.1.1). */
	r.entry = ENTRY_LOAD_PERF;
	r.exit = EXIT_LOAD_PERF;
	r.guest_ctrl = 1ul << 40;
	r.host_ctrl = 0;
	vmx_run(&r);
	check("guest field with a reserved bit: entry fails (exit 33)", r.reason, 0x80000000u | 33);
	r.guest_ctrl = 0;
	r.host_ctrl = 1ul << 40;
	vmx_run(&r);
	check("host field with a reserved bit: VMfailValid", r.fail, 1);
	check("host field with a reserved bit: error 8", r.insn_error, 8);
	r.entry = 0;
	r.exit = 0;
	r.guest_ctrl = 1ul << 40;
	r.host_ctrl = 1ul << 40;
	vmx_run(&r);
	check("reserved bits without the controls: no check", r.reason, 18);

	/* The MSR-load/store lists for 0x38f. */
	pmu_clear();
	wrmsr(EVTSEL(0), EN | OS | EV_INSNS);
	msr_area[0][0] = GLOBAL_CTRL;
	msr_area[0][1] = 0x1;
	msr_area[1][0] = GLOBAL_CTRL;
	msr_area[1][1] = 0xdead;
	msr_area[2][0] = GLOBAL_CTRL;
	msr_area[2][1] = 0x2;
	r.rip = guest_loop;
	r.entry = 0;
	r.exit = 0;
	r.entry_load = r.exit_store = r.exit_load = 1;
	vmx_run(&r);
	check("MSR lists: exit by VMCALL", r.reason, 18);
	check("entry MSR-load list enables the counter for the guest", rdmsr(PMC(0)), 1 + 2 * 5000);
	check("exit MSR-store list stores GLOBAL_CTRL", msr_area[1][1], 1);
	check("exit MSR-load list loads GLOBAL_CTRL", rdmsr(GLOBAL_CTRL), 2);
	wrmsr(GLOBAL_CTRL, 0);
	msr_area[0][1] = 1ul << 40;
	r.exit_store = r.exit_load = 0;
	vmx_run(&r);
	check("entry MSR-load of a reserved bit: entry fails (exit 34)", r.reason, 0x80000000u | 34);
	r.entry_load = 0;

	/* RDPMC exiting. */
	r.rip = guest_rdpmc;
	r.proc = 1u << 11;
	vmx_run(&r);
	check("RDPMC exiting: exit 15", r.reason, 15);
	r.proc = 0;
	vmx_run(&r);
	check("RDPMC without exiting runs in the guest", r.reason, 18);

	pmu_clear();
	__asm__ volatile("vmxoff" : : : "cc");
}

/* ---- the probe: what run.sh compares with the unpatched Bochs ------- */

static void probe_line(const char *what, u64 v)
{
	puts_serial("PROBE ");
	puts_serial(what);
	puts_serial(" ");
	put_hex(v);
	puts_serial("\n");
}

/* returns 1 if the model is on (IA32_A_PMC0 keeps a written value) */
static int probe(void)
{
	static const u32 msrs[] = {
		0xc1, 0xc8, 0x186, 0x18d, 0x309, 0x30b, 0x30c, 0x345, 0x38d,
		0x38e, 0x38f, 0x390, 0x391, 0x392, 0x4c1, 0x4c8,
	};
	static const u32 pmcs[] = { 0, 1, 17, 18, 0x40000000, 0x80000000 };
	u32 a, b, c, d;
	u64 v, apmc0 = 0;
	unsigned i;

	cpuid(0, 0, &a, &b, &c, &d);
	probe_line("cpuid.0.eax", a);
	cpuid(1, 0, &a, &b, &c, &d);
	probe_line("cpuid.1.ecx", c);
	cpuid(0xa, 0, &a, &b, &c, &d);
	probe_line("cpuid.a.eax", a);
	probe_line("cpuid.a.ebx", b);
	probe_line("cpuid.a.ecx", c);
	probe_line("cpuid.a.edx", d);
	for (i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		int r = rdmsr_safe(msrs[i], &v);

		probe_line("rdmsr.fault", (u64)msrs[i] << 8 | (u8)r);
		probe_line("rdmsr.value", v);
		r = wrmsr_safe(msrs[i], 0x1234);
		probe_line("wrmsr.fault", (u64)msrs[i] << 8 | (u8)r);
		r = rdmsr_safe(msrs[i], &v);
		probe_line("rdmsr.after", (u64)msrs[i] << 8 | (u8)r);
		probe_line("rdmsr.value", v);
		if (msrs[i] == 0x4c1 && r < 0)
			apmc0 = v;
	}
	for (i = 0; i < sizeof(pmcs) / sizeof(pmcs[0]); i++) {
		int r = rdpmc_safe(pmcs[i], &v);

		probe_line("rdpmc.fault", (u64)pmcs[i] << 8 | (u8)r);
		probe_line("rdpmc.value", v);
	}
	return apmc0 == 0x1234;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	u32 a, b, c, d;
	u64 reset_ctrl = 0;

	InitializeLib(image, systab);
	__asm__ volatile("cli");
	setup_idt();
	puts_serial("pmutest: start\n");
	rdmsr_safe(GLOBAL_CTRL, &reset_ctrl);
	if (!probe()) {
		puts_serial("pmutest: no PMU model, probe done\n");
		exit_qemu(1);
	}
	cpuid(0xa, 0, &a, &b, &c, &d);
	version = a & 0xff;
	ngp = (a >> 8) & 0xff;
	puts_serial("pmutest: PMU model v");
	put_dec(version);
	puts_serial(", ");
	put_dec(ngp);
	puts_serial(" general counters\n");
	test_cpuid();
	test_msrs(reset_ctrl);
	if (ngp < 8) {
		puts_serial("pmutest: fewer than 8 counters, CPUID and MSR checks only\n");
		goto done;
	}
	test_counting();
	test_pmi();
	test_vmx();
done:
	puts_serial("pmutest: ");
	put_dec(n_pass);
	puts_serial(" passed, ");
	put_dec(n_fail);
	puts_serial(" failed\n");
	exit_qemu(n_fail == 0);
	return EFI_SUCCESS;
}
