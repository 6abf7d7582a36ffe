/* sources: arch/x86/insn.c */
/* flags: -max_len=32 */
// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 instruction decoder (arch/x86/insn.c) on any bytes in each
 * mode, as hv/vcpu.c and hv/io.c call it on up to 15 fetched bytes. The
 * input buffer is exactly the bytes given, so ASan reports a read past
 * @avail. Checks the decoder's own rules: a length of 1..15 within the
 * bytes, fields that add up to that length, and -EAGAIN (never another
 * answer) for every shorter prefix of a decoded instruction.
 */
#include "fuzz.h"
#include <arch/x86/insn.h>

FUZZ_NOCOV
static bool same(const struct insn *a, const struct insn *b)
{
	return a->len == b->len && a->prefixes == b->prefixes &&
	       a->seg == b->seg && a->rex == b->rex && a->map == b->map &&
	       a->opcode == b->opcode && a->has_modrm == b->has_modrm &&
	       a->modrm == b->modrm && a->has_sib == b->has_sib &&
	       a->sib == b->sib && a->disp_len == b->disp_len &&
	       a->disp == b->disp && a->imm_len == b->imm_len &&
	       a->imm == b->imm && a->op_size == b->op_size &&
	       a->addr_size == b->addr_size;
}

FUZZ_NOCOV
static void check(const u8 *b, size_t n, enum insn_mode mode)
{
	struct insn in, again;
	int len = insn_decode(b, n, mode, &in);
	unsigned int fixed;

	if (len < 0) {
		CHECK(len == -EAGAIN || len == -EINVAL);
		if (len == -EAGAIN)
			CHECK(n < INSN_MAX_LEN);
		return;
	}
	CHECK(len >= 1 && len <= INSN_MAX_LEN && (size_t)len <= n);
	CHECK(in.len == len);
	CHECK(in.op_size == 2 || in.op_size == 4 || in.op_size == 8);
	CHECK(in.addr_size == 2 || in.addr_size == 4 || in.addr_size == 8);
	CHECK(mode == INSN_MODE_64 || (in.addr_size != 8 && !in.rex));
	CHECK(in.disp_len == 0 || in.disp_len == 1 || in.disp_len == 2 ||
	      in.disp_len == 4);
	CHECK(in.imm_len <= 8);
	CHECK(in.seg <= 5);
	CHECK(in.has_modrm || (!in.has_sib && !in.disp_len));
	/* Opcode bytes, ModRM, SIB, displacement and immediates fit. */
	fixed = 1 + in.has_modrm + in.has_sib + in.disp_len + in.imm_len;
	CHECK(fixed <= (unsigned int)len);

	/* The same bytes, exactly as many: the same instruction. */
	CHECK(insn_decode(b, len, mode, &again) == len);
	CHECK(same(&in, &again));
	CHECK(insn_decode(b, n, mode, NULL) == len);
	for (int k = 0; k < len; k++)
		CHECK(insn_decode(b, k, mode, NULL) == -EAGAIN);
}

FUZZ_NOCOV
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *b;

	/* Exactly @n readable bytes for each length the hypervisor passes. */
	for (size_t n = size < INSN_MAX_LEN ? size : INSN_MAX_LEN;; n = size) {
		b = malloc(n ? n : 1);
		memcpy(b, data, n);
		check(b, n, INSN_MODE_16);
		check(b, n, INSN_MODE_32);
		check(b, n, INSN_MODE_64);
		free(b);
		if (n == size)
			break;
	}
	return 0;
}
