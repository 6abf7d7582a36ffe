// SPDX-License-Identifier: GPL-2.0
/* Hypercalls (ABI in hv/abi.h). */
#include <arch/x86/cpu.h>
#include <arch/x86/fault.h>
#include <drivers/lapic.h>
#include <hv/abi.h>
#include <hv/bootinfo.h>
#include <hv/errno.h>
#include <hv/handlers.h>
#include <hv/percpu.h>
#include <hv/rendezvous.h>
#include <hv/time.h>
#include <hv/vcpu.h>

BUILD_BUG_ON(PV_EXIT_HOST_NMI != EXIT_HOST_NMI);
BUILD_BUG_ON(PV_EXIT_HYPERCALL != EXIT_HYPERCALL);
BUILD_BUG_ON(PV_EXIT_INVD != EXIT_INVD);
BUILD_BUG_ON(PV_EXIT_WBINVD != EXIT_WBINVD);

static s64 do_hypercall(struct vcpu *vcpu, u64 nr, u64 a0, u64 a1,
			bool *inject)
{
	switch (nr) {
	case PV_HC_VERSION:
		return PV_VERSION;
	case PV_HC_ECHO:
		return (s64)~a0;
	case PV_HC_EXIT_COUNT:
		if (a0 >= NR_EXIT_KINDS)
			return -EINVAL;
		return (s64)vcpu->exits[a0];
	case PV_HC_VCPU_ID:
		return vcpu->id;
	case PV_HC_RUNNING_VMS:
		/* What other guests do is theirs: test mode only. */
		if (boot_info->cfg.mode != CFG_MODE_TEST)
			return -EPERM;
		return vms_started(vms, nr_vms);
	case PV_HC_RENDEZVOUS:
		/*
		 * A channel between guests: in test mode between a test's
		 * instances, otherwise only between guests the configuration
		 * names with one `meet`.
		 */
		if (boot_info->cfg.mode != CFG_MODE_TEST &&
		    !vcpu->vm->cfg->meet[0])
			return -EPERM;
		return rendezvous_arrive(vcpu->vm, vms, nr_vms, a0);
	case PV_HC_BOOT_COUNT:
		return vcpu->vm->restarts;
	case PV_HC_WATCHDOG:
		/* vm_restart_poll() resets the VM once it expires. */
		if (a0 > 3600 * 1000)
			return -EINVAL;
		vcpu->vm->watchdog_tsc = a0 ? rdtsc() + us_to_tsc(a0 * 1000) : 0;
		return 0;
	case PV_HC_TEST_NMI:
	case PV_HC_HOST_NMIS: {
		struct vcpu *v;

		if (a0 >= vcpu->vm->nr_vcpus)
			return -EINVAL;
		v = vcpu->vm->vcpus[a0];
		if (nr == PV_HC_HOST_NMIS)
			return a1 ? (s64)v->exits[EXIT_HOST_NMI] :
				    (s64)pcpus[v->pcpu]->host_nmis;
		if (boot_info->cfg.mode != CFG_MODE_TEST)
			return -EPERM;
		fault_expect_nmi(pcpus[v->pcpu]);
		lapic_send_ipi(pcpus[v->pcpu]->apic_id, ICR_DM_NMI);
		return 0;
	}
	case PV_HC_INJECT:
		/* Exceptions only: vectors 0-31 except NMI and reserved 15. */
		if (a0 >= 32 || a0 == 2 || a0 == 15)
			return -EINVAL;
		*inject = true;
		return 0;
	}
	return -ENOSYS;
}

int handle_hypercall(struct vcpu *vcpu, struct vm_exit *exit)
{
	struct guest_regs *r = &vcpu->regs;
	bool inject = false;
	int err;

	if (vcpu_cpl(vcpu) != 0) {
		r->rax = (u64)-EPERM;
		return vcpu_skip_insn(vcpu, exit);
	}
	r->rax = (u64)do_hypercall(vcpu, r->rax, r->rdi, r->rsi, &inject);
	err = vcpu_skip_insn(vcpu, exit);
	if (!err && inject)
		vcpu_inject_exception(vcpu, (u8)r->rdi, (u32)r->rsi);
	return err;
}
