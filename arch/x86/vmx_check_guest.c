// SPDX-License-Identifier: GPL-2.0
/*
 * VM-entry checks on the guest-state area (SDM vol. 3 26.3): control
 * registers, MSRs, segment registers, descriptor tables, RIP and RFLAGS,
 * and non-register state, replayed on the current VMCS when an entry
 * fails with exit reason 33 (vmx_check.c explains the diagnosis).
 */
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <arch/x86/vmx_check.h>
#include <arch/x86/vmx_ops.h>

/* The rules shared by all segments: reserved AR bits, limit vs. G. */
static void check_seg_common(struct diag *d, const char *name, u32 ar,
			     u32 limit)
{
	if (ar & 0xfffe0f00)
		diag_fail(d, "26.3.1.2", "guest %s access rights %#x have reserved bits 11:8 or 31:17 set",
			  name, ar);
	if ((limit & 0xfff) != 0xfff && (ar & BIT(15)))
		diag_fail(d, "26.3.1.2", "guest %s limit %#x has bits 11:0 not all 1 but G=1",
			  name, limit);
	if ((limit >> 20) && !(ar & BIT(15)))
		diag_fail(d, "26.3.1.2", "guest %s limit %#x exceeds 1 MiB but G=0",
			  name, limit);
	if (!(ar & BIT(7)))
		diag_fail(d, "26.3.1.2", "guest %s is usable but not present (P=0)", name);
}

static void check_data_seg(struct diag *d, const char *name, u16 sel,
			   u32 ar, u32 limit, u64 base, bool ug, bool fsgs)
{
	u32 type = ar & 15;

	if (ar & AR_UNUSABLE)
		return;
	if (!(type & 1))
		diag_fail(d, "26.3.1.2", "guest %s type %#x lacks the accessed bit", name, type);
	if ((type & 8) && !(type & 2))
		diag_fail(d, "26.3.1.2", "guest %s is an execute-only code segment", name);
	if (!(ar & BIT(4)))
		diag_fail(d, "26.3.1.2", "guest %s must be a code/data segment (S=1)", name);
	if (!ug && type <= 11 && ((ar >> 5) & 3) < (sel & 3))
		diag_fail(d, "26.3.1.2", "guest %s DPL < RPL", name);
	check_seg_common(d, name, ar, limit);
	if (fsgs ? !canonical(base) : (base >> 32))
		diag_fail(d, "26.3.1.2", "guest %s base %#llx invalid", name,
			  (unsigned long long)base);
}

void vmx_check_guest(struct diag *d)
{
	const struct vmx_caps *c = &vmx_caps;
	u32 proc2 = (vmcs_read32(PROC_CONTROLS) & PROC_SECONDARY) ?
		    vmcs_read32(PROC_CONTROLS2) : 0;
	u32 entry = vmcs_read32(ENTRY_CONTROLS);
	bool ug = proc2 & PROC2_UNRESTRICTED;
	bool ia32e = entry & ENTRY_IA32E;
	u64 cr0 = vmcs_readl(GUEST_CR0), cr4 = vmcs_readl(GUEST_CR4);
	u64 f0 = c->cr0_fixed0 & ~(ug ? (u64)(X86_CR0_PE | X86_CR0_PG) : 0);
	u64 rflags = vmcs_readl(GUEST_RFLAGS), rip = vmcs_readl(GUEST_RIP);
	u32 cs_ar = vmcs_read32(GUEST_CS_AR), ss_ar = vmcs_read32(GUEST_SS_AR);
	u32 tr_ar = vmcs_read32(GUEST_TR_AR), ldt_ar = vmcs_read32(GUEST_LDTR_AR);
	u32 cs_type = cs_ar & 15, cs_dpl = (cs_ar >> 5) & 3;
	u32 ss_dpl = (ss_ar >> 5) & 3;
	u32 act = vmcs_read32(GUEST_ACTIVITY);
	u32 intr = vmcs_read32(GUEST_INTERRUPTIBILITY);
	u32 info = vmcs_read32(ENTRY_INTR_INFO);

	/* 26.3.1.1: control registers, debug registers, MSRs. */
	if ((cr0 & f0) != f0 || (cr0 & ~c->cr0_fixed1))
		diag_fail(d, "26.3.1.1", "guest CR0 %#llx violates IA32_VMX_CR0_FIXED0/1 (missing %#llx, forbidden %#llx%s)",
			  (unsigned long long)cr0, (unsigned long long)(f0 & ~cr0),
			  (unsigned long long)(cr0 & ~c->cr0_fixed1),
			  ug ? ", PE/PG relaxed by unrestricted guest" : "");
	if ((cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE))
		diag_fail(d, "26.3.1.1", "guest CR0.PG=1 with CR0.PE=0");
	if ((cr4 & c->cr4_fixed0) != c->cr4_fixed0 || (cr4 & ~c->cr4_fixed1))
		diag_fail(d, "26.3.1.1", "guest CR4 %#llx violates IA32_VMX_CR4_FIXED0/1 (missing %#llx, forbidden %#llx)",
			  (unsigned long long)cr4,
			  (unsigned long long)(c->cr4_fixed0 & ~cr4),
			  (unsigned long long)(cr4 & ~c->cr4_fixed1));
	if (ia32e && (!(cr0 & X86_CR0_PG) || !(cr4 & X86_CR4_PAE)))
		diag_fail(d, "26.3.1.1", "\"IA-32e mode guest\" requires CR0.PG=1 and CR4.PAE=1");
	if (!ia32e && (cr4 & BIT(17)))
		diag_fail(d, "26.3.1.1", "CR4.PCIDE=1 outside IA-32e mode");
	if (beyond_phys(vmcs_readl(GUEST_CR3)))
		diag_fail(d, "26.3.1.1", "guest CR3 %#llx has bits beyond the physical-address width",
			  (unsigned long long)vmcs_readl(GUEST_CR3));
	if ((entry & ENTRY_LOAD_DEBUG) && (vmcs_readl(GUEST_DR7) >> 32))
		diag_fail(d, "26.3.1.1", "guest DR7 bits 63:32 must be 0");
	if (!canonical(vmcs_readl(GUEST_SYSENTER_ESP)) ||
	    !canonical(vmcs_readl(GUEST_SYSENTER_EIP)))
		diag_fail(d, "26.3.1.1", "guest SYSENTER_ESP/EIP not canonical");
	if ((entry & ENTRY_LOAD_PAT) && !pat_ok(vmcs_read64(GUEST_PAT)))
		diag_fail(d, "26.3.1.1", "guest PAT %#llx has a reserved memory type",
			  (unsigned long long)vmcs_read64(GUEST_PAT));
	if (entry & ENTRY_LOAD_EFER) {
		u64 efer = vmcs_read64(GUEST_EFER);

		if (efer & ~(u64)(X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA |
				  X86_EFER_NXE))
			diag_fail(d, "26.3.1.1", "guest EFER %#llx has reserved bits set",
				  (unsigned long long)efer);
		if (!!(efer & X86_EFER_LMA) != ia32e)
			diag_fail(d, "26.3.1.1", "guest EFER.LMA=%u but \"IA-32e mode guest\"=%u",
				  !!(efer & X86_EFER_LMA), ia32e);
		if ((cr0 & X86_CR0_PG) &&
		    !!(efer & X86_EFER_LMA) != !!(efer & X86_EFER_LME))
			diag_fail(d, "26.3.1.1", "guest CR0.PG=1 but EFER.LMA != EFER.LME");
	}

	/* 26.3.1.2: segment registers (virtual-8086 mode is not used). */
	if (rflags & X86_RFLAGS_VM)
		diag_fail(d, "26.3.1.4", "guest RFLAGS.VM=1: perfvisor does not use virtual-8086 guests");
	if (tr_ar & AR_UNUSABLE) {
		diag_fail(d, "26.3.1.2", "guest TR access rights %#x: TR is unusable (bit 16), but TR must be usable",
			  tr_ar);
	} else {
		u32 t = tr_ar & 15;

		if (vmcs_read16(GUEST_TR_SEL) & 4)
			diag_fail(d, "26.3.1.2", "guest TR selector has TI=1");
		if (ia32e ? t != 11 : (t != 3 && t != 11))
			diag_fail(d, "26.3.1.2", "guest TR type %u must be %s", t,
				  ia32e ? "11 (busy 64-bit TSS) in IA-32e mode" :
					  "3 or 11 (busy TSS)");
		if (tr_ar & BIT(4))
			diag_fail(d, "26.3.1.2", "guest TR must be a system segment (S=0)");
		check_seg_common(d, "TR", tr_ar, vmcs_read32(GUEST_TR_LIMIT));
	}
	if (!canonical(vmcs_readl(GUEST_TR_BASE)))
		diag_fail(d, "26.3.1.2", "guest TR base not canonical");
	if (!(ldt_ar & AR_UNUSABLE)) {
		if (vmcs_read16(GUEST_LDTR_SEL) & 4)
			diag_fail(d, "26.3.1.2", "guest LDTR selector has TI=1");
		if ((ldt_ar & 15) != 2 || (ldt_ar & BIT(4)))
			diag_fail(d, "26.3.1.2", "guest LDTR access rights %#x: must be type 2 (LDT), S=0", ldt_ar);
		check_seg_common(d, "LDTR", ldt_ar,
				 vmcs_read32(GUEST_LDTR_LIMIT));
		if (!canonical(vmcs_readl(GUEST_LDTR_BASE)))
			diag_fail(d, "26.3.1.2", "guest LDTR base not canonical");
	}
	if (cs_ar & AR_UNUSABLE) {
		diag_fail(d, "26.3.1.2", "guest CS is unusable");
	} else {
		if (!(cs_type == 9 || cs_type == 11 || cs_type == 13 ||
		      cs_type == 15 || (ug && cs_type == 3)))
			diag_fail(d, "26.3.1.2", "guest CS type %u must be accessed code (9/11/13/15)%s",
				  cs_type, ug ? " or 3 with unrestricted guest" : "");
		if (!(cs_ar & BIT(4)))
			diag_fail(d, "26.3.1.2", "guest CS must be a code segment (S=1)");
		if (cs_type == 3 && cs_dpl)
			diag_fail(d, "26.3.1.2", "guest CS type 3 requires DPL 0");
		if ((cs_type == 9 || cs_type == 11) && cs_dpl != ss_dpl)
			diag_fail(d, "26.3.1.2", "guest non-conforming CS DPL %u != SS DPL %u", cs_dpl, ss_dpl);
		if ((cs_type == 13 || cs_type == 15) && cs_dpl > ss_dpl)
			diag_fail(d, "26.3.1.2", "guest conforming CS DPL %u > SS DPL %u", cs_dpl, ss_dpl);
		if (ia32e && (cs_ar & BIT(13)) && (cs_ar & BIT(14)))
			diag_fail(d, "26.3.1.2", "guest CS.L=1 and CS.D=1 in IA-32e mode");
		check_seg_common(d, "CS", cs_ar, vmcs_read32(GUEST_CS_LIMIT));
		if (vmcs_readl(GUEST_CS_BASE) >> 32)
			diag_fail(d, "26.3.1.2", "guest CS base bits 63:32 must be 0");
	}
	if (!(ss_ar & AR_UNUSABLE)) {
		if ((ss_ar & 15) != 3 && (ss_ar & 15) != 7)
			diag_fail(d, "26.3.1.2", "guest SS type %u must be 3 or 7 (read/write data)", ss_ar & 15);
		if (!(ss_ar & BIT(4)))
			diag_fail(d, "26.3.1.2", "guest SS must be a data segment (S=1)");
		check_seg_common(d, "SS", ss_ar, vmcs_read32(GUEST_SS_LIMIT));
		if (vmcs_readl(GUEST_SS_BASE) >> 32)
			diag_fail(d, "26.3.1.2", "guest SS base bits 63:32 must be 0");
	}
	if (!ug && (vmcs_read16(GUEST_SS_SEL) & 3) != (vmcs_read16(GUEST_CS_SEL) & 3))
		diag_fail(d, "26.3.1.2", "guest SS.RPL != CS.RPL");
	if ((!(cr0 & X86_CR0_PE) || cs_type == 3) && ss_dpl)
		diag_fail(d, "26.3.1.2", "guest SS.DPL must be 0 in real mode or with CS type 3");
	check_data_seg(d, "DS", vmcs_read16(GUEST_DS_SEL),
		       vmcs_read32(GUEST_DS_AR), vmcs_read32(GUEST_DS_LIMIT),
		       vmcs_readl(GUEST_DS_BASE), ug, false);
	check_data_seg(d, "ES", vmcs_read16(GUEST_ES_SEL),
		       vmcs_read32(GUEST_ES_AR), vmcs_read32(GUEST_ES_LIMIT),
		       vmcs_readl(GUEST_ES_BASE), ug, false);
	check_data_seg(d, "FS", vmcs_read16(GUEST_FS_SEL),
		       vmcs_read32(GUEST_FS_AR), vmcs_read32(GUEST_FS_LIMIT),
		       vmcs_readl(GUEST_FS_BASE), ug, true);
	check_data_seg(d, "GS", vmcs_read16(GUEST_GS_SEL),
		       vmcs_read32(GUEST_GS_AR), vmcs_read32(GUEST_GS_LIMIT),
		       vmcs_readl(GUEST_GS_BASE), ug, true);

	/* 26.3.1.3: descriptor-table registers. */
	if (!canonical(vmcs_readl(GUEST_GDTR_BASE)) ||
	    !canonical(vmcs_readl(GUEST_IDTR_BASE)))
		diag_fail(d, "26.3.1.3", "guest GDTR/IDTR base not canonical");
	if ((vmcs_read32(GUEST_GDTR_LIMIT) | vmcs_read32(GUEST_IDTR_LIMIT)) >> 16)
		diag_fail(d, "26.3.1.3", "guest GDTR/IDTR limit bits 31:16 must be 0");

	/* 26.3.1.4: RIP and RFLAGS. */
	if (!(ia32e && (cs_ar & BIT(13))) ? (rip >> 32) != 0 : !canonical(rip))
		diag_fail(d, "26.3.1.4", "guest RIP %#llx invalid for the mode (bits 63:32 outside 64-bit code, else canonical)",
			  (unsigned long long)rip);
	if ((rflags & 0xffffffffffc08028ULL) || !(rflags & X86_RFLAGS_FIXED))
		diag_fail(d, "26.3.1.4", "guest RFLAGS %#llx: reserved bits must be 0 and bit 1 must be 1",
			  (unsigned long long)rflags);
	if ((info & INTR_INFO_VALID) &&
	    ((info >> INTR_INFO_TYPE_SHIFT) & 7) == INTR_TYPE_EXT &&
	    !(rflags & X86_RFLAGS_IF))
		diag_fail(d, "26.3.1.4", "injecting an external interrupt with RFLAGS.IF=0");

	/* 26.3.1.5: non-register state. */
	if (act > 3 || (act && !(c->misc & BIT(5 + act))))
		diag_fail(d, "26.3.1.5", "guest activity state %u is not supported (IA32_VMX_MISC[8:6])", act);
	if (act == 1 && ss_dpl)
		diag_fail(d, "26.3.1.5", "HLT activity state requires SS.DPL 0");
	if (intr & ~0x1fU)
		diag_fail(d, "26.3.1.5", "guest interruptibility %#x has reserved bits set", intr);
	if ((intr & INTERRUPTIBILITY_STI) && (intr & INTERRUPTIBILITY_MOVSS))
		diag_fail(d, "26.3.1.5", "blocking by STI and by MOV SS both set");
	if ((intr & INTERRUPTIBILITY_STI) && !(rflags & X86_RFLAGS_IF))
		diag_fail(d, "26.3.1.5", "blocking by STI with RFLAGS.IF=0");
	if ((info & INTR_INFO_VALID) &&
	    ((info >> INTR_INFO_TYPE_SHIFT) & 7) == INTR_TYPE_NMI &&
	    (vmcs_read32(PIN_CONTROLS) & PIN_VIRTUAL_NMI) &&
	    (intr & INTERRUPTIBILITY_NMI))
		diag_fail(d, "26.3.1.5", "injecting an NMI with blocking by NMI set (\"virtual NMIs\" on)");
	if (vmcs_read64(VMCS_LINK_POINTER) != ~0ULL)
		diag_fail(d, "26.3.1.5", "VMCS link pointer %#llx must be FFFFFFFF_FFFFFFFFh (no shadow VMCS)",
			  (unsigned long long)vmcs_read64(VMCS_LINK_POINTER));
}
