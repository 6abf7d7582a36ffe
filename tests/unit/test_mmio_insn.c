/* sources: arch/x86/insn.c hv/mmio_insn.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the MMIO instruction emulation (hv/mmio_insn.c): access
 * size and direction, the value written, the register update of reads,
 * and the operand address checked against the faulting access.
 * Encodings checked with GNU objdump.
 */
#include "unit.h"
#include <hv/mmio.h>
#include <hv/vm.h>

static int plan(const char *b, size_t n, struct guest_regs *r,
		struct mmio_access *a)
{
	struct insn in;

	assert_true(insn_decode((const u8 *)b, n, INSN_MODE_64, &in) > 0);
	return mmio_insn_plan(&in, r, a);
}

#define PLAN(b, r, a) plan(b, sizeof(b) - 1, r, a)

static void test_mov_store(void **state)
{
	struct guest_regs r = { .rax = 0x1122334455667788ULL,
				.r9 = 0xaabbccddeeff0011ULL,
				.rcx = 0x1234 };
	struct mmio_access a;

	(void)state;
	/* mov %eax,(%rdx) */
	assert_int_equal(PLAN("\x89\x02", &r, &a), 0);
	assert_true(a.write && !a.read);
	assert_int_equal(a.size, 4);
	assert_int_equal(a.value, 0x55667788);
	/* mov %r9,0x30(%rdi) */
	assert_int_equal(PLAN("\x4c\x89\x4f\x30", &r, &a), 0);
	assert_int_equal(a.size, 8);
	assert_int_equal(a.value, 0xaabbccddeeff0011ULL);
	/* mov %ch,(%rdx): a high-byte register */
	assert_int_equal(PLAN("\x88\x2a", &r, &a), 0);
	assert_int_equal(a.size, 1);
	assert_int_equal(a.value, 0x12);
	/* mov %cx,(%rdx) */
	assert_int_equal(PLAN("\x66\x89\x0a", &r, &a), 0);
	assert_int_equal(a.size, 2);
	assert_int_equal(a.value, 0x1234);
}

static void test_mov_imm(void **state)
{
	struct guest_regs r = { 0 };
	struct mmio_access a;

	(void)state;
	/* movl $0x1ff,0xf0(%rax) */
	assert_int_equal(PLAN("\xc7\x80\xf0\x00\x00\x00\xff\x01\x00\x00",
			      &r, &a), 0);
	assert_int_equal(a.size, 4);
	assert_int_equal(a.value, 0x1ff);
	/* movq $-1,(%rax): sign-extended */
	assert_int_equal(PLAN("\x48\xc7\x00\xff\xff\xff\xff", &r, &a), 0);
	assert_int_equal(a.size, 8);
	assert_int_equal(a.value, ~0ULL);
	/* movb $0x5,(%rax) */
	assert_int_equal(PLAN("\xc6\x00\x05", &r, &a), 0);
	assert_int_equal(a.size, 1);
	assert_int_equal(a.value, 5);
}

static void test_loads(void **state)
{
	struct guest_regs r = { .rax = ~0ULL, .rbx = ~0ULL, .r12 = ~0ULL };
	struct mmio_access a;

	(void)state;
	/* mov 0x30(%rax),%eax: zero-extends to 64 bits */
	assert_int_equal(PLAN("\x8b\x40\x30", &r, &a), 0);
	assert_true(a.read && !a.write);
	assert_int_equal(a.size, 4);
	mmio_insn_complete(&a, &r, 0x50014);
	assert_int_equal(r.rax, 0x50014);
	/* mov (%rax),%bh: only bits 15:8 change */
	assert_int_equal(PLAN("\x8a\x38", &r, &a), 0);
	mmio_insn_complete(&a, &r, 0x42);
	assert_int_equal(r.rbx, 0xffffffffffff42ffULL);
	/* movzbl (%rax),%r12d */
	assert_int_equal(PLAN("\x44\x0f\xb6\x20", &r, &a), 0);
	assert_int_equal(a.size, 1);
	mmio_insn_complete(&a, &r, 0x1ff);
	assert_int_equal(r.r12, 0xff);
	/* movswq (%rax),%rbx */
	assert_int_equal(PLAN("\x48\x0f\xbf\x18", &r, &a), 0);
	assert_int_equal(a.size, 2);
	mmio_insn_complete(&a, &r, 0x8000);
	assert_int_equal(r.rbx, 0xffffffffffff8000ULL);
	/* mov 0xfee00020,%eax (moffs) */
	assert_int_equal(PLAN("\xa1\x20\x00\xe0\xfe\x00\x00\x00\x00", &r, &a),
			 0);
	assert_int_equal(a.size, 4);
	assert_int_equal(a.reg, 0);
	/* mov (%rax),%ax: upper bits kept */
	r.rax = 0x1111222233334444ULL;
	assert_int_equal(PLAN("\x66\x8b\x00", &r, &a), 0);
	mmio_insn_complete(&a, &r, 0xabcd);
	assert_int_equal(r.rax, 0x111122223333abcdULL);
}

static void test_xchg_and_refused(void **state)
{
	struct guest_regs r = { .rdx = 7 };
	struct mmio_access a;

	(void)state;
	/* xchg %edx,(%rax) */
	assert_int_equal(PLAN("\x87\x10", &r, &a), 0);
	assert_true(a.read && a.write);
	assert_int_equal(a.value, 7);
	mmio_insn_complete(&a, &r, 9);
	assert_int_equal(r.rdx, 9);
	/* add %eax,(%rdx); mov %eax,%edx (no memory); movsd */
	assert_int_equal(PLAN("\x01\x02", &r, &a), -EOPNOTSUPP);
	assert_int_equal(PLAN("\x89\xc2", &r, &a), -EOPNOTSUPP);
	assert_int_equal(PLAN("\xa5", &r, &a), -EOPNOTSUPP);
}

static u64 ea_of(const char *b, size_t n, enum insn_mode mode,
		 const struct guest_regs *r, u64 rip)
{
	struct insn in;
	int len = insn_decode((const u8 *)b, n, mode, &in);
	u64 ea = 0;

	assert_true(len > 0);
	assert_int_equal(mmio_insn_ea(&in, r, rip + len,
				      mode == INSN_MODE_64, &ea), 0);
	return ea;
}

#define EA(b, mode, r, rip) ea_of(b, sizeof(b) - 1, mode, r, rip)

/* The operand address the emulator checks against the faulting GPA. */
static void test_effective_address(void **state)
{
	struct guest_regs r = { .rax = 0xfee00000, .rbx = 0x100,
				.rdx = 0xfec00000, .rsi = 0x10,
				.rdi = 0x20, .rbp = 0x1000,
				.r9 = 0xfee00300, .r12 = 8 };
	struct insn in;
	u64 ea;

	(void)state;
	/* mov %eax,(%rdx) */
	assert_int_equal(EA("\x89\x02", INSN_MODE_64, &r, 0), 0xfec00000);
	/* movl $0x1ff,0xf0(%rax) */
	assert_int_equal(EA("\xc7\x80\xf0\x00\x00\x00\xff\x01\x00\x00",
			    INSN_MODE_64, &r, 0), 0xfee000f0);
	/* mov %ecx,0x10(%r9) (REX.B) */
	assert_int_equal(EA("\x41\x89\x49\x10", INSN_MODE_64, &r, 0),
			 0xfee00310);
	/* mov (%rax,%r12,4),%ecx: SIB with REX.X, scale 4 */
	assert_int_equal(EA("\x42\x8b\x0c\xa0", INSN_MODE_64, &r, 0),
			 0xfee00020);
	/* mov 0xfee000b0,%eax: SIB without base or index, disp32 */
	assert_int_equal(EA("\x8b\x04\x25\xb0\x00\xe0\xfe", INSN_MODE_64,
			    &r, 0), 0xfffffffffee000b0ULL);
	/* mov 0x100(%rip),%eax: relative to the next instruction */
	assert_int_equal(EA("\x8b\x05\x00\x01\x00\x00", INSN_MODE_64, &r,
			    0x40000), 0x40000 + 6 + 0x100);
	/* 32-bit mode: the same ModRM is disp32 alone. */
	assert_int_equal(EA("\x8b\x05\xb0\x00\xe0\xfe", INSN_MODE_32, &r,
			    0x40000), 0xfee000b0);
	/* movabs 0xfee00020,%eax (moffs) */
	assert_int_equal(EA("\xa1\x20\x00\xe0\xfe\x00\x00\x00\x00",
			    INSN_MODE_64, &r, 0), 0xfee00020);
	/* 16-bit: mov %ax,0x4(%bp,%si) and mov %ax,(%bx,%di) */
	assert_int_equal(EA("\x89\x42\x04", INSN_MODE_16, &r, 0), 0x1014);
	assert_int_equal(EA("\x89\x01", INSN_MODE_16, &r, 0), 0x120);
	/* 32-bit address size in 64-bit mode truncates: mov %eax,(%eax) */
	r.rax = 0x1fee00000ULL;
	assert_int_equal(EA("\x67\x89\x00", INSN_MODE_64, &r, 0), 0xfee00000);
	/* A register operand has no address. */
	assert_true(insn_decode((const u8 *)"\x89\xc0", 2, INSN_MODE_64,
				&in) > 0);
	assert_int_equal(mmio_insn_ea(&in, &r, 2, true, &ea), -EINVAL);
}

static void test_access_matches_fault(void **state)
{
	struct mmio_access st = { .size = 4, .write = true };
	struct mmio_access ld = { .size = 4, .read = true };
	struct mmio_access xchg = { .size = 4, .read = true, .write = true };

	(void)state;
	assert_true(mmio_insn_matches(&st, 0xfee000b0, 0xfee000b0, true));
	assert_true(mmio_insn_matches(&st, 0xfee000b0, 0xfee000b3, true));
	/* Another register, or the other direction: not this access. */
	assert_false(mmio_insn_matches(&st, 0xfee000b0, 0xfee000b4, true));
	assert_false(mmio_insn_matches(&st, 0xfee000b0, 0xfee000af, true));
	assert_false(mmio_insn_matches(&st, 0xfee00300, 0xfee000b0, true));
	assert_false(mmio_insn_matches(&st, 0xfee000b0, 0xfee000b0, false));
	assert_false(mmio_insn_matches(&ld, 0xfee00020, 0xfee00020, true));
	assert_true(mmio_insn_matches(&ld, 0xfee00020, 0xfee00020, false));
	assert_true(mmio_insn_matches(&xchg, 0xfee00300, 0xfee00300, true));
	assert_true(mmio_insn_matches(&xchg, 0xfee00300, 0xfee00300, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mov_store),
		cmocka_unit_test(test_mov_imm),
		cmocka_unit_test(test_loads),
		cmocka_unit_test(test_xchg_and_refused),
		cmocka_unit_test(test_effective_address),
		cmocka_unit_test(test_access_matches_fault),
	};

	return cmocka_run_group_tests_name("mmio_insn", tests, NULL, NULL);
}
