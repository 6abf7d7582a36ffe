/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 instruction decoder: enough structure to know an instruction's length
 * and operands (SDM vol. 2 ch. 2). SVM without NRIP-save and decode assists
 * (QEMU TCG) leaves the hypervisor to find the next RIP itself, and MMIO
 * emulation needs the ModRM operands.
 */
#ifndef ARCH_X86_INSN_H
#define ARCH_X86_INSN_H

#include <hv/types.h>

#define INSN_MAX_LEN 15

enum insn_mode { INSN_MODE_16, INSN_MODE_32, INSN_MODE_64 };

/* Prefix flags. */
#define INSN_P_LOCK   BIT(0)
#define INSN_P_REP    BIT(1)	/* F3 */
#define INSN_P_REPNE  BIT(2)	/* F2 */
#define INSN_P_OPSIZE BIT(3)	/* 66 */
#define INSN_P_ADSIZE BIT(4)	/* 67 */
#define INSN_P_SEG    BIT(5)	/* a segment override is present */
#define INSN_P_VEX    BIT(6)
#define INSN_P_EVEX   BIT(7)
#define INSN_P_XOP    BIT(8)

enum insn_map { INSN_MAP_1, INSN_MAP_0F, INSN_MAP_0F38, INSN_MAP_0F3A,
		INSN_MAP_3DNOW, INSN_MAP_OTHER };

struct insn {
	u8 len;			/* total length in bytes */
	u32 prefixes;		/* INSN_P_* */
	u8 seg;			/* override: 0 ES,1 CS,2 SS,3 DS,4 FS,5 GS;
				 * without one, the default of the ModRM
				 * operand (SS if rSP/rBP-based, else DS) */
	u8 rex;			/* REX byte, 0 if none */
	enum insn_map map;
	u8 opcode;		/* last opcode byte */
	bool has_modrm;
	u8 modrm;
	bool has_sib;
	u8 sib;
	u8 disp_len;		/* 0, 1, 2 or 4 */
	s64 disp;		/* sign-extended */
	u8 imm_len;		/* total immediate bytes (ENTER has 3) */
	u64 imm;		/* first immediate, zero-extended; the
				 * offset for moffs (A0-A3) and ptr16:32;
				 * the opcode byte for 3DNow! */
	u8 op_size;		/* effective operand size: 2, 4 or 8 */
	u8 addr_size;		/* effective address size: 2, 4 or 8 */
};

/*
 * Decodes the instruction at @bytes (@avail bytes readable). Returns the
 * length (1..15) and fills @out (may be NULL), -EAGAIN if more bytes are
 * needed than @avail, or -EINVAL for an undefined or over-long encoding.
 */
int insn_decode(const u8 *bytes, size_t avail, enum insn_mode mode,
		struct insn *out);

#endif /* ARCH_X86_INSN_H */
