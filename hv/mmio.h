/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emulated MMIO. A VM has a small table of guest-physical regions that no
 * RAM backs; a nested page fault inside one is completed by decoding the
 * faulting instruction (arch/x86/insn.h), calling the region's device with
 * the access, and writing a read's result into the destination register.
 */
#ifndef HV_MMIO_H
#define HV_MMIO_H

#include <arch/x86/insn.h>
#include <hv/types.h>

#define MMIO_MAX_REGIONS 8

struct vcpu;
struct vm;
struct guest_regs;

struct mmio_ops {
	const char *name;
	/* @off is relative to the region; @size is 1, 2, 4 or 8. */
	int (*read)(struct vcpu *vcpu, void *opaque, u64 off, u8 size,
		    u64 *val);
	int (*write)(struct vcpu *vcpu, void *opaque, u64 off, u8 size,
		     u64 val);
};

struct mmio_region {
	gpa_t base;
	u64 len;
	const struct mmio_ops *ops;
	void *opaque;
};

int mmio_register(struct vm *vm, gpa_t base, u64 len,
		  const struct mmio_ops *ops, void *opaque);
const struct mmio_region *mmio_find(const struct vm *vm, gpa_t gpa);

/*
 * What one instruction does to memory, from its decoded form (pure logic,
 * hv/mmio_insn.c). Reads fill a general register: `reg` in x86 encoding
 * order (0 = rAX ... 15 = r15), `high_byte` for AH/CH/DH/BH, `dst_size` the
 * register width written (4 zero-extends to 64 bits, SDM vol. 1 3.4.1.1).
 */
struct mmio_access {
	u8 size;		/* bytes on the bus */
	bool write;
	bool read;		/* both for XCHG: read, then write */
	u64 value;		/* the value written */
	u8 reg;
	bool high_byte;
	u8 dst_size;
	bool sign_extend;
};

/* 0, or -EOPNOTSUPP for an instruction the emulator does not handle. */
int mmio_insn_plan(const struct insn *in, const struct guest_regs *regs,
		   struct mmio_access *a);
/*
 * The effective address of @in's memory operand (SDM vol. 2 2.1.5 and
 * tables 2-1..2-3: ModRM, SIB, displacement; RIP-relative in 64-bit mode,
 * 2.2.1.6; the moffs of A0-A3), before the segment base, truncated to the
 * address size. @next_rip is the address after the instruction, @mode64
 * says whether it was decoded in 64-bit mode.
 */
int mmio_insn_ea(const struct insn *in, const struct guest_regs *regs,
		 u64 next_rip, bool mode64, u64 *ea);
/*
 * True if the access @a of the instruction, at guest-physical @gpa, is the
 * one the CPU reported faulting (@fault_gpa, @fault_write): another vCPU
 * may have changed the instruction since, and the wrong access must not
 * be done. XCHG reads and writes: either kind.
 */
bool mmio_insn_matches(const struct mmio_access *a, gpa_t gpa,
		       gpa_t fault_gpa, bool fault_write);
/* Writes a read's @val into the destination register. */
void mmio_insn_complete(const struct mmio_access *a, struct guest_regs *regs,
			u64 val);

#endif /* HV_MMIO_H */
