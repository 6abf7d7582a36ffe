// SPDX-License-Identifier: GPL-2.0
/*
 * Machine-check severity, pure logic (unit-tested).
 *
 * perfvisor has no recovery: no page off-lining, no poison tracking, no
 * way to kill just the consumer of a bad line. So only a machine check
 * whose every logged error was corrected, and after which restarting at
 * the interrupted instruction is safe (MCG_STATUS.RIPV, SDM vol. 3B
 * 17.3.1.2), is survived; an uncorrected error (MCi_STATUS.UC) or a
 * corrupt processor context (PCC) stops the machine, even where the
 * hardware calls it software-recoverable (17.6.3).
 */
#include <arch/x86/mce.h>

bool mce_fatal(u64 mcg_status, const struct mce_bank *b, u32 n,
	       const char **why)
{
	if (!(mcg_status & MCG_STATUS_RIPV)) {
		*why = "MCG_STATUS.RIPV clear: the interrupted code cannot resume";
		return true;
	}
	for (u32 i = 0; i < n; i++) {
		if (!(b[i].status & MCI_STATUS_VAL))
			continue;
		if (b[i].status & MCI_STATUS_PCC) {
			*why = "PCC: the processor context is corrupt";
			return true;
		}
		if (b[i].status & MCI_STATUS_UC) {
			*why = "UC: an uncorrected error, and perfvisor has no recovery";
			return true;
		}
	}
	*why = "every logged error was corrected and RIPV is set";
	return false;
}

/*
 * Whether a shutdown in guest mode was the host's machine check. On SVM
 * the guest's CR4 is the hardware's, and CR4.MCE is clear in every guest
 * (CPUID hides MCE), so a #MC in guest mode is not an exception but a
 * shutdown (APM vol. 2 9.3.1, "CR4.MCE=0 ... the processor enters the
 * shutdown state"), which SVM intercepts as a shutdown exit. The banks
 * still logged it: an uncorrected error, or MCIP if the CPU set it.
 * Corrected errors raise no #MC, and the banks were cleared at boot.
 */
bool mce_explains_shutdown(u64 mcg_status, const struct mce_bank *b, u32 n)
{
	if (mcg_status & MCG_STATUS_MCIP)
		return true;
	for (u32 i = 0; i < n; i++) {
		if ((b[i].status & MCI_STATUS_VAL) &&
		    (b[i].status & (MCI_STATUS_UC | MCI_STATUS_PCC)))
			return true;
	}
	return false;
}
