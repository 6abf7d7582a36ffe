// SPDX-License-Identifier: GPL-2.0
/*
 * What the SVM backend needs of the CPU (AMD APM vol. 2 15.4, CPUID
 * 8000_000Ah in vol. 3 appendix E), decided from CPUID and VM_CR alone:
 * svm_probe() reads them on the boot CPU, the readiness report
 * (arch/x86/hw_decode.c) takes them from a record.
 */
#include <arch/x86/svm.h>
#include <hv/errno.h>
#include <hv/string.h>
#include <hv/virt.h>

static int lack(struct virt_caps *caps, const char *what)
{
	strlcpy(caps->missing, what, sizeof(caps->missing));
	return -ENODEV;
}

int svm_caps_check(const struct svm_cpuid *id, struct virt_caps *caps)
{
	if (id->max_ext < 0x8000000a)
		return lack(caps, "no CPUID leaf 8000_000Ah");
	if (!(id->e1_ecx & BIT(2)))
		return lack(caps, "SVM (CPUID 8000_0001h ECX[2])");
	if (id->vm_cr_known && (id->vm_cr & MSR_VM_CR_SVMDIS))
		return lack(caps, "SVM disabled by firmware (VM_CR.SVMDIS)");
	caps->nested_paging = id->a_edx & SVM_FEAT_NP;
	caps->next_rip = id->a_edx & SVM_FEAT_NRIPS;
	caps->tlb_tags = id->a_ebx > 1;
	caps->nr_tags = id->a_ebx;
	caps->unrestricted = true;	/* SVM runs real mode natively */
	caps->perf_global_ctrl = false;
	caps->nmi_window = true;
	caps->nmi_how = (id->a_edx & SVM_FEAT_VNMI) ?
			"vNMI (CPUID 8000_000Ah EDX[25])" :
			"IRET intercept and single-step (no vNMI)";
	if (!caps->nested_paging)
		return lack(caps, "nested paging (CPUID 8000_000Ah EDX[0])");
	return 0;
}
