/* sources: arch/x86/insn.c hv/mmio_insn.c */
/* flags: -max_len=32 */
// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO emulation (hv/mmio_insn.c) after the decoder, as hv/mem_fault.c
 * runs it: the first byte picks the mode, the next up to 15 are the
 * faulting instruction, 8 more (if there) the value a device returns. An
 * instruction the emulator takes becomes one bus access of 1, 2, 4 or 8
 * bytes, and completing a read changes the destination register as the
 * SDM says (vol. 1 3.4.1.1: 32-bit results zero-extend, 8- and 16-bit ones
 * keep the rest) and no other register.
 */
#include "fuzz.h"
#include <hv/mmio.h>
#include <hv/vm.h>

FUZZ_NOCOV
static u64 *gpr(struct guest_regs *r, u8 idx)
{
	u64 *const map[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
		&r->rsi, &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11,
		&r->r12, &r->r13, &r->r14, &r->r15,
	};

	return map[idx];
}

FUZZ_NOCOV
static u64 mask(u8 size)
{
	return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* The destination register after a read of @val, per the SDM. */
FUZZ_NOCOV
static u64 expected(const struct mmio_access *a, u64 old, u64 val)
{
	val &= mask(a->size);
	if (a->sign_extend && (val >> (8 * a->size - 1)) & 1)
		val |= ~mask(a->size);
	if (a->high_byte)
		return (old & ~0xff00ull) | (val & 0xff) << 8;
	if (a->dst_size == 4)
		return val & 0xffffffffull;
	if (a->dst_size == 8)
		return val;
	return (old & ~mask(a->dst_size)) | (val & mask(a->dst_size));
}

FUZZ_NOCOV
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guest_regs regs, after;
	struct mmio_access a;
	struct insn in;
	enum insn_mode mode;
	size_t n;
	u64 val = 0x8899aabbccddeeffull, *dst;
	u8 *b;
	int len;

	if (size < 2)
		return 0;
	mode = (enum insn_mode)(data[0] % 3);
	n = size - 1 < INSN_MAX_LEN ? size - 1 : INSN_MAX_LEN;
	b = malloc(n);
	memcpy(b, data + 1, n);
	len = insn_decode(b, n, mode, &in);
	free(b);
	if (len < 0)
		return 0;
	if (size >= 1 + (size_t)len + 8)
		memcpy(&val, data + 1 + len, 8);

	for (u32 i = 0; i < sizeof(regs) / 8; i++)
		((u64 *)&regs)[i] = 0x0101010101010101ull * (i + 1) ^
				    0x8000000080008080ull;
	if (mmio_insn_plan(&in, &regs, &a))
		return 0;

	CHECK(a.size == 1 || a.size == 2 || a.size == 4 || a.size == 8);
	CHECK(a.size <= in.op_size || a.size == 1);
	CHECK(a.read || a.write);
	CHECK(a.reg < 16);
	CHECK(!a.high_byte || (a.size == 1 && a.reg < 4 && !in.rex));
	if (a.write) {
		CHECK(!(a.value & ~mask(a.size)));
		if (!(in.map == INSN_MAP_1 && (in.opcode & 0xfe) == 0xc6)) {
			u64 r = *gpr(&regs, a.reg);

			CHECK(a.value == (a.high_byte ? (r >> 8) & 0xff :
					  r & mask(a.size)));
		}
	}
	if (!a.read)
		return 0;
	CHECK(a.dst_size == 1 || a.dst_size == 2 || a.dst_size == 4 ||
	      a.dst_size == 8);
	CHECK(a.dst_size >= a.size);

	after = regs;
	mmio_insn_complete(&a, &after, val);
	dst = gpr(&after, a.reg);
	CHECK(*dst == expected(&a, *gpr(&regs, a.reg), val));
	*dst = *gpr(&regs, a.reg);
	CHECK(!memcmp(&after, &regs, sizeof(regs)));
	return 0;
}
