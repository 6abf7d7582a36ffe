// SPDX-License-Identifier: GPL-2.0
/*
 * VM-entry failure diagnostics. When VMLAUNCH/VMRESUME fails, the CPU only
 * says "invalid control fields" (VM-instruction error 7), "invalid host
 * state" (8) or exit reason 33 "invalid guest state". This replays the
 * checks of SDM vol. 3 26.2 (controls and host state) and 26.3 (guest
 * state) on the current VMCS and names every rule it breaks: each one is
 * logged, the first goes into the exit record.
 */
#include <stdarg.h>
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <arch/x86/vmx_ops.h>
#include <hv/log.h>
#include <hv/printf.h>
#include <hv/string.h>

struct diag {
	char first[200];
	u32 count;
};

static __printf(3, 4) void fail(struct diag *d, const char *sect,
				const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("vmx check: SDM %s: %s\n", sect, msg);
	if (!d->count++)
		hv_snprintf(d->first, sizeof(d->first), "SDM %s: %s", sect,
			    msg);
}

static bool canonical(u64 a)
{
	return (u64)((s64)(a << 16) >> 16) == a;
}

static bool beyond_phys(u64 a)
{
	return a >> vmx_caps.phys_bits;
}

static bool pat_ok(u64 pat)
{
	for (int i = 0; i < 8; i++) {
		u8 t = pat >> (i * 8);

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

static const char *const insn_errors[] = {
	[1] = "VMCALL in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_insn_error_name(u32 err)
{
	if (err < ARRAY_SIZE(insn_errors) && insn_errors[err])
		return insn_errors[err];
	return "unknown VM-instruction error";
}

static void check_allowed(struct diag *d, const char *name, u32 val,
			  u32 must1, u32 may1)
{
	if ((val & must1) != must1)
		fail(d, "26.2.1", "%s controls %#x lack bits %#x that the capability MSR requires (allowed-0 settings)",
		     name, val, must1 & ~val);
	if (val & ~may1)
		fail(d, "26.2.1", "%s controls %#x set bits %#x that the capability MSR does not allow (allowed-1 settings)",
		     name, val, val & ~may1);
}

/* Error-code delivery rule for hardware exceptions (26.2.1.3). */
static bool exc_has_error(u32 vec)
{
	return vec == 8 || (vec >= 10 && vec <= 14) || vec == 17;
}

static void check_controls(struct diag *d)
{
	const struct vmx_caps *c = &vmx_caps;
	u32 pin = vmcs_read32(PIN_CONTROLS), proc = vmcs_read32(PROC_CONTROLS);
	u32 proc2 = 0, exit = vmcs_read32(EXIT_CONTROLS);
	u32 entry = vmcs_read32(ENTRY_CONTROLS);
	u32 info = vmcs_read32(ENTRY_INTR_INFO);
	u64 cr0 = vmcs_readl(GUEST_CR0);

	if (proc & PROC_SECONDARY)
		proc2 = vmcs_read32(PROC_CONTROLS2);
	check_allowed(d, "pin-based", pin, c->pin0, c->pin1);
	check_allowed(d, "primary processor-based", proc, c->proc0, c->proc1);
	if (proc & PROC_SECONDARY)
		check_allowed(d, "secondary processor-based", proc2,
			      c->proc2_0, c->proc2_1);
	check_allowed(d, "VM-exit", exit, c->exit0, c->exit1);
	check_allowed(d, "VM-entry", entry, c->entry0, c->entry1);

	if (vmcs_read32(CR3_TARGET_COUNT) > ((c->misc >> 16) & 0x1ff))
		fail(d, "26.2.1.1", "CR3-target count %u exceeds IA32_VMX_MISC[24:16]",
		     vmcs_read32(CR3_TARGET_COUNT));
	if (proc & PROC_IO_BITMAPS) {
		u64 a = vmcs_read64(IO_BITMAP_A), b = vmcs_read64(IO_BITMAP_B);

		if ((a & 0xfff) || (b & 0xfff) || beyond_phys(a) ||
		    beyond_phys(b))
			fail(d, "26.2.1.1", "I/O bitmap addresses %#llx/%#llx must be 4 KiB aligned and within the physical-address width",
			     (unsigned long long)a, (unsigned long long)b);
	}
	if (proc & PROC_MSR_BITMAPS) {
		u64 a = vmcs_read64(MSR_BITMAP);

		if ((a & 0xfff) || beyond_phys(a))
			fail(d, "26.2.1.1", "MSR bitmap address %#llx must be 4 KiB aligned and within the physical-address width",
			     (unsigned long long)a);
	}
	if ((proc2 & PROC2_UNRESTRICTED) && !(proc2 & PROC2_EPT))
		fail(d, "26.2.1.1", "\"unrestricted guest\" requires \"enable EPT\"");
	if (proc2 & PROC2_EPT) {
		u64 eptp = vmcs_read64(EPT_POINTER);
		u32 mt = eptp & 7;

		if (!((mt == 6 && (c->ept_vpid & EPT_CAP_WB)) ||
		      (mt == 0 && (c->ept_vpid & EPT_CAP_UC))))
			fail(d, "26.2.1.1", "EPTP memory type %u is not supported (IA32_VMX_EPT_VPID_CAP bits 8/14)", mt);
		if (((eptp >> 3) & 7) != 3)
			fail(d, "26.2.1.1", "EPTP page-walk length field is %llu, must be 3 (4 levels)",
			     (unsigned long long)((eptp >> 3) & 7));
		if ((eptp & EPTP_AD) && !(c->ept_vpid & EPT_CAP_AD))
			fail(d, "26.2.1.1", "EPTP enables accessed/dirty flags, which the CPU lacks");
		if ((eptp & 0xf80) || beyond_phys(eptp))
			fail(d, "26.2.1.1", "EPTP %#llx has reserved bits set (11:7 or above the physical-address width)",
			     (unsigned long long)eptp);
	}
	if ((proc2 & PROC2_VPID) && vmcs_read16(VPID) == 0)
		fail(d, "26.2.1.1", "\"enable VPID\" is set but the VPID is 0");
	if (entry & (ENTRY_SMM | ENTRY_DUAL_MONITOR))
		fail(d, "26.2.1.3", "\"entry to SMM\" and \"deactivate dual-monitor treatment\" must be 0 outside SMM");

	if (info & INTR_INFO_VALID) {
		u32 type = (info >> INTR_INFO_TYPE_SHIFT) & 7, vec = info & 0xff;
		bool want_err = type == INTR_TYPE_HW_EXC && exc_has_error(vec) &&
				(cr0 & X86_CR0_PE);

		if (type == 1 || (type == 7 && !(c->proc1 & BIT(27))))
			fail(d, "26.2.1.3", "event injection uses reserved interruption type %u", type);
		if (type == INTR_TYPE_NMI && vec != 2)
			fail(d, "26.2.1.3", "NMI injection with vector %u (must be 2)", vec);
		if (type == INTR_TYPE_HW_EXC && vec > 31)
			fail(d, "26.2.1.3", "hardware exception injection with vector %u > 31", vec);
		if (!!(info & INTR_INFO_ERR_VALID) != want_err)
			fail(d, "26.2.1.3", "\"deliver error code\" is %u for interruption type %u vector %u with CR0.PE=%u; it must be %u",
			     !!(info & INTR_INFO_ERR_VALID), type, vec,
			     (u32)(cr0 & 1), want_err);
		if (info & 0x7ffff000)
			fail(d, "26.2.1.3", "VM-entry interruption information %#x has reserved bits 30:12 set", info);
		if ((info & INTR_INFO_ERR_VALID) &&
		    (vmcs_read32(ENTRY_EXCEPTION_ERROR) >> 16))
			fail(d, "26.2.1.3", "VM-entry exception error code %#x has bits 31:16 set",
			     vmcs_read32(ENTRY_EXCEPTION_ERROR));
		if (type >= INTR_TYPE_SOFT_INT && type <= INTR_TYPE_SW_EXC) {
			u32 len = vmcs_read32(ENTRY_INSN_LEN);

			if (len > 15 || (len == 0 && !(c->misc & BIT(30))))
				fail(d, "26.2.1.3", "VM-entry instruction length %u for a software event must be 1..15", len);
		}
	}
}

static void check_host(struct diag *d)
{
	const struct vmx_caps *c = &vmx_caps;
	u32 exit = vmcs_read32(EXIT_CONTROLS);
	u64 cr0 = vmcs_readl(HOST_CR0), cr4 = vmcs_readl(HOST_CR4);
	bool addr64 = exit & EXIT_HOST_ADDR64;
	static const struct { u32 field; const char *name; } sels[] = {
		{ HOST_ES_SEL, "ES" }, { HOST_CS_SEL, "CS" },
		{ HOST_SS_SEL, "SS" }, { HOST_DS_SEL, "DS" },
		{ HOST_FS_SEL, "FS" }, { HOST_GS_SEL, "GS" },
		{ HOST_TR_SEL, "TR" },
	};

	if ((cr0 & c->cr0_fixed0) != c->cr0_fixed0 || (cr0 & ~c->cr0_fixed1))
		fail(d, "26.2.2", "host CR0 %#llx violates IA32_VMX_CR0_FIXED0/1 (missing %#llx, forbidden %#llx)",
		     (unsigned long long)cr0,
		     (unsigned long long)(c->cr0_fixed0 & ~cr0),
		     (unsigned long long)(cr0 & ~c->cr0_fixed1));
	if ((cr4 & c->cr4_fixed0) != c->cr4_fixed0 || (cr4 & ~c->cr4_fixed1))
		fail(d, "26.2.2", "host CR4 %#llx violates IA32_VMX_CR4_FIXED0/1 (missing %#llx, forbidden %#llx)",
		     (unsigned long long)cr4,
		     (unsigned long long)(c->cr4_fixed0 & ~cr4),
		     (unsigned long long)(cr4 & ~c->cr4_fixed1));
	if (beyond_phys(vmcs_readl(HOST_CR3)))
		fail(d, "26.2.2", "host CR3 has bits set beyond the physical-address width");
	if (!canonical(vmcs_readl(HOST_SYSENTER_ESP)) ||
	    !canonical(vmcs_readl(HOST_SYSENTER_EIP)))
		fail(d, "26.2.2", "host SYSENTER_ESP/EIP not canonical");
	if ((exit & EXIT_LOAD_PAT) && !pat_ok(vmcs_read64(HOST_PAT)))
		fail(d, "26.2.2", "host PAT %#llx has a reserved memory type",
		     (unsigned long long)vmcs_read64(HOST_PAT));
	if (exit & EXIT_LOAD_EFER) {
		u64 efer = vmcs_read64(HOST_EFER);

		if (efer & ~(u64)(X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA |
				  X86_EFER_NXE))
			fail(d, "26.2.2", "host EFER %#llx has reserved bits set",
			     (unsigned long long)efer);
		if (!!(efer & X86_EFER_LMA) != addr64 ||
		    !!(efer & X86_EFER_LME) != addr64)
			fail(d, "26.2.2", "host EFER.LMA/LME must equal \"host address-space size\" (%u)",
			     addr64);
	}
	for (u32 i = 0; i < ARRAY_SIZE(sels); i++) {
		u16 sel = __vmcs_read(sels[i].field);

		if (sel & 7)
			fail(d, "26.2.3", "host %s selector %#x has RPL or TI set",
			     sels[i].name, sel);
	}
	if (!vmcs_read16(HOST_CS_SEL))
		fail(d, "26.2.3", "host CS selector is null");
	if (!vmcs_read16(HOST_TR_SEL))
		fail(d, "26.2.3", "host TR selector is null (firmware leaves TR=0; load a TSS)");
	if (!vmcs_read16(HOST_SS_SEL) && !addr64)
		fail(d, "26.2.3", "host SS selector is null without \"host address-space size\"");
	if (!canonical(vmcs_readl(HOST_FS_BASE)) ||
	    !canonical(vmcs_readl(HOST_GS_BASE)) ||
	    !canonical(vmcs_readl(HOST_TR_BASE)) ||
	    !canonical(vmcs_readl(HOST_GDTR_BASE)) ||
	    !canonical(vmcs_readl(HOST_IDTR_BASE)))
		fail(d, "26.2.3", "a host FS/GS/TR/GDTR/IDTR base is not canonical");
	if (!addr64)
		fail(d, "26.2.4", "\"host address-space size\" is 0 but the host runs in 64-bit mode");
	if (addr64 && !(cr4 & X86_CR4_PAE))
		fail(d, "26.2.4", "64-bit host without CR4.PAE");
	if (!canonical(vmcs_readl(HOST_RIP)))
		fail(d, "26.2.4", "host RIP is not canonical");
}

/* The rules shared by all segments: reserved AR bits, limit vs. G. */
static void check_seg_common(struct diag *d, const char *name, u32 ar,
			     u32 limit)
{
	if (ar & 0xfffe0f00)
		fail(d, "26.3.1.2", "guest %s access rights %#x have reserved bits 11:8 or 31:17 set",
		     name, ar);
	if ((limit & 0xfff) != 0xfff && (ar & BIT(15)))
		fail(d, "26.3.1.2", "guest %s limit %#x has bits 11:0 not all 1 but G=1",
		     name, limit);
	if ((limit >> 20) && !(ar & BIT(15)))
		fail(d, "26.3.1.2", "guest %s limit %#x exceeds 1 MiB but G=0",
		     name, limit);
	if (!(ar & BIT(7)))
		fail(d, "26.3.1.2", "guest %s is usable but not present (P=0)", name);
}

static void check_data_seg(struct diag *d, const char *name, u16 sel,
			   u32 ar, u32 limit, u64 base, bool ug, bool fsgs)
{
	u32 type = ar & 15;

	if (ar & AR_UNUSABLE)
		return;
	if (!(type & 1))
		fail(d, "26.3.1.2", "guest %s type %#x lacks the accessed bit", name, type);
	if ((type & 8) && !(type & 2))
		fail(d, "26.3.1.2", "guest %s is an execute-only code segment", name);
	if (!(ar & BIT(4)))
		fail(d, "26.3.1.2", "guest %s must be a code/data segment (S=1)", name);
	if (!ug && type <= 11 && ((ar >> 5) & 3) < (sel & 3))
		fail(d, "26.3.1.2", "guest %s DPL < RPL", name);
	check_seg_common(d, name, ar, limit);
	if (fsgs ? !canonical(base) : (base >> 32))
		fail(d, "26.3.1.2", "guest %s base %#llx invalid", name,
		     (unsigned long long)base);
}

static void check_guest(struct diag *d)
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
		fail(d, "26.3.1.1", "guest CR0 %#llx violates IA32_VMX_CR0_FIXED0/1 (missing %#llx, forbidden %#llx%s)",
		     (unsigned long long)cr0, (unsigned long long)(f0 & ~cr0),
		     (unsigned long long)(cr0 & ~c->cr0_fixed1),
		     ug ? ", PE/PG relaxed by unrestricted guest" : "");
	if ((cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE))
		fail(d, "26.3.1.1", "guest CR0.PG=1 with CR0.PE=0");
	if ((cr4 & c->cr4_fixed0) != c->cr4_fixed0 || (cr4 & ~c->cr4_fixed1))
		fail(d, "26.3.1.1", "guest CR4 %#llx violates IA32_VMX_CR4_FIXED0/1 (missing %#llx, forbidden %#llx)",
		     (unsigned long long)cr4,
		     (unsigned long long)(c->cr4_fixed0 & ~cr4),
		     (unsigned long long)(cr4 & ~c->cr4_fixed1));
	if (ia32e && (!(cr0 & X86_CR0_PG) || !(cr4 & X86_CR4_PAE)))
		fail(d, "26.3.1.1", "\"IA-32e mode guest\" requires CR0.PG=1 and CR4.PAE=1");
	if (!ia32e && (cr4 & BIT(17)))
		fail(d, "26.3.1.1", "CR4.PCIDE=1 outside IA-32e mode");
	if (beyond_phys(vmcs_readl(GUEST_CR3)))
		fail(d, "26.3.1.1", "guest CR3 %#llx has bits beyond the physical-address width",
		     (unsigned long long)vmcs_readl(GUEST_CR3));
	if ((entry & ENTRY_LOAD_DEBUG) && (vmcs_readl(GUEST_DR7) >> 32))
		fail(d, "26.3.1.1", "guest DR7 bits 63:32 must be 0");
	if (!canonical(vmcs_readl(GUEST_SYSENTER_ESP)) ||
	    !canonical(vmcs_readl(GUEST_SYSENTER_EIP)))
		fail(d, "26.3.1.1", "guest SYSENTER_ESP/EIP not canonical");
	if ((entry & ENTRY_LOAD_PAT) && !pat_ok(vmcs_read64(GUEST_PAT)))
		fail(d, "26.3.1.1", "guest PAT %#llx has a reserved memory type",
		     (unsigned long long)vmcs_read64(GUEST_PAT));
	if (entry & ENTRY_LOAD_EFER) {
		u64 efer = vmcs_read64(GUEST_EFER);

		if (efer & ~(u64)(X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA |
				  X86_EFER_NXE))
			fail(d, "26.3.1.1", "guest EFER %#llx has reserved bits set",
			     (unsigned long long)efer);
		if (!!(efer & X86_EFER_LMA) != ia32e)
			fail(d, "26.3.1.1", "guest EFER.LMA=%u but \"IA-32e mode guest\"=%u",
			     !!(efer & X86_EFER_LMA), ia32e);
		if ((cr0 & X86_CR0_PG) &&
		    !!(efer & X86_EFER_LMA) != !!(efer & X86_EFER_LME))
			fail(d, "26.3.1.1", "guest CR0.PG=1 but EFER.LMA != EFER.LME");
	}

	/* 26.3.1.2: segment registers (virtual-8086 mode is not used). */
	if (rflags & X86_RFLAGS_VM)
		fail(d, "26.3.1.4", "guest RFLAGS.VM=1: perfvisor does not use virtual-8086 guests");
	if (tr_ar & AR_UNUSABLE) {
		fail(d, "26.3.1.2", "guest TR access rights %#x: TR is unusable (bit 16), but TR must be usable",
		     tr_ar);
	} else {
		u32 t = tr_ar & 15;

		if (vmcs_read16(GUEST_TR_SEL) & 4)
			fail(d, "26.3.1.2", "guest TR selector has TI=1");
		if (ia32e ? t != 11 : (t != 3 && t != 11))
			fail(d, "26.3.1.2", "guest TR type %u must be %s", t,
			     ia32e ? "11 (busy 64-bit TSS) in IA-32e mode" :
				     "3 or 11 (busy TSS)");
		if (tr_ar & BIT(4))
			fail(d, "26.3.1.2", "guest TR must be a system segment (S=0)");
		check_seg_common(d, "TR", tr_ar, vmcs_read32(GUEST_TR_LIMIT));
	}
	if (!canonical(vmcs_readl(GUEST_TR_BASE)))
		fail(d, "26.3.1.2", "guest TR base not canonical");
	if (!(ldt_ar & AR_UNUSABLE)) {
		if (vmcs_read16(GUEST_LDTR_SEL) & 4)
			fail(d, "26.3.1.2", "guest LDTR selector has TI=1");
		if ((ldt_ar & 15) != 2 || (ldt_ar & BIT(4)))
			fail(d, "26.3.1.2", "guest LDTR access rights %#x: must be type 2 (LDT), S=0", ldt_ar);
		check_seg_common(d, "LDTR", ldt_ar,
				 vmcs_read32(GUEST_LDTR_LIMIT));
		if (!canonical(vmcs_readl(GUEST_LDTR_BASE)))
			fail(d, "26.3.1.2", "guest LDTR base not canonical");
	}
	if (cs_ar & AR_UNUSABLE) {
		fail(d, "26.3.1.2", "guest CS is unusable");
	} else {
		if (!(cs_type == 9 || cs_type == 11 || cs_type == 13 ||
		      cs_type == 15 || (ug && cs_type == 3)))
			fail(d, "26.3.1.2", "guest CS type %u must be accessed code (9/11/13/15)%s",
			     cs_type, ug ? " or 3 with unrestricted guest" : "");
		if (!(cs_ar & BIT(4)))
			fail(d, "26.3.1.2", "guest CS must be a code segment (S=1)");
		if (cs_type == 3 && cs_dpl)
			fail(d, "26.3.1.2", "guest CS type 3 requires DPL 0");
		if ((cs_type == 9 || cs_type == 11) && cs_dpl != ss_dpl)
			fail(d, "26.3.1.2", "guest non-conforming CS DPL %u != SS DPL %u", cs_dpl, ss_dpl);
		if ((cs_type == 13 || cs_type == 15) && cs_dpl > ss_dpl)
			fail(d, "26.3.1.2", "guest conforming CS DPL %u > SS DPL %u", cs_dpl, ss_dpl);
		if (ia32e && (cs_ar & BIT(13)) && (cs_ar & BIT(14)))
			fail(d, "26.3.1.2", "guest CS.L=1 and CS.D=1 in IA-32e mode");
		check_seg_common(d, "CS", cs_ar, vmcs_read32(GUEST_CS_LIMIT));
		if (vmcs_readl(GUEST_CS_BASE) >> 32)
			fail(d, "26.3.1.2", "guest CS base bits 63:32 must be 0");
	}
	if (!(ss_ar & AR_UNUSABLE)) {
		if ((ss_ar & 15) != 3 && (ss_ar & 15) != 7)
			fail(d, "26.3.1.2", "guest SS type %u must be 3 or 7 (read/write data)", ss_ar & 15);
		if (!(ss_ar & BIT(4)))
			fail(d, "26.3.1.2", "guest SS must be a data segment (S=1)");
		check_seg_common(d, "SS", ss_ar, vmcs_read32(GUEST_SS_LIMIT));
		if (vmcs_readl(GUEST_SS_BASE) >> 32)
			fail(d, "26.3.1.2", "guest SS base bits 63:32 must be 0");
	}
	if (!ug && (vmcs_read16(GUEST_SS_SEL) & 3) != (vmcs_read16(GUEST_CS_SEL) & 3))
		fail(d, "26.3.1.2", "guest SS.RPL != CS.RPL");
	if ((!(cr0 & X86_CR0_PE) || cs_type == 3) && ss_dpl)
		fail(d, "26.3.1.2", "guest SS.DPL must be 0 in real mode or with CS type 3");
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
		fail(d, "26.3.1.3", "guest GDTR/IDTR base not canonical");
	if ((vmcs_read32(GUEST_GDTR_LIMIT) | vmcs_read32(GUEST_IDTR_LIMIT)) >> 16)
		fail(d, "26.3.1.3", "guest GDTR/IDTR limit bits 31:16 must be 0");

	/* 26.3.1.4: RIP and RFLAGS. */
	if (!(ia32e && (cs_ar & BIT(13))) ? (rip >> 32) != 0 : !canonical(rip))
		fail(d, "26.3.1.4", "guest RIP %#llx invalid for the mode (bits 63:32 outside 64-bit code, else canonical)",
		     (unsigned long long)rip);
	if ((rflags & 0xffffffffffc08028ULL) || !(rflags & X86_RFLAGS_FIXED))
		fail(d, "26.3.1.4", "guest RFLAGS %#llx: reserved bits must be 0 and bit 1 must be 1",
		     (unsigned long long)rflags);
	if ((info & INTR_INFO_VALID) &&
	    ((info >> INTR_INFO_TYPE_SHIFT) & 7) == INTR_TYPE_EXT &&
	    !(rflags & X86_RFLAGS_IF))
		fail(d, "26.3.1.4", "injecting an external interrupt with RFLAGS.IF=0");

	/* 26.3.1.5: non-register state. */
	if (act > 3 || (act && !(c->misc & BIT(5 + act))))
		fail(d, "26.3.1.5", "guest activity state %u is not supported (IA32_VMX_MISC[8:6])", act);
	if (act == 1 && ss_dpl)
		fail(d, "26.3.1.5", "HLT activity state requires SS.DPL 0");
	if (intr & ~0x1fU)
		fail(d, "26.3.1.5", "guest interruptibility %#x has reserved bits set", intr);
	if ((intr & INTERRUPTIBILITY_STI) && (intr & INTERRUPTIBILITY_MOVSS))
		fail(d, "26.3.1.5", "blocking by STI and by MOV SS both set");
	if ((intr & INTERRUPTIBILITY_STI) && !(rflags & X86_RFLAGS_IF))
		fail(d, "26.3.1.5", "blocking by STI with RFLAGS.IF=0");
	if (vmcs_read64(VMCS_LINK_POINTER) != ~0ULL)
		fail(d, "26.3.1.5", "VMCS link pointer %#llx must be FFFFFFFF_FFFFFFFFh (no shadow VMCS)",
		     (unsigned long long)vmcs_read64(VMCS_LINK_POINTER));
}

void vmx_diagnose(u32 insn_error, u32 exit_reason, char *buf, u32 len)
{
	struct diag d = { .count = 0 };
	const char *what;
	char head[96];

	if (exit_reason) {
		u32 basic = exit_reason & 0xffff;

		what = basic == EXIT_R_INVALID_GUEST ? "invalid guest state" :
		       basic == EXIT_R_MSR_LOAD_FAIL ? "MSR loading" :
		       basic == EXIT_R_MCE_DURING_ENTRY ? "machine check" :
							  "?";
		hv_snprintf(head, sizeof(head), "VM-entry failure, exit reason %#x (%s)",
			    exit_reason, what);
		check_guest(&d);
	} else if (insn_error == ~0U) {
		hv_snprintf(head, sizeof(head), "VMfailInvalid (no current VMCS)");
	} else {
		hv_snprintf(head, sizeof(head), "VMfailValid, VM-instruction error %u (%s)",
			    insn_error, vmx_insn_error_name(insn_error));
		if (insn_error == 7)
			check_controls(&d);
		else if (insn_error == 8)
			check_host(&d);
		if (!d.count) {
			check_controls(&d);
			check_host(&d);
		}
	}
	if (vmx_access_errors)
		pr_err("vmx check: %u VMREAD/VMWRITE failures, last field %#x\n",
		       vmx_access_errors, vmx_last_bad_field);
	pr_err("vmx: %s: %u broken rule(s)\n", head, d.count);
	if (d.count)
		hv_snprintf(buf, len, "%s: %s%s", head, d.first,
			    d.count > 1 ? " (and more, see log)" : "");
	else
		hv_snprintf(buf, len, "%s: no modelled check fails", head);
}
