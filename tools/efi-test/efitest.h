/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * efitest: the harness of the UEFI test programs that check our emulator
 * models directly, at CPL 0 under OVMF, without the hypervisor
 * (tools/qemu-pmu/tests/efi, tools/bochs-pmu/tests/efi). A program built
 * with it (efitest.mk) provides efitest_name, run_tests() and emu_exit();
 * the harness provides the EFI entry point, which sets up the IDT, prints
 * "NAME: start", calls run_tests(), prints "NAME: N passed, M failed" and
 * ends the run through emu_exit(no check failed).
 *
 * Output goes to COM1, one line per check: "PASS name" or "FAIL name:
 * got X, want Y" (run scripts count them).
 */
#ifndef EFITEST_H
#define EFITEST_H

#include <efi.h>
#include <efilib.h>

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

/* ---- provided by the program ------------------------------------------ */

/* The prefix of the start and tally lines, e.g. "pmutest". */
extern const char efitest_name[];

/* Every check of the program; may end the run itself (emu_exit()). */
void run_tests(void);

/* Ends the emulator's run; @pass: the verdict, where the emulator has one. */
void emu_exit(int pass);

/* ---- console (COM1, polled) ------------------------------------------- */

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

void putc_serial(char c);
void puts_serial(const char *s);
void put_hex(u64 v);	/* 0x and at least one digit */
void put_dec(u64 v);

/* ---- checks ------------------------------------------------------------ */

extern unsigned n_pass, n_fail;

/* One check: prints "PASS name" or "FAIL name: got X, want Y". */
int check(const char *name, u64 got, u64 want);

/* "PROBE what 0x..." */
void probe_line(const char *what, u64 v);

/* ---- exceptions and interrupts ---------------------------------------- */

/* The LVTPC's fixed vector; NMIs (vector 2) are counted apart. */
#define PMI_VECTOR 0xf0

/* Counted by the handler, with the interrupted RIP and RCX. */
extern volatile unsigned nmi_count, pmi_count;
extern volatile u64 pmi_rip, pmi_rcx;

/* The local APIC, xAPIC mode, at its reset address. */
static volatile u32 *const lapic = (volatile u32 *)0xfee00000;

struct dtr {
	u16 limit;
	u64 base;
} __attribute__((packed));

/* ---- CPU access -------------------------------------------------------- */

void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d);

/* These return the exception vector, or -1. */
int rdmsr_safe(u32 msr, u64 *val);
int wrmsr_safe(u32 msr, u64 val);
int rdpmc_safe(u32 idx, u64 *val);

/*
 * RDPMC of counter 0, then of counter 1 three instructions later (mov,
 * mov, mov ecx): counter 1 minus counter 0. With both counting retired
 * instructions from the same start: 4, the first RDPMC included.
 */
u64 rdpmc_delta_0_1(void);

/* A fault here is a FAIL line and the end of the run. */
u64 rdmsr(u32 msr);
void wrmsr(u32 msr, u64 v);

#endif /* EFITEST_H */
