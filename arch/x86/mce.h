/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host machine checks (arch/x86/mce.c): CR4.MCE and the MCA banks on
 * every CPU, the #MC handler, and the same report for a #MC that arrived
 * while a guest ran (a VM exit on SVM and VMX).
 */
#ifndef ARCH_X86_MCE_H
#define ARCH_X86_MCE_H

#include <hv/types.h>

struct trap_frame;
struct vcpu;

/* Architectural MCA MSRs and bits (SDM vol. 3B 17.3, AMD APM vol. 2 9.3). */
#define MSR_MCG_CAP       0x179
#define MSR_MCG_STATUS    0x17a
#define MSR_MCG_CTL       0x17b
#define MSR_MC_CTL(i)     (0x400 + 4 * (i))
#define MSR_MC_STATUS(i)  (0x401 + 4 * (i))
#define MSR_MC_ADDR(i)    (0x402 + 4 * (i))
#define MSR_MC_MISC(i)    (0x403 + 4 * (i))

#define MCG_CAP_COUNT     0xff
#define MCG_CAP_CTL_P     BIT(8)
#define MCG_STATUS_RIPV   BIT(0)	/* restarting at the saved RIP is safe */
#define MCG_STATUS_EIPV   BIT(1)	/* the saved RIP caused the error */
#define MCG_STATUS_MCIP   BIT(2)	/* a #MC is in progress */

#define MCI_STATUS_VAL    BIT(63)
#define MCI_STATUS_OVER   BIT(62)
#define MCI_STATUS_UC     BIT(61)
#define MCI_STATUS_EN     BIT(60)
#define MCI_STATUS_MISCV  BIT(59)
#define MCI_STATUS_ADDRV  BIT(58)
#define MCI_STATUS_PCC    BIT(57)

#define MCE_MAX_BANKS 32

struct mce_bank {
	u32 bank;
	u64 status, addr, misc;
};

/*
 * Whether a #MC can be survived: not when restarting is unsafe (RIPV
 * clear), a bank says the processor context is corrupt (PCC) or holds an
 * uncorrected error (UC). *@why says which.
 */
bool mce_fatal(u64 mcg_status, const struct mce_bank *b, u32 n,
	       const char **why);

/*
 * Whether a guest-mode shutdown was a machine check (pure; see
 * mce_severity.c), and the same read from this CPU's MCA registers.
 */
bool mce_explains_shutdown(u64 mcg_status, const struct mce_bank *b, u32 n);
bool mce_pending(void);

void mce_cpu_init(void);
/* Vector 18 in the hypervisor. */
void mce_handle(struct trap_frame *f);
/* A #MC while @vcpu ran, passed on by its VM exit (hv/exit.c). */
void mce_from_guest(struct vcpu *vcpu);

#endif /* ARCH_X86_MCE_H */
