/* sources: arch/x86/insn.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the instruction decoder (arch/x86/insn.c): invalid
 * encodings (-EINVAL), the 15-byte limit, the decoded fields (ModRM, SIB,
 * displacement, immediates, moffs, opcode maps), and random bytes
 * (test_insn.c: the lengths).
 */
#include "unit.h"
#include <arch/x86/insn.h>

static enum insn_mode mode_of(int m)
{
	return m == 16 ? INSN_MODE_16 : m == 32 ? INSN_MODE_32 : INSN_MODE_64;
}

struct inv_case {
	int mode;
	const char *bytes;
	size_t len;
};

#define I(m, b) { m, b, sizeof(b) - 1 }

static const struct inv_case inv_cases[] = {
	/* One-byte opcodes that are #UD in 64-bit mode. */
	I(64, "\x06"), I(64, "\x07"), I(64, "\x0e"), I(64, "\x16"),
	I(64, "\x17"), I(64, "\x1e"), I(64, "\x1f"), I(64, "\x27"),
	I(64, "\x2f"), I(64, "\x37"), I(64, "\x3f"), I(64, "\x60"),
	I(64, "\x61"), I(64, "\x82\xc0\x01"), I(64, "\x9a\x00\x00\x00\x00\x08\x00"),
	I(64, "\xce"), I(64, "\xd4\x0a"), I(64, "\xd5\x0a"), I(64, "\xd6"),
	I(64, "\xea\x00\x00\x00\x00\x08\x00"),
	I(64, "\x66\x06"), I(64, "\x48\x60"), I(64, "\xf3\x3e\x27"),
	/* 62 in 64-bit mode is EVEX: P1 bit 2 must be 1. */
	I(64, "\x62\x07\x00\x00\x00"),
	/* VEX/EVEX/XOP with an invalid map. */
	I(64, "\xc4\xe0\x7d\x00\xc1"), I(64, "\xc4\xe4\x7d\x00\xc1"),
	I(64, "\x62\xf0\x7c\x48\x28\xc1"), I(64, "\x62\xf4\x7c\x48\x28\xc1"),
	I(32, "\x8f\xe7\x78\xc2\xc1\x01"), I(64, "\x8f\xeb\x78\xc2\xc1\x01"),
	/* 66, F2, F3, LOCK or REX before VEX/EVEX is #UD. */
	I(64, "\x66\xc5\xf9\x6f\x07"), I(64, "\xf3\xc5\xf9\x6f\x07"),
	I(64, "\xf2\xc4\xe2\x7d\x00\xc1"), I(64, "\xf0\xc5\xf8\x77"),
	I(64, "\x48\xc5\xf8\x77"), I(64, "\x66\x62\xf1\x7c\x48\x28\xc1"),
	I(32, "\x66\xc5\xf8\x77"),
	/* Undefined two-byte opcodes. */
	I(64, "\x0f\x04"), I(64, "\x0f\x0a"), I(32, "\x0f\x0c"),
	I(64, "\x0f\x24\xc0"), I(32, "\x0f\x26\xc0"), I(64, "\x0f\x36"),
	I(16, "\x0f\x39"), I(64, "\x0f\x3b"), I(64, "\x0f\x3f"),
	I(64, "\x0f\x7a\xc0"), I(32, "\x0f\x7b\xc0"),
};

static void test_invalid(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(inv_cases); i++) {
		const struct inv_case *c = &inv_cases[i];
		int ret = insn_decode((const u8 *)c->bytes, c->len,
				      mode_of(c->mode), NULL);

		if (ret != -EINVAL)
			print_message("case %zu (%d-bit): %d\n", i, c->mode,
				      ret);
		assert_int_equal(ret, -EINVAL);
	}
	/* The same bytes are fine outside 64-bit mode. */
	assert_int_equal(insn_decode((const u8 *)"\x06", 1, INSN_MODE_32,
				     NULL), 1);
	assert_int_equal(insn_decode((const u8 *)"\xd4\x0a", 2, INSN_MODE_16,
				     NULL), 2);
	/* A bad mode. */
	assert_int_equal(insn_decode((const u8 *)"\x90", 1, (enum insn_mode)7,
				     NULL), -EINVAL);
}

static void test_15_byte_limit(void **state)
{
	u8 buf[32];
	struct insn in;

	(void)state;
	/* 14 prefixes + NOP: 15 bytes, allowed. */
	memset(buf, 0x66, sizeof(buf));
	buf[14] = 0x90;
	assert_int_equal(insn_decode(buf, sizeof(buf), INSN_MODE_64, &in), 15);
	assert_int_equal(in.len, 15);
	/* 15 prefixes + NOP: #GP. */
	buf[14] = 0x66;
	buf[15] = 0x90;
	assert_int_equal(insn_decode(buf, sizeof(buf), INSN_MODE_64, NULL),
			 -EINVAL);
	/* Only 15 bytes readable, all prefixes: still too long. */
	assert_int_equal(insn_decode(buf, 15, INSN_MODE_32, NULL), -EINVAL);
	/* But 10 readable prefixes might still become an instruction. */
	assert_int_equal(insn_decode(buf, 10, INSN_MODE_32, NULL), -EAGAIN);
	/* Long valid instruction pushed over the limit by prefixes. */
	memcpy(buf, "\x66\x66\x66\x66\x66\x66\x66\x66"
		    "\x48\xb8\x01\x02\x03\x04\x05\x06\x07\x08", 18);
	assert_int_equal(insn_decode(buf, 18, INSN_MODE_64, NULL), -EINVAL);
	assert_int_equal(insn_decode(buf + 6, 12, INSN_MODE_64, NULL), 12);
	assert_int_equal(insn_decode(buf + 5, 13, INSN_MODE_64, NULL), 13);
	/* Mixed and repeated prefixes, REX in between. */
	memcpy(buf, "\xf0\xf2\xf3\x2e\x3e\x26\x64\x65\x36\x66\x67\x48\x90",
	       13);
	assert_int_equal(insn_decode(buf, 13, INSN_MODE_64, &in), 13);
	assert_int_equal(in.prefixes, INSN_P_LOCK | INSN_P_REP | INSN_P_REPNE |
				      INSN_P_SEG | INSN_P_OPSIZE |
				      INSN_P_ADSIZE);
	assert_int_equal(in.seg, 2);
	assert_int_equal(in.rex, 0x48);
}

static struct insn dec(int mode, const char *b, size_t len)
{
	struct insn in;

	memset(&in, 0xee, sizeof(in));
	assert_int_equal(insn_decode((const u8 *)b, len, mode_of(mode), &in),
			 (int)len);
	assert_int_equal(in.len, len);
	return in;
}

#define DEC(m, b) dec(m, b, sizeof(b) - 1)

static void test_fields_modrm_sib_disp(void **state)
{
	struct insn in;

	(void)state;
	/* mov [rsp+0x100], rax */
	in = DEC(64, "\x48\x89\x84\x24\x00\x01\x00\x00");
	assert_int_equal(in.rex, 0x48);
	assert_int_equal(in.prefixes, 0);
	assert_int_equal(in.map, INSN_MAP_1);
	assert_int_equal(in.opcode, 0x89);
	assert_true(in.has_modrm);
	assert_int_equal(in.modrm, 0x84);
	assert_true(in.has_sib);
	assert_int_equal(in.sib, 0x24);
	assert_int_equal(in.disp_len, 4);
	assert_int_equal(in.disp, 0x100);
	assert_int_equal(in.imm_len, 0);
	assert_int_equal(in.imm, 0);
	assert_int_equal(in.op_size, 8);
	assert_int_equal(in.addr_size, 8);
	assert_int_equal(in.seg, 2);		/* rsp-based: SS */

	/* mov rax, fs:[0x28] */
	in = DEC(64, "\x64\x48\x8b\x04\x25\x28\x00\x00\x00");
	assert_int_equal(in.prefixes, INSN_P_SEG);
	assert_int_equal(in.seg, 4);
	assert_true(in.has_sib);
	assert_int_equal(in.disp, 0x28);

	/* mov eax, [rip-16]: negative disp sign-extended. */
	in = DEC(64, "\x8b\x05\xf0\xff\xff\xff");
	assert_int_equal(in.modrm, 0x05);
	assert_false(in.has_sib);
	assert_int_equal(in.disp_len, 4);
	assert_int_equal(in.disp, -16);
	assert_int_equal(in.op_size, 4);
	assert_int_equal(in.seg, 3);

	/* mov eax, [r13+0]: REX.B does not make it RIP-relative; not SS. */
	in = DEC(64, "\x41\x8b\x45\x00");
	assert_int_equal(in.disp_len, 1);
	assert_int_equal(in.disp, 0);
	assert_int_equal(in.seg, 3);
	in = DEC(64, "\x8b\x45\xf8");		/* [rbp-8]: SS */
	assert_int_equal(in.disp, -8);
	assert_int_equal(in.seg, 2);

	/* 16-bit: mov ax, [bp+8] (SS), mov ax, [disp16] */
	in = DEC(16, "\x8b\x46\x08");
	assert_int_equal(in.addr_size, 2);
	assert_int_equal(in.op_size, 2);
	assert_int_equal(in.disp_len, 1);
	assert_int_equal(in.disp, 8);
	assert_int_equal(in.seg, 2);
	in = DEC(16, "\x26\x8b\x06\x34\x82");
	assert_int_equal(in.disp_len, 2);
	assert_int_equal(in.disp, (s16)0x8234);
	assert_int_equal(in.seg, 0);
	assert_int_equal(in.prefixes, INSN_P_SEG);

	/* MOV CR ignores mod: mov cr0 with "mod 0" is 3 bytes. */
	in = DEC(64, "\x0f\x20\x00");
	assert_int_equal(in.map, INSN_MAP_0F);
	assert_int_equal(in.opcode, 0x20);
	assert_int_equal(in.disp_len, 0);
	assert_false(in.has_sib);

	/* REX followed by a legacy prefix is ignored. */
	in = DEC(64, "\x48\x66\x89\x07");
	assert_int_equal(in.rex, 0);
	assert_int_equal(in.op_size, 2);
	/* The last segment override wins. */
	in = DEC(64, "\x2e\x3e\x65\x8b\x07");
	assert_int_equal(in.seg, 5);
}

static void test_fields_imm_moffs(void **state)
{
	struct insn in;

	(void)state;
	in = DEC(64, "\x48\xb8\xef\xcd\xab\x89\x67\x45\x23\x01");
	assert_int_equal(in.op_size, 8);
	assert_int_equal(in.imm_len, 8);
	assert_int_equal(in.imm, 0x0123456789abcdefULL);
	assert_false(in.has_modrm);

	in = DEC(64, "\xb8\xff\xff\xff\xff");	/* zero-extended */
	assert_int_equal(in.imm_len, 4);
	assert_int_equal(in.imm, 0xffffffffULL);

	/* moffs: the offset is the immediate, sized by address size. */
	in = DEC(64, "\xa1\x88\x77\x66\x55\x44\x33\x22\x11");
	assert_int_equal(in.imm_len, 8);
	assert_int_equal(in.imm, 0x1122334455667788ULL);
	assert_int_equal(in.addr_size, 8);
	assert_int_equal(in.op_size, 4);
	in = DEC(64, "\x67\xa1\x78\x56\x34\x12");
	assert_int_equal(in.imm_len, 4);
	assert_int_equal(in.addr_size, 4);
	assert_int_equal(in.prefixes, INSN_P_ADSIZE);
	in = DEC(32, "\x67\xa2\x34\x12");
	assert_int_equal(in.imm_len, 2);
	assert_int_equal(in.imm, 0x1234);
	in = DEC(16, "\x66\x67\xa3\x78\x56\x34\x12");
	assert_int_equal(in.op_size, 4);
	assert_int_equal(in.addr_size, 4);
	assert_int_equal(in.imm, 0x12345678);

	/* ENTER iw, ib: 3 immediate bytes, imm is the first. */
	in = DEC(64, "\xc8\x10\x00\x01");
	assert_int_equal(in.imm_len, 3);
	assert_int_equal(in.imm, 0x10);
	assert_int_equal(in.op_size, 8);	/* stack op: 64-bit default */

	/* test byte [rdi+8], 0x81: F6 /0 has an imm8; F6 /2 does not. */
	in = DEC(64, "\xf6\x47\x08\x81");
	assert_int_equal(in.imm_len, 1);
	assert_int_equal(in.imm, 0x81);
	assert_int_equal(in.disp, 8);
	in = DEC(64, "\xf6\x57\x08");
	assert_int_equal(in.imm_len, 0);
	in = DEC(16, "\xf7\xc1\x34\x12");
	assert_int_equal(in.imm_len, 2);
	assert_int_equal(in.imm, 0x1234);

	/* Far jmp ptr16:32 in 32-bit mode. */
	in = DEC(32, "\xea\x78\x56\x34\x12\x08\x00");
	assert_int_equal(in.imm_len, 6);
	assert_int_equal(in.imm, 0x12345678);

	/* out 0xf4, ax (debug-exit port with a 16-bit write). */
	in = DEC(64, "\x66\xe7\xf4");
	assert_int_equal(in.op_size, 2);
	assert_int_equal(in.imm, 0xf4);
	assert_int_equal(in.prefixes, INSN_P_OPSIZE);

	/* rep stosq */
	in = DEC(64, "\xf3\x48\xab");
	assert_int_equal(in.prefixes, INSN_P_REP);
	assert_int_equal(in.rex, 0x48);
	assert_int_equal(in.op_size, 8);

	/* push imm8 in 64-bit mode: 64-bit operand. */
	in = DEC(64, "\x6a\xff");
	assert_int_equal(in.op_size, 8);
	assert_int_equal(in.imm, 0xff);
	in = DEC(64, "\xff\xd0");		/* call rax */
	assert_int_equal(in.op_size, 8);
	in = DEC(64, "\xff\xc0");		/* inc eax */
	assert_int_equal(in.op_size, 4);
}

static void test_fields_maps(void **state)
{
	struct insn in;

	(void)state;
	in = DEC(64, "\x0f\x01\xd9");		/* vmmcall */
	assert_int_equal(in.map, INSN_MAP_0F);
	assert_int_equal(in.opcode, 0x01);
	assert_int_equal(in.modrm, 0xd9);
	in = DEC(64, "\x0f\xa2");		/* cpuid */
	assert_int_equal(in.map, INSN_MAP_0F);
	assert_int_equal(in.opcode, 0xa2);
	assert_false(in.has_modrm);
	in = DEC(64, "\x66\x0f\x38\x00\x01");
	assert_int_equal(in.map, INSN_MAP_0F38);
	assert_int_equal(in.opcode, 0x00);
	in = DEC(64, "\x66\x0f\x3a\x0f\xc1\x08");
	assert_int_equal(in.map, INSN_MAP_0F3A);
	assert_int_equal(in.imm, 8);
	in = DEC(64, "\x0f\x0f\xc1\xb4");	/* pfmul */
	assert_int_equal(in.map, INSN_MAP_3DNOW);
	assert_int_equal(in.opcode, 0xb4);
	in = DEC(64, "\xc4\xe2\x7d\x00\xc1");	/* vpshufb ymm */
	assert_int_equal(in.prefixes, INSN_P_VEX);
	assert_int_equal(in.map, INSN_MAP_0F38);
	assert_int_equal(in.opcode, 0x00);
	assert_int_equal(in.modrm, 0xc1);
	in = DEC(64, "\xc5\xf8\x77");		/* vzeroupper */
	assert_int_equal(in.map, INSN_MAP_0F);
	assert_false(in.has_modrm);
	in = DEC(64, "\x62\xf1\xfd\x48\x6f\x44\x24\x01");
	assert_int_equal(in.prefixes, INSN_P_EVEX);
	assert_int_equal(in.op_size, 8);	/* EVEX.W */
	assert_int_equal(in.disp, 1);		/* raw disp8, not scaled */
	in = DEC(64, "\x8f\xea\x78\x10\xc0\x78\x56\x34\x12");
	assert_int_equal(in.prefixes, INSN_P_XOP);
	assert_int_equal(in.map, INSN_MAP_OTHER);
	assert_int_equal(in.imm_len, 4);
	assert_int_equal(in.imm, 0x12345678);
	/* 32-bit: C4 with a memory ModRM is LES, with mod 3 VEX. */
	in = DEC(32, "\xc4\x07");
	assert_int_equal(in.map, INSN_MAP_1);
	assert_int_equal(in.prefixes, 0);
	in = DEC(32, "\xc4\xe2\x7d\x00\xc1");
	assert_int_equal(in.prefixes, INSN_P_VEX);
	/* 32-bit: 40 is INC eax, no REX. */
	in = DEC(32, "\x40");
	assert_int_equal(in.rex, 0);
	assert_int_equal(in.opcode, 0x40);
	/* 8F /0 is POP, not XOP. */
	in = DEC(64, "\x8f\x00");
	assert_int_equal(in.prefixes, 0);
	assert_int_equal(in.op_size, 8);
	in = DEC(64, "\xf0\x0f\xb1\x0f");	/* lock cmpxchg */
	assert_int_equal(in.prefixes, INSN_P_LOCK);
	in = DEC(64, "\x66\x0f\x78\xc0\x04\x08");	/* extrq */
	assert_int_equal(in.imm_len, 2);
	assert_int_equal(in.imm, 4);
	/* A NULL out is allowed. */
	assert_int_equal(insn_decode((const u8 *)"\xf4", 1, INSN_MODE_64,
				     NULL), 1);
}

/* Random bytes: never crash, never read past @avail, sane results. */
static void test_random_bytes(void **state)
{
	unsigned int seed = 2024;

	(void)state;
	for (int iter = 0; iter < 60000; iter++) {
		size_t avail;
		u8 *p;
		struct insn in;
		int ret;

		seed = seed * 1103515245 + 12345;
		avail = (seed >> 16) % 18;
		p = malloc(avail ? avail : 1);
		for (size_t i = 0; i < avail; i++) {
			seed = seed * 1103515245 + 12345;
			p[i] = seed >> 16;
		}
		ret = insn_decode(p, avail, mode_of(16 << (iter % 3)), &in);
		if (ret > 0) {
			assert_true(ret <= INSN_MAX_LEN);
			assert_true((size_t)ret <= avail);
			assert_int_equal(in.len, ret);
			assert_true(in.disp_len <= 4);
			assert_true(in.imm_len <= 8);
			assert_true(in.op_size == 2 || in.op_size == 4 ||
				    in.op_size == 8);
			/* Same answer with more bytes available. */
			{
				u8 big[32];
				struct insn in2;

				memset(big, 0xcc, sizeof(big));
				memcpy(big, p, avail);
				assert_int_equal(insn_decode(big, sizeof(big),
					mode_of(16 << (iter % 3)), &in2), ret);
				assert_memory_equal(&in, &in2, sizeof(in));
			}
		} else {
			assert_true(ret == -EAGAIN || ret == -EINVAL);
		}
		free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_15_byte_limit),
		cmocka_unit_test(test_fields_modrm_sib_disp),
		cmocka_unit_test(test_fields_imm_moffs),
		cmocka_unit_test(test_fields_maps),
		cmocka_unit_test(test_random_bytes),
	};

	return cmocka_run_group_tests_name("insn_fields", tests, NULL, NULL);
}
