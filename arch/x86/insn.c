// SPDX-License-Identifier: GPL-2.0
/*
 * Table-driven x86 instruction decoder (SDM vol. 2 ch. 2 and appendix A;
 * AMD APM vol. 3 ch. 1 for XOP and the 3DNow! map).
 *
 * It finds the structure of one instruction: prefixes, opcode map and
 * byte, ModRM/SIB/displacement and immediates. It does not check operand
 * legality beyond what changes the length or is #UD in the mode, so the
 * length is right for every defined encoding of the one-byte and 0F maps
 * and for the VEX/EVEX/XOP families.
 */
#include <arch/x86/insn.h>
#include <hv/errno.h>
#include <hv/string.h>

/* Opcode attributes. */
#define M     0x0001	/* ModRM follows */
#define IB    0x0002	/* imm8 */
#define IW    0x0004	/* imm16 */
#define IZ    0x0008	/* imm16/32 by operand size */
#define IV    0x0010	/* imm16/32/64 by operand size (B8+r) */
#define AP    0x0020	/* far pointer ptr16:16/32 */
#define MO    0x0040	/* moffs, sized by address size */
#define I64   0x0080	/* #UD in 64-bit mode */
#define D64   0x0100	/* default operand size 64 in 64-bit mode */
#define GRP3  0x0200	/* F6/F7: /0 and /1 (TEST) have an immediate */
#define BAD   0x0400	/* undefined in every mode */
#define NOMOD 0x0800	/* ModRM.mod ignored: always a register form */

/* One-byte map (SDM vol. 2 table A-2). Prefixes and 0F are handled first. */
static const u16 map1[256] = {
	[0x00 ... 0x03] = M, [0x04] = IB, [0x05] = IZ, [0x06 ... 0x07] = I64,
	[0x08 ... 0x0b] = M, [0x0c] = IB, [0x0d] = IZ, [0x0e] = I64,
	[0x10 ... 0x13] = M, [0x14] = IB, [0x15] = IZ, [0x16 ... 0x17] = I64,
	[0x18 ... 0x1b] = M, [0x1c] = IB, [0x1d] = IZ, [0x1e ... 0x1f] = I64,
	[0x20 ... 0x23] = M, [0x24] = IB, [0x25] = IZ, [0x27] = I64,
	[0x28 ... 0x2b] = M, [0x2c] = IB, [0x2d] = IZ, [0x2f] = I64,
	[0x30 ... 0x33] = M, [0x34] = IB, [0x35] = IZ, [0x37] = I64,
	[0x38 ... 0x3b] = M, [0x3c] = IB, [0x3d] = IZ, [0x3f] = I64,
	[0x50 ... 0x5f] = D64,
	[0x60 ... 0x61] = I64, [0x62] = M | I64, [0x63] = M,
	[0x68] = IZ | D64, [0x69] = M | IZ, [0x6a] = IB | D64, [0x6b] = M | IB,
	[0x70 ... 0x7f] = IB | D64,
	[0x80] = M | IB, [0x81] = M | IZ, [0x82] = M | IB | I64,
	[0x83] = M | IB, [0x84 ... 0x8e] = M, [0x8f] = M | D64,
	[0x9a] = AP | I64, [0x9c ... 0x9d] = D64,
	[0xa0 ... 0xa3] = MO, [0xa8] = IB, [0xa9] = IZ,
	[0xb0 ... 0xb7] = IB, [0xb8 ... 0xbf] = IV,
	[0xc0 ... 0xc1] = M | IB, [0xc2] = IW | D64, [0xc3] = D64,
	[0xc4 ... 0xc5] = M | I64, [0xc6] = M | IB, [0xc7] = M | IZ,
	[0xc8] = IW | IB | D64, [0xc9] = D64, [0xca] = IW, [0xcd] = IB,
	[0xce] = I64,
	[0xd0 ... 0xd3] = M, [0xd4 ... 0xd5] = IB | I64, [0xd6] = I64,
	[0xd8 ... 0xdf] = M,
	[0xe0 ... 0xe3] = IB | D64, [0xe4 ... 0xe7] = IB,
	[0xe8 ... 0xe9] = IZ | D64,
	[0xea] = AP | I64, [0xeb] = IB | D64,
	[0xf6 ... 0xf7] = M | GRP3, [0xfe ... 0xff] = M,
};

/*
 * Two-byte map 0F (SDM vol. 2 table A-3). 0F 0F is 3DNow! (ModRM, then
 * the real opcode as a trailing byte). 0F 20-23 (MOV CR/DR) ignore the
 * mod bits (SDM vol. 2 MOV--Move to/from Control Registers).
 */
static const u16 map0f[256] = {
	[0x00 ... 0x03] = M, [0x04] = BAD, [0x0a] = BAD, [0x0c] = BAD,
	[0x0d] = M, [0x0f] = M | IB,
	[0x10 ... 0x1f] = M,
	[0x20 ... 0x23] = M | NOMOD, [0x24 ... 0x27] = BAD, [0x28 ... 0x2f] = M,
	[0x36] = BAD, [0x39] = BAD, [0x3b ... 0x3f] = BAD,
	[0x40 ... 0x6f] = M, [0x70 ... 0x73] = M | IB, [0x74 ... 0x76] = M,
	[0x78 ... 0x79] = M, [0x7a ... 0x7b] = BAD, [0x7c ... 0x7f] = M,
	[0x80 ... 0x8f] = IZ | D64, [0x90 ... 0x9f] = M,
	[0xa0 ... 0xa1] = D64, [0xa3] = M, [0xa4] = M | IB, [0xa5] = M,
	[0xa6 ... 0xa7] = M, [0xa8 ... 0xa9] = D64, [0xab] = M,
	[0xac] = M | IB, [0xad ... 0xaf] = M,
	[0xb0 ... 0xb9] = M, [0xba] = M | IB, [0xbb ... 0xbf] = M,
	[0xc0 ... 0xc1] = M, [0xc2] = M | IB, [0xc3] = M,
	[0xc4 ... 0xc6] = M | IB,
	[0xc7] = M,
	[0xd0 ... 0xff] = M,
};

struct dec {
	const u8 *b;
	size_t avail;
	unsigned int pos;
};

/*
 * Next byte. An instruction longer than 15 bytes is #GP (SDM vol. 2
 * 2.3.11); running out of readable bytes first asks for more.
 */
static int fetch(struct dec *d, u8 *v)
{
	if (d->pos >= INSN_MAX_LEN)
		return -EINVAL;
	if (d->pos >= d->avail)
		return -EAGAIN;
	*v = d->b[d->pos++];
	return 0;
}

static int peek(struct dec *d, u8 *v)
{
	int ret = fetch(d, v);

	if (!ret)
		d->pos--;
	return ret;
}

/* Little-endian @n bytes; the value is zero-extended. */
static int fetch_n(struct dec *d, unsigned int n, u64 *v)
{
	*v = 0;
	for (unsigned int i = 0; i < n; i++) {
		u8 b;
		int ret = fetch(d, &b);

		if (ret)
			return ret;
		*v |= (u64)b << (8 * i);
	}
	return 0;
}

#define TRY(x)                          \
	do {                            \
		int ret_ = (x);         \
		if (ret_)               \
			return ret_;    \
	} while (0)

static s64 sign_extend(u64 v, unsigned int bytes)
{
	unsigned int shift = 64 - 8 * bytes;

	return bytes ? (s64)(v << shift) >> shift : 0;
}

/* ModRM, SIB and displacement (SDM vol. 2 tables 2-1..2-3, 2.2.1.6). */
static int decode_modrm(struct dec *d, struct insn *in, bool nomod)
{
	unsigned int mod, rm;
	u64 disp = 0;

	TRY(fetch(d, &in->modrm));
	in->has_modrm = true;
	mod = in->modrm >> 6;
	rm = in->modrm & 7;
	if (nomod || mod == 3)
		return 0;

	if (in->addr_size == 2) {
		/* 16-bit forms: no SIB; [disp16] replaces [bp] at mod 0. */
		if (mod == 1)
			in->disp_len = 1;
		else if (mod == 2 || rm == 6)
			in->disp_len = 2;
		if (!(in->prefixes & INSN_P_SEG) &&
		    (rm == 2 || rm == 3 || (rm == 6 && mod != 0)))
			in->seg = 2;	/* bp-based: SS */
	} else {
		unsigned int base = rm;

		if (rm == 4) {
			TRY(fetch(d, &in->sib));
			in->has_sib = true;
			base = in->sib & 7;
		}
		/*
		 * mod 0 with rm 5 is disp32 (RIP-relative in 64-bit mode),
		 * with SIB base 5 it is disp32 without base. REX.B does not
		 * change either rule (SDM vol. 2 2.2.1.2).
		 */
		if (mod == 1)
			in->disp_len = 1;
		else if (mod == 2 || base == 5)
			in->disp_len = 4;
		if (!(in->prefixes & INSN_P_SEG) &&
		    (base == 4 || (base == 5 && mod != 0)) &&
		    !(in->rex & 1))
			in->seg = 2;	/* rsp/rbp-based: SS */
	}
	if (in->disp_len) {
		TRY(fetch_n(d, in->disp_len, &disp));
		in->disp = sign_extend(disp, in->disp_len);
	}
	return 0;
}

/* VEX (C4/C5), EVEX (62) and XOP (8F) encoded instructions. */
static int decode_vex(struct dec *d, struct insn *in, enum insn_mode mode,
		      u8 esc)
{
	u8 p0, p1, p2;
	unsigned int map;
	bool w = false, imm8 = false;
	u64 imm;

	/* 66, F2, F3, LOCK or REX before these is #UD (SDM vol. 2 2.3.2). */
	if ((in->prefixes & (INSN_P_LOCK | INSN_P_REP | INSN_P_REPNE |
			     INSN_P_OPSIZE)) || in->rex)
		return -EINVAL;

	TRY(fetch(d, &p0));
	switch (esc) {
	case 0xc5:
		in->prefixes |= INSN_P_VEX;
		map = 1;
		break;
	case 0xc4:
	case 0x8f:
		TRY(fetch(d, &p1));
		in->prefixes |= esc == 0xc4 ? INSN_P_VEX : INSN_P_XOP;
		map = p0 & 0x1f;
		w = p1 >> 7;
		break;
	default: /* 0x62 */
		TRY(fetch(d, &p1));
		TRY(fetch(d, &p2));
		(void)p2;
		in->prefixes |= INSN_P_EVEX;
		map = p0 & 7;
		w = p1 >> 7;
		/* P1 bit 2 is fixed at 1 (SDM vol. 2 2.7.1). */
		if (!(p1 & 4))
			return -EINVAL;
		break;
	}
	if (mode == INSN_MODE_64 && w)
		in->op_size = 8;

	TRY(fetch(d, &in->opcode));
	if (esc == 0x8f) {
		/* XOP maps 8 (imm8), 9 (none), 0Ah (imm32): APM vol. 3 1.8. */
		if (map < 8 || map > 10)
			return -EINVAL;
		in->map = INSN_MAP_OTHER;
		TRY(decode_modrm(d, in, false));
		if (map == 8)
			imm8 = true;
		if (map == 10) {
			TRY(fetch_n(d, 4, &imm));
			in->imm = imm;
			in->imm_len = 4;
		}
	} else {
		switch (map) {
		case 1:
			in->map = INSN_MAP_0F;
			imm8 = map0f[in->opcode] & IB;
			break;
		case 2:
			in->map = INSN_MAP_0F38;
			break;
		case 3:
			in->map = INSN_MAP_0F3A;
			imm8 = true;
			break;
		case 5:
		case 6:
			/* EVEX maps 5 and 6 (AVX512-FP16): no immediates. */
			if (esc != 0x62)
				return -EINVAL;
			in->map = INSN_MAP_OTHER;
			break;
		default:
			return -EINVAL;
		}
		/* VZEROUPPER/VZEROALL (VEX 0F 77) have no ModRM. */
		if (!(esc != 0x62 && map == 1 && in->opcode == 0x77))
			TRY(decode_modrm(d, in, false));
	}
	if (imm8) {
		TRY(fetch_n(d, 1, &imm));
		in->imm = imm;
		in->imm_len = 1;
	}
	return 0;
}

static bool is_vex_escape(struct dec *d, enum insn_mode mode, u8 op, int *err)
{
	u8 next;

	if (op != 0xc4 && op != 0xc5 && op != 0x62 && op != 0x8f)
		return false;
	*err = peek(d, &next);
	if (*err)
		return true;
	/* XOP: 8F with ModRM.reg != 0 (POP Ev needs /0); APM vol. 3 1.8. */
	if (op == 0x8f)
		return (next >> 3) & 7;
	/*
	 * Outside 64-bit mode C4/C5/62 are LES/LDS/BOUND, which need a
	 * memory operand: mod == 3 selects VEX/EVEX (SDM vol. 2 2.3.5).
	 */
	return mode == INSN_MODE_64 || (next >> 6) == 3;
}

int insn_decode(const u8 *bytes, size_t avail, enum insn_mode mode,
		struct insn *out)
{
	struct dec d = { .b = bytes, .avail = bytes ? avail : 0 };
	struct insn in;
	bool opsize = false, adsize = false;
	u16 attr;
	u64 imm;
	u8 op;
	int err = 0;

	memset(&in, 0, sizeof(in));
	in.seg = 3;	/* DS unless overridden or stack-based */
	in.map = INSN_MAP_1;
	if (mode != INSN_MODE_16 && mode != INSN_MODE_32 &&
	    mode != INSN_MODE_64)
		return -EINVAL;

	/* Legacy prefixes, any number in any order (SDM vol. 2 2.1.1). */
	for (;;) {
		TRY(fetch(&d, &op));
		switch (op) {
		case 0xf0:
			in.prefixes |= INSN_P_LOCK;
			break;
		case 0xf2:
			in.prefixes |= INSN_P_REPNE;
			break;
		case 0xf3:
			in.prefixes |= INSN_P_REP;
			break;
		case 0x26:
		case 0x2e:
		case 0x36:
		case 0x3e:
			in.prefixes |= INSN_P_SEG;
			in.seg = (op >> 3) & 3; /* ES, CS, SS, DS */
			break;
		case 0x64:
		case 0x65:
			in.prefixes |= INSN_P_SEG;
			in.seg = op - 0x60;	/* FS 4, GS 5 */
			break;
		case 0x66:
			in.prefixes |= INSN_P_OPSIZE;
			opsize = true;
			break;
		case 0x67:
			in.prefixes |= INSN_P_ADSIZE;
			adsize = true;
			break;
		default:
			if (mode == INSN_MODE_64 && (op & 0xf0) == 0x40) {
				/* REX: counts only right before the opcode */
				in.rex = op;
				continue;
			}
			goto opcode;
		}
		/* A legacy prefix after REX voids the REX (SDM 2.2.1). */
		in.rex = 0;
	}

opcode:
	switch (mode) {
	case INSN_MODE_16:
		in.op_size = opsize ? 4 : 2;
		in.addr_size = adsize ? 4 : 2;
		break;
	case INSN_MODE_32:
		in.op_size = opsize ? 2 : 4;
		in.addr_size = adsize ? 2 : 4;
		break;
	default:
		in.op_size = (in.rex & 8) ? 8 : opsize ? 2 : 4;
		in.addr_size = adsize ? 4 : 8;
		break;
	}
	in.opcode = op;

	if (is_vex_escape(&d, mode, op, &err)) {
		if (err)
			return err;
		TRY(decode_vex(&d, &in, mode, op));
		goto done;
	}

	if (op == 0x0f) {
		TRY(fetch(&d, &op));
		in.opcode = op;
		if (op == 0x38 || op == 0x3a) {
			in.map = op == 0x38 ? INSN_MAP_0F38 : INSN_MAP_0F3A;
			TRY(fetch(&d, &in.opcode));
			attr = M | (op == 0x3a ? IB : 0);
		} else {
			in.map = op == 0x0f ? INSN_MAP_3DNOW : INSN_MAP_0F;
			attr = map0f[op];
		}
	} else {
		attr = map1[op];
	}

	if (attr & BAD)
		return -EINVAL;
	if ((attr & I64) && mode == INSN_MODE_64)
		return -EINVAL;
	if ((attr & D64) && mode == INSN_MODE_64 && !(in.rex & 8))
		in.op_size = opsize ? 2 : 8;

	if (attr & M) {
		TRY(decode_modrm(&d, &in, attr & NOMOD));
		if (in.map == INSN_MAP_1 && in.opcode == 0xff &&
		    mode == INSN_MODE_64 && !(in.rex & 8)) {
			unsigned int reg = (in.modrm >> 3) & 7;

			/* Near CALL/JMP/PUSH default to 64 bits. */
			if (reg == 2 || reg == 4 || reg == 6)
				in.op_size = opsize ? 2 : 8;
		}
		if ((attr & GRP3) && ((in.modrm >> 3) & 7) < 2)
			attr |= in.opcode == 0xf6 ? IB : IZ;
	}

	/* EXTRQ/INSERTQ imm8, imm8 (66/F2 0F 78, AMD APM vol. 4). */
	if (in.map == INSN_MAP_0F && in.opcode == 0x78 &&
	    (in.prefixes & (INSN_P_OPSIZE | INSN_P_REPNE))) {
		TRY(fetch_n(&d, 1, &imm));
		in.imm = imm;
		TRY(fetch_n(&d, 1, &imm));
		in.imm_len = 2;
		goto done;
	}

	if (attr & (IW | IZ | IV | AP | MO)) {
		unsigned int n;

		if (attr & IW)
			n = 2;
		else if (attr & IZ)
			n = in.op_size == 2 ? 2 : 4;
		else if (attr & IV)
			n = in.op_size;	/* mov r64, imm64 with REX.W */
		else if (attr & AP)
			n = in.op_size == 2 ? 2 : 4;
		else
			n = in.addr_size;	/* moffs */
		TRY(fetch_n(&d, n, &imm));
		in.imm = imm;
		in.imm_len = n;
		if (attr & AP) {
			TRY(fetch_n(&d, 2, &imm));	/* selector */
			in.imm_len += 2;
		}
	}
	if (attr & IB) {
		/* ENTER iw, ib: imm keeps the first one. */
		TRY(fetch_n(&d, 1, &imm));
		if (!in.imm_len)
			in.imm = imm;
		in.imm_len += 1;
		if (in.map == INSN_MAP_3DNOW)
			in.opcode = (u8)imm;	/* the real 3DNow! opcode */
	}

done:
	in.len = d.pos;
	if (out)
		*out = in;
	return in.len;
}
