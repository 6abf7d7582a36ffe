// SPDX-License-Identifier: GPL-2.0
/*
 * VM-entry failure diagnostics. When VMLAUNCH/VMRESUME fails, the CPU only
 * says "invalid control fields" (VM-instruction error 7), "invalid host
 * state" (8) or exit reason 33 "invalid guest state". This replays the
 * checks of SDM vol. 3 26.2 (controls and host state) and 26.3 (guest
 * state) on the current VMCS and names every rule it breaks: each one is
 * logged, the first goes into the exit record. The guest-state checks
 * are in vmx_check_guest.c.
 */
#include <stdarg.h>
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <arch/x86/vmx_check.h>
#include <arch/x86/vmx_ops.h>
#include <hv/log.h>
#include <hv/printf.h>
#include <hv/string.h>

void diag_fail(struct diag *d, const char *sect, const char *fmt, ...)
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
		diag_fail(d, "26.2.1", "%s controls %#x lack bits %#x that the capability MSR requires (allowed-0 settings)",
			  name, val, must1 & ~val);
	if (val & ~may1)
		diag_fail(d, "26.2.1", "%s controls %#x set bits %#x that the capability MSR does not allow (allowed-1 settings)",
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
		diag_fail(d, "26.2.1.1", "CR3-target count %u exceeds IA32_VMX_MISC[24:16]",
			  vmcs_read32(CR3_TARGET_COUNT));
	if (proc & PROC_IO_BITMAPS) {
		u64 a = vmcs_read64(IO_BITMAP_A), b = vmcs_read64(IO_BITMAP_B);

		if ((a & 0xfff) || (b & 0xfff) || beyond_phys(a) ||
		    beyond_phys(b))
			diag_fail(d, "26.2.1.1", "I/O bitmap addresses %#llx/%#llx must be 4 KiB aligned and within the physical-address width",
				  (unsigned long long)a, (unsigned long long)b);
	}
	if (proc & PROC_MSR_BITMAPS) {
		u64 a = vmcs_read64(MSR_BITMAP);

		if ((a & 0xfff) || beyond_phys(a))
			diag_fail(d, "26.2.1.1", "MSR bitmap address %#llx must be 4 KiB aligned and within the physical-address width",
				  (unsigned long long)a);
	}
	if ((proc2 & PROC2_UNRESTRICTED) && !(proc2 & PROC2_EPT))
		diag_fail(d, "26.2.1.1", "\"unrestricted guest\" requires \"enable EPT\"");
	if (proc2 & PROC2_EPT) {
		u64 eptp = vmcs_read64(EPT_POINTER);
		u32 mt = eptp & 7;

		if (!((mt == 6 && (c->ept_vpid & EPT_CAP_WB)) ||
		      (mt == 0 && (c->ept_vpid & EPT_CAP_UC))))
			diag_fail(d, "26.2.1.1", "EPTP memory type %u is not supported (IA32_VMX_EPT_VPID_CAP bits 8/14)", mt);
		if (((eptp >> 3) & 7) != 3)
			diag_fail(d, "26.2.1.1", "EPTP page-walk length field is %llu, must be 3 (4 levels)",
				  (unsigned long long)((eptp >> 3) & 7));
		if ((eptp & EPTP_AD) && !(c->ept_vpid & EPT_CAP_AD))
			diag_fail(d, "26.2.1.1", "EPTP enables accessed/dirty flags, which the CPU lacks");
		if ((eptp & 0xf80) || beyond_phys(eptp))
			diag_fail(d, "26.2.1.1", "EPTP %#llx has reserved bits set (11:7 or above the physical-address width)",
				  (unsigned long long)eptp);
	}
	if ((proc2 & PROC2_VPID) && vmcs_read16(VPID) == 0)
		diag_fail(d, "26.2.1.1", "\"enable VPID\" is set but the VPID is 0");
	if (entry & (ENTRY_SMM | ENTRY_DUAL_MONITOR))
		diag_fail(d, "26.2.1.3", "\"entry to SMM\" and \"deactivate dual-monitor treatment\" must be 0 outside SMM");

	if (info & INTR_INFO_VALID) {
		u32 type = (info >> INTR_INFO_TYPE_SHIFT) & 7, vec = info & 0xff;
		bool want_err = type == INTR_TYPE_HW_EXC && exc_has_error(vec) &&
				(cr0 & X86_CR0_PE);

		if (type == 1 || (type == 7 && !(c->proc1 & BIT(27))))
			diag_fail(d, "26.2.1.3", "event injection uses reserved interruption type %u", type);
		if (type == INTR_TYPE_NMI && vec != 2)
			diag_fail(d, "26.2.1.3", "NMI injection with vector %u (must be 2)", vec);
		if (type == INTR_TYPE_HW_EXC && vec > 31)
			diag_fail(d, "26.2.1.3", "hardware exception injection with vector %u > 31", vec);
		if (!!(info & INTR_INFO_ERR_VALID) != want_err)
			diag_fail(d, "26.2.1.3", "\"deliver error code\" is %u for interruption type %u vector %u with CR0.PE=%u; it must be %u",
				  !!(info & INTR_INFO_ERR_VALID), type, vec,
				  (u32)(cr0 & 1), want_err);
		if (info & 0x7ffff000)
			diag_fail(d, "26.2.1.3", "VM-entry interruption information %#x has reserved bits 30:12 set", info);
		if ((info & INTR_INFO_ERR_VALID) &&
		    (vmcs_read32(ENTRY_EXCEPTION_ERROR) >> 16))
			diag_fail(d, "26.2.1.3", "VM-entry exception error code %#x has bits 31:16 set",
				  vmcs_read32(ENTRY_EXCEPTION_ERROR));
		if (type >= INTR_TYPE_SOFT_INT && type <= INTR_TYPE_SW_EXC) {
			u32 len = vmcs_read32(ENTRY_INSN_LEN);

			if (len > 15 || (len == 0 && !(c->misc & BIT(30))))
				diag_fail(d, "26.2.1.3", "VM-entry instruction length %u for a software event must be 1..15", len);
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
		diag_fail(d, "26.2.2", "host CR0 %#llx violates IA32_VMX_CR0_FIXED0/1 (missing %#llx, forbidden %#llx)",
			  (unsigned long long)cr0,
			  (unsigned long long)(c->cr0_fixed0 & ~cr0),
			  (unsigned long long)(cr0 & ~c->cr0_fixed1));
	if ((cr4 & c->cr4_fixed0) != c->cr4_fixed0 || (cr4 & ~c->cr4_fixed1))
		diag_fail(d, "26.2.2", "host CR4 %#llx violates IA32_VMX_CR4_FIXED0/1 (missing %#llx, forbidden %#llx)",
			  (unsigned long long)cr4,
			  (unsigned long long)(c->cr4_fixed0 & ~cr4),
			  (unsigned long long)(cr4 & ~c->cr4_fixed1));
	if (beyond_phys(vmcs_readl(HOST_CR3)))
		diag_fail(d, "26.2.2", "host CR3 has bits set beyond the physical-address width");
	if (!canonical(vmcs_readl(HOST_SYSENTER_ESP)) ||
	    !canonical(vmcs_readl(HOST_SYSENTER_EIP)))
		diag_fail(d, "26.2.2", "host SYSENTER_ESP/EIP not canonical");
	if ((exit & EXIT_LOAD_PAT) && !pat_ok(vmcs_read64(HOST_PAT)))
		diag_fail(d, "26.2.2", "host PAT %#llx has a reserved memory type",
			  (unsigned long long)vmcs_read64(HOST_PAT));
	if (exit & EXIT_LOAD_EFER) {
		u64 efer = vmcs_read64(HOST_EFER);

		if (efer & ~(u64)(X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA |
				  X86_EFER_NXE))
			diag_fail(d, "26.2.2", "host EFER %#llx has reserved bits set",
				  (unsigned long long)efer);
		if (!!(efer & X86_EFER_LMA) != addr64 ||
		    !!(efer & X86_EFER_LME) != addr64)
			diag_fail(d, "26.2.2", "host EFER.LMA/LME must equal \"host address-space size\" (%u)",
				  addr64);
	}
	for (u32 i = 0; i < ARRAY_SIZE(sels); i++) {
		u16 sel = __vmcs_read(sels[i].field);

		if (sel & 7)
			diag_fail(d, "26.2.3", "host %s selector %#x has RPL or TI set",
				  sels[i].name, sel);
	}
	if (!vmcs_read16(HOST_CS_SEL))
		diag_fail(d, "26.2.3", "host CS selector is null");
	if (!vmcs_read16(HOST_TR_SEL))
		diag_fail(d, "26.2.3", "host TR selector is null (firmware leaves TR=0; load a TSS)");
	if (!vmcs_read16(HOST_SS_SEL) && !addr64)
		diag_fail(d, "26.2.3", "host SS selector is null without \"host address-space size\"");
	if (!canonical(vmcs_readl(HOST_FS_BASE)) ||
	    !canonical(vmcs_readl(HOST_GS_BASE)) ||
	    !canonical(vmcs_readl(HOST_TR_BASE)) ||
	    !canonical(vmcs_readl(HOST_GDTR_BASE)) ||
	    !canonical(vmcs_readl(HOST_IDTR_BASE)))
		diag_fail(d, "26.2.3", "a host FS/GS/TR/GDTR/IDTR base is not canonical");
	if (!addr64)
		diag_fail(d, "26.2.4", "\"host address-space size\" is 0 but the host runs in 64-bit mode");
	if (addr64 && !(cr4 & X86_CR4_PAE))
		diag_fail(d, "26.2.4", "64-bit host without CR4.PAE");
	if (!canonical(vmcs_readl(HOST_RIP)))
		diag_fail(d, "26.2.4", "host RIP is not canonical");
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
		vmx_check_guest(&d);
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
