// SPDX-License-Identifier: GPL-2.0
/*
 * The instructions that reach emulated MMIO, reduced to one bus access and
 * a register update. Compilers and Linux's readl()/writel() use MOV in its
 * register, immediate and moffs forms, MOVZX/MOVSX for narrow reads and,
 * on a few old CPUs, XCHG for APIC writes (SDM vol. 2 "MOV", "MOVZX",
 * "MOVSX", "XCHG").
 */
#include <hv/errno.h>
#include <hv/mmio.h>
#include <hv/vm.h>

/* struct guest_regs is not in x86 encoding order. */
static u64 *gpr(struct guest_regs *r, u8 idx)
{
	u64 *const map[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
		&r->rsi, &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11,
		&r->r12, &r->r13, &r->r14, &r->r15,
	};

	return map[idx & 15];
}

static u64 width_mask(u8 size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/* The ModRM reg operand; byte registers 4-7 without REX are AH..BH. */
static void reg_operand(const struct insn *in, u8 size, struct mmio_access *a)
{
	u8 idx = ((in->modrm >> 3) & 7) | ((in->rex & 4) ? 8 : 0);

	a->reg = idx;
	a->high_byte = size == 1 && !in->rex && idx >= 4 && idx < 8;
	if (a->high_byte)
		a->reg = idx - 4;
}

static u64 reg_value(const struct mmio_access *a,
		     const struct guest_regs *regs)
{
	u64 v = *gpr((struct guest_regs *)regs, a->reg);

	if (a->high_byte)
		return (v >> 8) & 0xff;
	return v & width_mask(a->size);
}

int mmio_insn_plan(const struct insn *in, const struct guest_regs *regs,
		   struct mmio_access *a)
{
	u8 opsz = in->op_size;

	*a = (struct mmio_access){ 0 };
	if (in->prefixes & (INSN_P_VEX | INSN_P_EVEX | INSN_P_XOP))
		return -EOPNOTSUPP;
	if (in->has_modrm && (in->modrm >> 6) == 3)
		return -EOPNOTSUPP;	/* register operand: no memory */

	if (in->map == INSN_MAP_1) {
		switch (in->opcode) {
		case 0x88:	/* MOV r/m8, r8 */
		case 0x89:	/* MOV r/m, r */
			a->size = in->opcode == 0x88 ? 1 : opsz;
			a->write = true;
			reg_operand(in, a->size, a);
			a->value = reg_value(a, regs);
			return 0;
		case 0x8a:	/* MOV r8, r/m8 */
		case 0x8b:	/* MOV r, r/m */
			a->size = in->opcode == 0x8a ? 1 : opsz;
			a->read = true;
			a->dst_size = a->size;
			reg_operand(in, a->size, a);
			return 0;
		case 0x86:	/* XCHG r/m8, r8 */
		case 0x87:	/* XCHG r/m, r */
			a->size = in->opcode == 0x86 ? 1 : opsz;
			a->read = a->write = true;
			a->dst_size = a->size;
			reg_operand(in, a->size, a);
			a->value = reg_value(a, regs);
			return 0;
		case 0xc6:	/* MOV r/m8, imm8 */
		case 0xc7:	/* MOV r/m, imm16/32 (sign-extended to 64) */
			if ((in->modrm >> 3) & 7)
				return -EOPNOTSUPP;
			a->size = in->opcode == 0xc6 ? 1 : opsz;
			a->write = true;
			a->value = in->imm;
			if (a->size == 8)
				a->value = (u64)(s64)(s32)in->imm;
			a->value &= width_mask(a->size);
			return 0;
		case 0xa0:	/* MOV AL, moffs8 */
		case 0xa1:	/* MOV rAX, moffs */
			a->size = in->opcode == 0xa0 ? 1 : opsz;
			a->read = true;
			a->dst_size = a->size;
			a->reg = 0;
			return 0;
		case 0xa2:	/* MOV moffs8, AL */
		case 0xa3:	/* MOV moffs, rAX */
			a->size = in->opcode == 0xa2 ? 1 : opsz;
			a->write = true;
			a->reg = 0;
			a->value = reg_value(a, regs);
			return 0;
		}
		return -EOPNOTSUPP;
	}
	if (in->map == INSN_MAP_0F) {
		switch (in->opcode) {
		case 0xb6:	/* MOVZX r, r/m8 */
		case 0xb7:	/* MOVZX r, r/m16 */
		case 0xbe:	/* MOVSX r, r/m8 */
		case 0xbf:	/* MOVSX r, r/m16 */
			a->size = (in->opcode & 1) ? 2 : 1;
			a->read = true;
			a->dst_size = opsz;
			a->sign_extend = in->opcode >= 0xbe;
			a->reg = ((in->modrm >> 3) & 7) | ((in->rex & 4) ? 8 : 0);
			return 0;
		}
	}
	return -EOPNOTSUPP;
}

/* 16-bit ModRM forms (SDM vol. 2 table 2-1): base + index registers. */
static u64 ea16(const struct insn *in, const struct guest_regs *r)
{
	static const s8 base[8] = { 3, 3, 5, 5, -1, -1, 5, 3 };	/* BX/BP */
	static const s8 index[8] = { 6, 7, 6, 7, 6, 7, -1, -1 };	/* SI/DI */
	u8 mod = in->modrm >> 6, rm = in->modrm & 7;
	struct guest_regs *g = (struct guest_regs *)r;
	u64 ea = (u64)in->disp;

	if (mod == 0 && rm == 6)
		return ea;		/* disp16 alone */
	if (base[rm] >= 0)
		ea += *gpr(g, base[rm]);
	if (index[rm] >= 0)
		ea += *gpr(g, index[rm]);
	return ea;
}

int mmio_insn_ea(const struct insn *in, const struct guest_regs *regs,
		 u64 next_rip, bool mode64, u64 *ea)
{
	struct guest_regs *g = (struct guest_regs *)regs;
	u64 mask = in->addr_size == 8 ? ~0ULL :
		   in->addr_size == 4 ? 0xffffffffULL : 0xffffULL;
	u8 mod = in->modrm >> 6, rm = in->modrm & 7;
	u64 v;

	if (in->map == INSN_MAP_1 && in->opcode >= 0xa0 && in->opcode <= 0xa3) {
		*ea = in->imm & mask;		/* moffs */
		return 0;
	}
	if (!in->has_modrm || mod == 3)
		return -EINVAL;
	if (in->addr_size == 2) {
		*ea = ea16(in, regs) & mask;
		return 0;
	}
	v = (u64)in->disp;
	if (rm == 4) {				/* SIB */
		u8 b = (in->sib & 7) | ((in->rex & 1) ? 8 : 0);
		u8 x = ((in->sib >> 3) & 7) | ((in->rex & 2) ? 8 : 0);

		if (x != 4)
			v += *gpr(g, x) << (in->sib >> 6);
		if (!((in->sib & 7) == 5 && mod == 0))
			v += *gpr(g, b);
	} else if (rm == 5 && mod == 0) {
		/* disp32 alone; RIP-relative in 64-bit mode (a REX.B-less 5). */
		if (mode64)
			v += next_rip;
	} else {
		v += *gpr(g, rm | ((in->rex & 1) ? 8 : 0));
	}
	*ea = v & mask;
	return 0;
}

bool mmio_insn_matches(const struct mmio_access *a, gpa_t gpa,
		       gpa_t fault_gpa, bool fault_write)
{
	if (fault_gpa < gpa || fault_gpa - gpa >= a->size)
		return false;
	if (a->read && a->write)
		return true;
	return a->write == fault_write;
}

void mmio_insn_complete(const struct mmio_access *a, struct guest_regs *regs,
			u64 val)
{
	u64 *r = gpr(regs, a->reg);

	val &= width_mask(a->size);
	if (a->sign_extend) {
		u8 shift = 64 - a->size * 8;

		val = (u64)((s64)(val << shift) >> shift);
	}
	if (a->high_byte) {
		*r = (*r & ~0xff00ULL) | ((val & 0xff) << 8);
		return;
	}
	switch (a->dst_size) {
	case 1:
	case 2:
		*r = (*r & ~width_mask(a->dst_size)) |
		     (val & width_mask(a->dst_size));
		break;
	case 4:
		*r = (u32)val;		/* 32-bit results zero-extend */
		break;
	default:
		*r = val;
		break;
	}
}
