// SPDX-License-Identifier: GPL-2.0
/*
 * What the VMX backend needs of the CPU, decided from the capability MSRs
 * alone (SDM vol. 3 appendix A): vmx_probe() reads them on the boot CPU,
 * the readiness report (arch/x86/hw_decode.c) takes them from a record.
 * No hardware access here.
 */
#include <arch/x86/vmx.h>
#include <hv/errno.h>
#include <hv/printf.h>
#include <hv/string.h>
#include <hv/virt.h>

void vmx_caps_lack(struct virt_caps *caps, const char *what)
{
	size_t n = strlen(caps->missing);

	hv_snprintf(caps->missing + n, sizeof(caps->missing) - n, "%s%s",
		    n ? ", " : "", what);
}

int vmx_caps_check(const struct vmx_caps *c, struct virt_caps *caps)
{
	bool true_ctls = c->basic & VMX_BASIC_TRUE_CTLS;

	caps->nested_paging = (c->proc2_1 & PROC2_EPT) &&
			      (c->ept_vpid & EPT_CAP_WALK4);
	caps->tlb_tags = c->proc2_1 & PROC2_VPID;
	caps->nr_tags = caps->tlb_tags ? 0xffff : 0;
	caps->next_rip = true;		/* VM_EXIT_INSTRUCTION_LEN */
	caps->unrestricted = c->proc2_1 & PROC2_UNRESTRICTED;
	caps->perf_global_ctrl = (c->exit1 & EXIT_LOAD_PERF_GLOBAL) &&
				 (c->entry1 & ENTRY_LOAD_PERF_GLOBAL);
	caps->perf_global_save = caps->perf_global_ctrl &&
				 (c->exit1 & EXIT_SAVE_PERF_GLOBAL);
	caps->nmi_window = true;
	caps->nmi_how = "virtual NMIs with NMI-window exiting";

	/* What perfvisor cannot do without. */
	if (c->basic & BIT(48))
		vmx_caps_lack(caps, "64-bit VMX physical addresses (VMX_BASIC[48] set)");
	if (!true_ctls)
		vmx_caps_lack(caps, "TRUE VMX controls (VMX_BASIC[55])");
	if (!(c->proc1 & PROC_SECONDARY))
		vmx_caps_lack(caps, "secondary processor controls");
	if (!caps->nested_paging)
		vmx_caps_lack(caps, "EPT with 4-level walks");
	else if (!(c->ept_vpid & EPT_CAP_WB))
		vmx_caps_lack(caps, "write-back EPT paging structures");
	if (!caps->unrestricted)
		vmx_caps_lack(caps, "unrestricted guest");
	if (!(c->proc1 & PROC_TSC_OFFSET))
		vmx_caps_lack(caps, "TSC offsetting (processor-based bit 3)");
	/* Without them the guest's MOV to CR8 would set the host's TPR. */
	if ((c->proc1 & (PROC_CR8_LOAD | PROC_CR8_STORE)) !=
	    (PROC_CR8_LOAD | PROC_CR8_STORE))
		vmx_caps_lack(caps, "CR8-load and CR8-store exiting (processor-based bits 19, 20)");
	if ((c->proc1 & (PROC_IO_BITMAPS | PROC_MSR_BITMAPS)) !=
	    (PROC_IO_BITMAPS | PROC_MSR_BITMAPS))
		vmx_caps_lack(caps, "I/O and MSR bitmaps");
	if ((c->exit1 & (EXIT_HOST_ADDR64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER |
			 EXIT_SAVE_PAT | EXIT_LOAD_PAT)) !=
	    (EXIT_HOST_ADDR64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER |
	     EXIT_SAVE_PAT | EXIT_LOAD_PAT))
		vmx_caps_lack(caps, "VM-exit EFER/PAT save and load");
	if ((c->entry1 & (ENTRY_LOAD_EFER | ENTRY_LOAD_PAT | ENTRY_IA32E)) !=
	    (ENTRY_LOAD_EFER | ENTRY_LOAD_PAT | ENTRY_IA32E))
		vmx_caps_lack(caps, "VM-entry EFER/PAT load");
	/*
	 * "Virtual NMIs" (SDM vol. 3 25.6.1; needs "NMI exiting") makes the
	 * CPU track the guest's NMI blocking from an injected NMI to its
	 * IRET; only with it may "NMI-window exiting" (25.6.2) be set
	 * (27.2.1.1; section numbers of the 2023+ SDM). Without it, an IRET
	 * under "NMI exiting" leaves the blocking alone (26.3), so the
	 * guest would never get a second NMI: required.
	 */
	if (!(c->pin1 & PIN_VIRTUAL_NMI) || !(c->proc1 & PROC_NMI_WINDOW))
		vmx_caps_lack(caps, "virtual NMIs and NMI-window exiting (pin-based bit 5, processor-based bit 22)");
	return caps->missing[0] ? -ENODEV : 0;
}
