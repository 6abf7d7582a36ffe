// SPDX-License-Identifier: GPL-2.0
/* The test-guest library (see gt.h). */
#include <stdarg.h>
#include <hv/printf.h>
#include <hv/string.h>
#include "gt.h"

#define COM1 0x3f8

struct gate {
	u16 off0, sel;
	u8 ist, attr;
	u16 off1;
	u32 off2, zero;
} __packed;

extern const u8 gt_vectors[];
static struct gate idt[256] __aligned(16);
static u32 passed, failed;
bool gt_amd;

volatile u64 gt_fixup_rip;
static gt_irq_handler_t irq_handlers[256];
static struct gt_frame *irq_frame;
static volatile int last_vector = -1;
static volatile u32 last_error;
static volatile u64 last_rip;

void gt_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			outb(COM1, '\r');
		while (!(inb(COM1 + 5) & 0x20))
			;
		outb(COM1, *s);
	}
}

void gt_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	gt_puts(buf);
}

void gt_check(bool ok, const char *what, const char *file, int line)
{
	if (ok) {
		passed++;
		gt_printf("PASS: %s\n", what);
	} else {
		failed++;
		gt_printf("FAIL: %s:%d: %s\n", file, line, what);
	}
}

void gt_check_eq(u64 a, u64 b, const char *as, const char *bs,
		 const char *file, int line)
{
	if (a == b) {
		passed++;
		gt_printf("PASS: %s == %s\n", as, bs);
	} else {
		failed++;
		gt_printf("FAIL: %s:%d: %s == %s (%#llx != %#llx)\n", file,
			  line, as, bs, (unsigned long long)a,
			  (unsigned long long)b);
	}
}

void gt_exit(u32 status)
{
	outl(PV_DEBUG_EXIT_PORT, status);
	for (;;)
		asm volatile("cli; hlt");
}

void gt_set_irq_handler(u8 vector, gt_irq_handler_t h)
{
	irq_handlers[vector] = h;
}

u64 gt_tsc_per_ms(void)
{
	u32 a, b, c, d;

	cpuid(PV_CPUID_TIMING, 0, &a, &b, &c, &d);
	return a;		/* kHz */
}

struct gt_frame *gt_irq_frame(void)
{
	return irq_frame;
}

void gt_exception(struct gt_frame *f);
void gt_exception(struct gt_frame *f)
{
	if ((f->vector == 2 || f->vector >= 32) && irq_handlers[f->vector]) {
		struct gt_frame *outer = irq_frame;

		irq_frame = f;
		irq_handlers[f->vector]((u8)f->vector);
		irq_frame = outer;
		return;
	}
	if (gt_fixup_rip) {
		last_vector = (int)f->vector;
		last_error = (u32)f->error;
		last_rip = f->rip;
		f->rip = gt_fixup_rip;
		f->rflags &= ~(1ULL << 8);	/* resume without TF */
		gt_fixup_rip = 0;
		return;
	}
	gt_printf("FAIL: unexpected exception %llu (error %#llx) at rip %#llx\n",
		  (unsigned long long)f->vector, (unsigned long long)f->error,
		  (unsigned long long)f->rip);
	gt_exit(2);
}

int gt_last_vector(void)
{
	return last_vector;
}

u32 gt_last_error(void)
{
	return last_error;
}

u64 gt_last_rip(void)
{
	return last_rip;
}

void gt_clear_exception(void)
{
	last_vector = -1;
	last_error = 0;
	last_rip = 0;
}

void gt_set_gate(u8 vector, const void *handler, int dpl)
{
	u64 h = (u64)handler;
	u16 cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	idt[vector] = (struct gate){ .off0 = h & 0xffff, .sel = cs,
				     .attr = 0x8e | (dpl & 3) << 5,
				     .off1 = (h >> 16) & 0xffff,
				     .off2 = h >> 32 };
}

void gt_set_gate_ist(u8 vector, const void *handler, int ist)
{
	gt_set_gate(vector, handler, 0);
	idt[vector].ist = ist & 7;
}

void gt_reset_gate(u8 vector)
{
	gt_set_gate(vector, gt_vectors + vector * 16, 0);
}

void gt_idt_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed idtr = { sizeof(idt) - 1, (u64)idt };
	u16 cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	for (int v = 0; v < 256; v++) {
		u64 h = (u64)gt_vectors + v * 16;

		idt[v] = (struct gate){ .off0 = h & 0xffff, .sel = cs,
					.attr = 0x8e, .off1 = (h >> 16) & 0xffff,
					.off2 = h >> 32 };
	}
	asm volatile("lidt %0" : : "m"(idtr));
}

s64 hypercall(u64 nr, u64 a0, u64 a1)
{
	u64 ret;

	if (gt_amd)
		asm volatile("vmmcall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a0), "S"(a1)
			     : "memory");
	else
		asm volatile("vmcall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a0), "S"(a1)
			     : "memory");
	return (s64)ret;
}

s64 hypercall_try(u64 nr, u64 a0, u64 a1, int *vector)
{
	u64 ret;

	gt_clear_exception();
	if (gt_amd)
		asm volatile(ASM_TRY("1f") "vmmcall\n1:"
			     : "=a"(ret)
			     : "a"(nr), "D"(a0), "S"(a1)
			     : "memory");
	else
		asm volatile(ASM_TRY("1f") "vmcall\n1:"
			     : "=a"(ret)
			     : "a"(nr), "D"(a0), "S"(a1)
			     : "memory");
	gt_fixup_rip = 0;
	*vector = gt_last_vector();
	return (s64)ret;
}

bool gt_reached(u32 phase)
{
	s64 missing = hypercall(PV_HC_RENDEZVOUS, phase, 0);

	if (missing < 0)
		EXPECT_EQ(missing, 0);
	return missing <= 0;
}

void gt_rendezvous(u32 phase)
{
	while (!gt_reached(phase))
		cpu_relax();
}

int rdmsr_try(u32 msr, u64 *val)
{
	u32 lo = 0, hi = 0;

	gt_clear_exception();
	asm volatile(ASM_TRY("1f") "rdmsr\n1:"
		     : "=a"(lo), "=d"(hi)
		     : "c"(msr));
	gt_fixup_rip = 0;
	*val = ((u64)hi << 32) | lo;
	return gt_last_vector();
}

int wrmsr_try(u32 msr, u64 val)
{
	gt_clear_exception();
	asm volatile(ASM_TRY("1f") "wrmsr\n1:"
		     :
		     : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
		     : "memory");
	gt_fixup_rip = 0;
	return gt_last_vector();
}

void gt_main(void)
{
	u32 a, b, c, d;

	gt_idt_init();
	cpuid(0, 0, &a, &b, &c, &d);
	gt_amd = b == 0x68747541;	/* "Auth" */
	pmu_detect();
	test_main();
	gt_printf("SUMMARY: %u passed, %u failed\n", passed, failed);
	gt_exit(failed ? 1 : 0);
}
