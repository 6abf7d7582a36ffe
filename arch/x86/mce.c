// SPDX-License-Identifier: GPL-2.0
/*
 * Host machine checks (SDM vol. 3B ch. 17, AMD APM vol. 2 ch. 9).
 *
 * Each CPU enables every error-reporting bank (MCG_CTL and MCi_CTL all
 * ones), reports what the banks logged before this boot (a warm reset
 * keeps them: often the reason for the last crash), clears them and sets
 * CR4.MCE; without CR4.MCE a machine check shuts the processor down.
 *
 * The #MC handler (vector 18, on its own IST stack) reads MCG_STATUS and
 * each bank's MCi_STATUS, and MCi_ADDR / MCi_MISC where the status says
 * they are valid, reports them with the registers, and decides by
 * mce_fatal(): a fatal one stops every CPU, leaving the banks as they are
 * for the firmware and the next boot; a survivable one clears them and
 * MCG_STATUS.MCIP (a second #MC with MCIP set is a shutdown) and resumes.
 *
 * A #MC while a guest runs is a VM exit on both vendors (the #MC
 * exception intercept on SVM; on VMX, bit 18 of the exception bitmap and
 * the "machine-check event during VM entry" exit, SDM vol. 3C 26.2 and
 * 27.8), not a host exception: the backend turns it into EXIT_MACHINE_CHECK
 * and hv/exit.c calls mce_from_guest(), which reports and decides the
 * same way, naming the guest.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <arch/x86/fault.h>
#include <arch/x86/mce.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/vcpu.h>
#include <hv/vm.h>

#define CPUID1_EDX_MCE BIT(7)
#define CPUID1_EDX_MCA BIT(14)

static u32 nr_banks;	/* the same on every CPU of a machine */

static u32 bank_count(u32 edx)
{
	u64 cap;

	if (!(edx & CPUID1_EDX_MCA) || rdmsr_safe(MSR_MCG_CAP, &cap))
		return 0;
	return (cap & MCG_CAP_COUNT) < MCE_MAX_BANKS ?
	       (cap & MCG_CAP_COUNT) : MCE_MAX_BANKS;
}

static u32 read_banks(struct mce_bank *b)
{
	u32 n = 0;

	for (u32 i = 0; i < nr_banks; i++) {
		u64 st;

		if (rdmsr_safe(MSR_MC_STATUS(i), &st) || !(st & MCI_STATUS_VAL))
			continue;
		b[n] = (struct mce_bank){ .bank = i, .status = st };
		if (st & MCI_STATUS_ADDRV)
			rdmsr_safe(MSR_MC_ADDR(i), &b[n].addr);
		if (st & MCI_STATUS_MISCV)
			rdmsr_safe(MSR_MC_MISC(i), &b[n].misc);
		n++;
	}
	return n;
}

static void clear_banks(const struct mce_bank *b, u32 n)
{
	for (u32 i = 0; i < n; i++)
		wrmsr_safe(MSR_MC_STATUS(b[i].bank), 0);
}

void mce_cpu_init(void)
{
	struct mce_bank b[MCE_MAX_BANKS];
	struct cpuid_regs r;
	u32 n;
	u64 cap = 0;

	cpuid_count(1, 0, &r);
	if (!(r.edx & CPUID1_EDX_MCE)) {
		if (this_cpu_index() == 0)
			pr_warn("machine checks: the CPU has no #MC (CPUID.1:EDX.MCE): CR4.MCE left off\n");
		return;
	}
	nr_banks = bank_count(r.edx);
	if (!nr_banks) {
		/* #MC without MCA: reported from MCG_STATUS alone (if any). */
		write_cr4(read_cr4() | X86_CR4_MCE);
		if (this_cpu_index() == 0)
			pr_warn("machine checks: no MCA banks to read; CR4.MCE on\n");
		return;
	}
	rdmsr_safe(MSR_MCG_CAP, &cap);
	if (cap & MCG_CAP_CTL_P)
		wrmsr_safe(MSR_MCG_CTL, ~0ULL);
	for (u32 i = 0; i < nr_banks; i++)
		wrmsr_safe(MSR_MC_CTL(i), ~0ULL);
	n = read_banks(b);
	for (u32 i = 0; i < n; i++)
		pr_warn("machine check bank %u logged before this boot: status %#llx addr %#llx misc %#llx\n",
			b[i].bank, (unsigned long long)b[i].status,
			(unsigned long long)b[i].addr,
			(unsigned long long)b[i].misc);
	clear_banks(b, n);
	wrmsr_safe(MSR_MCG_STATUS, 0);
	write_cr4(read_cr4() | X86_CR4_MCE);
	if (this_cpu_index() == 0)
		pr_info("machine checks: %u banks, CR4.MCE on\n", nr_banks);
}

static void flags(char *buf, u64 st)
{
	static const struct {
		u64 bit;
		const char *name;
	} f[] = {
		{ MCI_STATUS_OVER, " OVER" }, { MCI_STATUS_UC, " UC" },
		{ MCI_STATUS_EN, " EN" }, { MCI_STATUS_MISCV, " MISCV" },
		{ MCI_STATUS_ADDRV, " ADDRV" }, { MCI_STATUS_PCC, " PCC" },
	};
	char *p = buf;

	*p = 0;
	for (u32 i = 0; i < ARRAY_SIZE(f); i++) {
		if (!(st & f[i].bit))
			continue;
		for (const char *s = f[i].name; *s; s++)
			*p++ = *s;
		*p = 0;
	}
}

static void report(struct trap_frame *f, struct vcpu *guest)
{
	struct mce_bank b[MCE_MAX_BANKS];
	u64 mcg = 0;
	const char *why;
	bool fatal, taken, kept;
	char fl[64];
	u32 n;

	rdmsr_safe(MSR_MCG_STATUS, &mcg);
	n = read_banks(b);
	fatal = mce_fatal(mcg, b, n, &why);
	if (fatal && fault_fatal_begin() == STOP_QUIET)
		fault_stop_machine();
	kept = fault_keep(!fatal);	/* survived: `log` shows it too */
	taken = fault_lock();
	fault_printf("MACHINE CHECK on cpu%u (apic id %u)%s: MCG_STATUS %#llx (RIPV %u EIPV %u MCIP %u), %u of %u banks logged\n",
		     this_cpu_index(), percpu_ready ? this_cpu()->apic_id : 0,
		     guest ? " while a guest ran" : "",
		     (unsigned long long)mcg, !!(mcg & MCG_STATUS_RIPV),
		     !!(mcg & MCG_STATUS_EIPV), !!(mcg & MCG_STATUS_MCIP), n,
		     nr_banks);
	for (u32 i = 0; i < n; i++) {
		flags(fl, b[i].status);
		fault_printf("  bank %u: status %016llx [VAL%s] addr %016llx misc %016llx\n",
			     b[i].bank, (unsigned long long)b[i].status, fl,
			     (unsigned long long)b[i].addr,
			     (unsigned long long)b[i].misc);
	}
	if (guest)
		fault_printf("  in vm %s vcpu %u at guest rip %016llx\n",
			     guest->vm->name, guest->id,
			     (unsigned long long)guest->regs.rip);
	if (f)
		fault_regs(f);
	fault_printf("  %s: %s\n", fatal ? "unrecoverable" : "survived", why);
	if (taken)
		fault_unlock();
	if (fatal)
		fault_stop_machine();
	clear_banks(b, n);
	wrmsr_safe(MSR_MCG_STATUS, 0);
	fault_keep(kept);
}

void mce_handle(struct trap_frame *f)
{
	report(f, NULL);
}

bool mce_pending(void)
{
	struct mce_bank b[MCE_MAX_BANKS];
	u64 mcg = 0;
	u32 n;

	if (!nr_banks)
		return false;
	rdmsr_safe(MSR_MCG_STATUS, &mcg);
	n = read_banks(b);
	return mce_explains_shutdown(mcg, b, n);
}

void mce_from_guest(struct vcpu *vcpu)
{
	report(NULL, vcpu);
}
