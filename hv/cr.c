// SPDX-License-Identifier: GPL-2.0
/*
 * MOV to CR4 and CR8 exits (a backend that cannot keep these bits from the
 * guest by itself intercepts CR4 writes, and CR8 writes while the TPR
 * holds an interrupt back; others emulate their CR accesses in the
 * backend). A MOV to CR8 sets the local
 * APIC's TPR[7:4] (SDM vol. 3 11.8.6).
 * A CR4 bit is the guest's only if CPUID offers it the feature
 * (cpuid_cr4_allowed()): hardware may accept more, LA57 say, which the
 * guest must not get. The rules of the write are x86_cr4_write_ok().
 */
#include <arch/x86/cpu.h>
#include <arch/x86/insn.h>
#include <hv/errno.h>
#include <hv/gmem.h>
#include <hv/handlers.h>
#include <hv/vcpu.h>

/* General register @n in x86 encoding order (0 = rAX ... 15 = r15). */
static u64 gpr_value(const struct guest_regs *r, u32 n)
{
	const u64 v[16] = {
		r->rax, r->rcx, r->rdx, r->rbx, r->rsp, r->rbp, r->rsi, r->rdi,
		r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15,
	};

	return v[n & 15];
}

/* The source register of the MOV to CR@cr at RIP, or a negative errno. */
static int decode_source(struct vcpu *vcpu, const struct vcpu_sregs *s,
			 u32 cr)
{
	u8 bytes[INSN_MAX_LEN];
	struct insn in;
	int n = gva_fetch(vcpu, s, vcpu->regs.rip, bytes, sizeof(bytes));

	if (n <= 0)
		return n ? n : -EFAULT;
	if (insn_decode(bytes, n, gmem_insn_mode(s), &in) < 0 ||
	    in.map != INSN_MAP_0F || in.opcode != 0x22)
		return -EINVAL;
	n = ((in.modrm >> 3) & 7) | ((in.rex & 4) ? 8 : 0);
	/* LOCK MOV CR0 is CR8 on AMD (APM vol. 3 "MOV CRn"). */
	if (n == 0 && (in.prefixes & INSN_P_LOCK))
		n = 8;
	if ((u32)n != cr)
		return -EINVAL;
	return (in.modrm & 7) | ((in.rex & 1) ? 8 : 0);
}

int handle_cr_write(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct vcpu_sregs s;
	int gpr = exit->cr.gpr;
	u64 val;

	if (exit->cr.num != 4 && exit->cr.num != 8)
		return -EINVAL;
	virt->get_sregs(vcpu, &s);
	if (gpr < 0)
		gpr = decode_source(vcpu, &s, exit->cr.num);
	if (gpr < 0)
		return gpr;
	val = gpr_value(&vcpu->regs, (u32)gpr);
	if (gmem_insn_mode(&s) != INSN_MODE_64)
		val = (u32)val;
	if (exit->cr.num == 8) {
		if (val >> 4) {			/* bits 63:4 reserved */
			vcpu_inject_gp(vcpu);
			return EXIT_RESUME;
		}
		vcpu->lapic.tpr = (u32)val << 4;
		return vcpu_skip_insn(vcpu, exit);
	}
	if (!x86_cr4_write_ok(s.cr4, val, s.efer & X86_EFER_LMA, s.cr3,
			      vcpu->cr4_allowed)) {
		vcpu_inject_gp(vcpu);
		return EXIT_RESUME;
	}
	s.cr4 = val;
	virt->set_sregs(vcpu, &s);
	return vcpu_skip_insn(vcpu, exit);
}
