// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * efitest: the harness the emulators' UEFI test programs share (see
 * efitest.h): COM1 output, PASS/FAIL lines and their tally, an IDT that
 * counts NMIs and PMIs and turns faults of the *_safe accessors into a
 * return value, CPUID and MSR access, and the EFI entry point.
 */
#include "efitest.h"

/* ---- console ----------------------------------------------------------- */

void putc_serial(char c)
{
	if (c == '\n')
		putc_serial('\r');
	while (!(inb(0x3f8 + 5) & 0x20))
		;
	outb(0x3f8, c);
}

void puts_serial(const char *s)
{
	while (*s)
		putc_serial(*s++);
}

void put_hex(u64 v)
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

void put_dec(u64 v)
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

/* ---- checks ------------------------------------------------------------ */

unsigned n_pass, n_fail;

/* One check: prints "PASS name" or "FAIL name: got X, want Y". */
int check(const char *name, u64 got, u64 want)
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

/* PROBE lines: what a run script compares between two emulators. */
void probe_line(const char *what, u64 v)
{
	puts_serial("PROBE ");
	puts_serial(what);
	puts_serial(" ");
	put_hex(v);
	puts_serial("\n");
}

/* ---- exceptions ------------------------------------------------------ */

/* What isr_common pushes, then the CPU's frame. */
struct frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};

/* Set by the *_safe accessors: where to resume after a fault. */
volatile u64 fault_fixup;
static volatile int fault_vector;

volatile unsigned nmi_count, pmi_count;
volatile u64 pmi_rip, pmi_rcx;

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
	emu_exit(0);
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

void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(sub));
}

/*
 * RDMSR or RDPMC (@insn) of ECX = @ecx into *@val; returns the vector of
 * the exception it raised, or -1: the handler resumes at label 1.
 */
#define DEFINE_READ_SAFE(name, insn)					\
int name(u32 ecx, u64 *val)						\
{									\
	u32 lo = 0, hi = 0;						\
									\
	fault_vector = -1;						\
	__asm__ volatile("lea 1f(%%rip), %%r11\n"			\
			 "mov %%r11, fault_fixup(%%rip)\n"		\
			 insn "\n"					\
			 "1: movq $0, fault_fixup(%%rip)\n"		\
			 : "+a"(lo), "=d"(hi) : "c"(ecx) : "r11", "memory"); \
	*val = (u64)hi << 32 | lo;					\
	return fault_vector;						\
}

DEFINE_READ_SAFE(rdmsr_safe, "rdmsr")
DEFINE_READ_SAFE(rdpmc_safe, "rdpmc")

int wrmsr_safe(u32 msr, u64 val)
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

u64 rdpmc_delta_0_1(void)
{
	u32 idx = 0;
	u64 v1;

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
	return v1;
}

u64 rdmsr(u32 msr)
{
	u64 v;

	if (rdmsr_safe(msr, &v) >= 0) {
		puts_serial("FAIL rdmsr ");
		put_hex(msr);
		puts_serial(" faulted\n");
		emu_exit(0);
	}
	return v;
}

void wrmsr(u32 msr, u64 v)
{
	if (wrmsr_safe(msr, v) >= 0) {
		puts_serial("FAIL wrmsr ");
		put_hex(msr);
		puts_serial(" faulted\n");
		emu_exit(0);
	}
}

/* ---- the EFI entry ----------------------------------------------------- */

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	InitializeLib(image, systab);
	__asm__ volatile("cli");
	setup_idt();
	puts_serial(efitest_name);
	puts_serial(": start\n");
	run_tests();
	puts_serial(efitest_name);
	puts_serial(": ");
	put_dec(n_pass);
	puts_serial(" passed, ");
	put_dec(n_fail);
	puts_serial(" failed\n");
	emu_exit(n_fail == 0);
	return EFI_SUCCESS;
}
