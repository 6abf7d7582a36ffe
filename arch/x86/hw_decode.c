// SPDX-License-Identifier: GPL-2.0
/*
 * The readiness report's decoder: a record of raw CPUID leaves and MSRs
 * (hv/hwcheck.h) into vendor-neutral capabilities. The bit meanings live
 * here, next to the backends that use them; what the backends require is
 * decided by their own checks (svm_caps_check(), vmx_caps_check()), so the
 * report and the boot probe cannot disagree. No hardware access.
 *
 * Sources: Intel SDM vol. 2 CPUID (leaves 01H, 07H, 0AH, 0BH, 1AH), vol. 3
 * appendix A (VMX capability MSRs), vol. 4 (IA32_BIOS_SIGN_ID 8BH,
 * IA32_FEATURE_CONTROL 3AH); AMD APM vol. 3 appendix E (CPUID 8000_0001h,
 * 8000_0007h, 8000_000Ah, 8000_001Eh), vol. 2 15.30.1 (VM_CR).
 */
#include <arch/x86/svm.h>
#include <arch/x86/vmx.h>
#include <hv/errno.h>
#include <hv/hwcheck.h>
#include <hv/printf.h>
#include <hv/string.h>

/* Secondary processor-based controls of APIC virtualization (25.6.2). */
#define PROC2_APIC_ACCESS      BIT(0)
#define PROC2_X2APIC_MODE      BIT(4)
#define PROC2_APIC_REG_VIRT    BIT(8)
#define PROC2_VINTR_DELIVERY   BIT(9)
#define PIN_POSTED_INTR        BIT(7)
#define EPT_CAP_WALK5          BIT(7)

static void regs(const struct hw_record *r, u32 leaf, u32 sub, u32 v[4])
{
	hw_cpuid_regs(r, leaf, sub, v);
}

static void append(char *buf, size_t size, const char *what)
{
	size_t n = strlen(buf);

	hv_snprintf(buf + n, size - n, "%s%s", n ? ", " : "", what);
}

static void decode_common(const struct hw_record *r, struct hw_caps *c)
{
	u32 v[4], max_leaf, max_ext, fam, model;

	hw_vendor(r, c->vendor);
	regs(r, 0, 0, v);
	max_leaf = v[0];
	regs(r, 0x80000000, 0, v);
	max_ext = v[0] >= 0x80000000 ? v[0] : 0;

	regs(r, 1, 0, v);
	fam = (v[0] >> 8) & 0xf;
	model = (v[0] >> 4) & 0xf;
	if (fam == 0x6 || fam == 0xf)
		model |= ((v[0] >> 16) & 0xf) << 4;
	if (fam == 0xf)
		fam += (v[0] >> 20) & 0xff;
	c->family = fam;
	c->model = model;
	c->stepping = v[0] & 0xf;
	c->x2apic = v[2] & BIT(21);
	c->hypervisor = v[2] & BIT(31);

	if (max_ext >= 0x80000004) {
		char *b = c->brand;
		u32 n = 0;

		for (u32 leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
			regs(r, leaf, 0, v);
			memcpy(b + 16 * (leaf - 0x80000002), v, 16);
		}
		b[48] = '\0';
		while (*b == ' ')	/* some CPUs pad in front */
			memmove(b, b + 1, strlen(b));
		n = strlen(b);
		while (n && b[n - 1] == ' ')
			b[--n] = '\0';
	}
	if (max_ext >= 0x80000007) {
		regs(r, 0x80000007, 0, v);
		c->invariant_tsc = v[3] & BIT(8);
	}
	/* Threads per core: the SMT level of leaf 0BH, else AMD 8000_001Eh. */
	if (max_leaf >= 0xb) {
		regs(r, 0xb, 0, v);
		if (((v[2] >> 8) & 0xff) == 1)
			c->threads_per_core = v[1] & 0xffff;
	}
	if (!c->threads_per_core && max_ext >= 0x8000001e &&
	    strcmp(c->vendor, "GenuineIntel")) {
		regs(r, 0x8000001e, 0, v);
		c->threads_per_core = ((v[1] >> 8) & 0xff) + 1;
	}
	if (max_leaf >= 7) {
		regs(r, 7, 0, v);
		c->hybrid = v[3] & BIT(15);
	}
	if (max_leaf >= 0x1a) {
		regs(r, 0x1a, 0, v);
		c->core_type = v[0] >> 24;
	}
	c->acpi_known = r->acpi_known;
	c->dmar = r->acpi_dmar;
	c->ivrs = r->acpi_ivrs;
}

static void decode_svm(const struct hw_record *r, struct hw_caps *c)
{
	struct svm_cpuid id = { 0 };
	u32 v[4];

	regs(r, 0x80000000, 0, v);
	id.max_ext = v[0];
	regs(r, 0x80000001, 0, v);
	id.e1_ecx = v[2];
	regs(r, 0x8000000a, 0, v);
	id.a_ebx = v[1];
	id.a_edx = v[3];
	id.vm_cr_known = hw_msr(r, HW_MSR_VM_CR, &id.vm_cr);

	c->virt_name = "SVM";
	c->np_name = "nested paging";
	c->tags_name = "ASIDs";
	c->fw_off_how = "VM_CR.SVMDIS";
	c->tags_counted = true;
	c->next_rip_how = "NRIP save";
	c->vnmi_need = "guest NMIs without IRET single-stepping";
	c->gctrl_none = "n/a (SVM: GuestOnly selectors)";
	c->virt_cpuid = id.e1_ecx & BIT(2);
	c->virt_fw_off = c->virt_cpuid && id.vm_cr_known &&
			 (id.vm_cr & MSR_VM_CR_SVMDIS);
	c->virt_err = svm_caps_check(&id, &c->virt);
	if (id.max_ext < 0x8000000a || !c->virt_cpuid)
		return;
	c->decode_assists = id.a_edx & SVM_FEAT_DECODE;
	c->decode_how = "DecodeAssists";
	c->vnmi = id.a_edx & SVM_FEAT_VNMI;
	c->apicv_name = "AVIC";
	c->apicv = id.a_edx & SVM_FEAT_AVIC;
	if (c->apicv)
		append(c->apicv_detail, sizeof(c->apicv_detail),
		       (id.a_edx & SVM_FEAT_X2AVIC) ? "x2AVIC" : "no x2AVIC");
}

/* An allowed-0/allowed-1 pair (SDM vol. 3 A.3): low = must be 1, high = may be 1. */
static void ctl(const struct hw_record *r, u32 msr, u32 *must1, u32 *may1)
{
	u64 v = 0;

	hw_msr(r, msr, &v);
	*must1 = (u32)v;
	*may1 = v >> 32;
}

static void decode_vmx(const struct hw_record *r, struct hw_caps *c)
{
	struct vmx_caps x = { 0 };
	bool true_ctls;
	u64 fc;
	u32 v[4];

	c->virt_name = "VMX";
	c->np_name = "EPT";
	c->tags_name = "VPIDs";
	c->fw_off_how = "IA32_FEATURE_CONTROL locked without VMX outside SMX";
	c->unrestricted_needed = true;
	c->next_rip_how = "VM-exit instruction length";
	c->vnmi_need = "guest NMIs (virtual NMIs, required)";
	regs(r, 1, 0, v);
	c->virt_cpuid = v[2] & BIT(5);
	c->virt_err = -ENODEV;
	if (!c->virt_cpuid) {
		vmx_caps_lack(&c->virt, "VMX (CPUID.1 ECX[5])");
		return;
	}
	/* Locked without "VMX outside SMX": VMXON #GPs (SDM vol. 3 24.7). */
	if (hw_msr(r, HW_MSR_FEATURE_CONTROL, &fc) &&
	    (fc & FEATURE_CONTROL_LOCK) && !(fc & FEATURE_CONTROL_VMX_NOSMX)) {
		c->virt_fw_off = true;
		vmx_caps_lack(&c->virt, "VMX disabled by firmware (IA32_FEATURE_CONTROL locked without VMX outside SMX)");
		return;
	}
	if (!hw_msr(r, MSR_VMX_BASIC, &x.basic)) {
		vmx_caps_lack(&c->virt, "readable VMX capability MSRs (IA32_VMX_BASIC 480H)");
		return;
	}
	true_ctls = x.basic & VMX_BASIC_TRUE_CTLS;
	ctl(r, true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED,
	    &x.pin0, &x.pin1);
	ctl(r, true_ctls ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED,
	    &x.proc0, &x.proc1);
	ctl(r, true_ctls ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT,
	    &x.exit0, &x.exit1);
	ctl(r, true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY,
	    &x.entry0, &x.entry1);
	if (x.proc1 & PROC_SECONDARY)
		ctl(r, MSR_VMX_PROCBASED2, &x.proc2_0, &x.proc2_1);
	if (x.proc2_1 & (PROC2_EPT | PROC2_VPID))
		hw_msr(r, MSR_VMX_EPT_VPID_CAP, &x.ept_vpid);
	c->virt_err = vmx_caps_check(&x, &c->virt);

	if (x.proc2_1 & PROC2_EPT) {
		if (x.ept_vpid & EPT_CAP_WALK4)
			append(c->np_detail, sizeof(c->np_detail), "4-level");
		if (x.ept_vpid & EPT_CAP_WALK5)
			append(c->np_detail, sizeof(c->np_detail), "5-level");
		if (x.ept_vpid & EPT_CAP_AD)
			append(c->np_detail, sizeof(c->np_detail), "A/D bits");
	}
	/* Exit qualifications and instruction information: always there. */
	c->decode_assists = true;
	c->decode_how = "exit qualification";
	c->vnmi = x.pin1 & PIN_VIRTUAL_NMI;
	c->apicv_name = "APICv";
	c->apicv = (x.proc2_1 & PROC2_APIC_REG_VIRT) &&
		   (x.proc2_1 & PROC2_VINTR_DELIVERY);
	if (x.proc2_1 & PROC2_APIC_ACCESS)
		append(c->apicv_detail, sizeof(c->apicv_detail), "access");
	if (x.proc2_1 & PROC2_X2APIC_MODE)
		append(c->apicv_detail, sizeof(c->apicv_detail), "x2APIC");
	if (x.proc2_1 & PROC2_APIC_REG_VIRT)
		append(c->apicv_detail, sizeof(c->apicv_detail), "registers");
	if (x.proc2_1 & PROC2_VINTR_DELIVERY)
		append(c->apicv_detail, sizeof(c->apicv_detail), "delivery");
	if (x.pin1 & PIN_POSTED_INTR)
		append(c->apicv_detail, sizeof(c->apicv_detail), "posted interrupts");
}

void hw_decode(const struct hw_record *r, struct hw_caps *c)
{
	u64 rev;

	memset(c, 0, sizeof(*c));
	decode_common(r, c);
	/* As virt_backend_for(): VMX on Intel, SVM on AMD and Hygon. */
	if (!strcmp(c->vendor, "GenuineIntel"))
		decode_vmx(r, c);
	else if (!strcmp(c->vendor, "AuthenticAMD") ||
		 !strcmp(c->vendor, "HygonGenuine"))
		decode_svm(r, c);
	else
		c->virt_err = -ENODEV;
	if (hw_msr(r, HW_MSR_UCODE_REV, &rev)) {
		c->microcode_known = true;
		c->microcode = strcmp(c->vendor, "GenuineIntel") ?
			       (u32)rev : (u32)(rev >> 32);
	}
}
