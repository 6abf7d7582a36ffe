// SPDX-License-Identifier: GPL-2.0
/*
 * Exit dispatch: a table indexed by the neutral exit kind. Kinds without a
 * handler get #UD, which is what the guest would see from hardware that
 * does not implement the instruction.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/mce.h>
#include <hv/handlers.h>
#include <hv/log.h>
#include <hv/ram_lazy.h>
#include <hv/vcpu.h>
#include <pmu/pmu.h>

static const char *const kind_names[NR_EXIT_KINDS] = {
	[EXIT_HOST_INTR] = "host-intr",
	[EXIT_HOST_NMI] = "host-nmi",
	[EXIT_CPUID] = "cpuid",
	[EXIT_HLT] = "hlt",
	[EXIT_IO] = "io",
	[EXIT_MSR_READ] = "rdmsr",
	[EXIT_MSR_WRITE] = "wrmsr",
	[EXIT_HYPERCALL] = "hypercall",
	[EXIT_MEM_FAULT] = "mem-fault",
	[EXIT_EXCEPTION] = "exception",
	[EXIT_TRIPLE_FAULT] = "triple-fault",
	[EXIT_INVALID_STATE] = "invalid-state",
	[EXIT_VIRT_INSN] = "virt-insn",
	[EXIT_XSETBV] = "xsetbv",
	[EXIT_RDPMC] = "rdpmc",
	[EXIT_INVD] = "invd",
	[EXIT_WBINVD] = "wbinvd",
	[EXIT_PAUSE] = "pause",
	[EXIT_MONITOR] = "monitor/mwait",
	[EXIT_INIT] = "init",
	[EXIT_IRQ_WINDOW] = "irq-window",
	[EXIT_NMI_WINDOW] = "nmi-window",
	[EXIT_CR_WRITE] = "cr-write",
	[EXIT_TPR] = "tpr",
	[EXIT_RAM_ZERO] = "ram-zero",
	[EXIT_MACHINE_CHECK] = "machine-check",
	[EXIT_UNKNOWN] = "unknown",
};

const char *exit_kind_name(enum exit_kind kind)
{
	if ((unsigned int)kind >= NR_EXIT_KINDS || !kind_names[kind])
		return "?";
	return kind_names[kind];
}

static int handle_nothing(struct vcpu *vcpu, struct vm_exit *exit)
{
	(void)vcpu;
	(void)exit;
	return EXIT_RESUME;
}

/*
 * WBINVD and INVD are intercepted on both backends and never executed:
 * a guest looping on them would stall every other guest's caches. A
 * guest without assigned devices (all of them) has nothing that needs
 * the write-back, since guest RAM is coherent write-back memory; INVD,
 * which would discard dirty lines of memory others use, is treated as
 * WBINVD, and that as a no-op. PAUSE: nothing to do either.
 */
static int handle_skip(struct vcpu *vcpu, struct vm_exit *exit)
{
	return vcpu_skip_insn(vcpu, exit);
}

/* True if every other vCPU of the VM is gone or halted for good. */
static bool others_dead(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = vm->vcpus[i];

		if (v == vcpu || v->state == VCPU_STOPPED ||
		    v->state == VCPU_WAIT_SIPI)
			continue;
		if (v->state != VCPU_HALTED ||
		    (v->regs.rflags & X86_RFLAGS_IF))
			return false;
	}
	return true;
}

static int handle_hlt(struct vcpu *vcpu, struct vm_exit *exit)
{
	int err = vcpu_skip_insn(vcpu, exit);

	if (err)
		return err;
	/* The single-step trap after HLT ends the halt at once. */
	if (vcpu->regs.rflags & X86_RFLAGS_TF)
		return EXIT_RESUME;
	/*
	 * With interrupts off only NMI, INIT or SIPI from another vCPU can
	 * wake it (Linux parks its APs so at shutdown); if no vCPU is left
	 * to send one, the guest is done.
	 */
	if (!(vcpu->regs.rflags & X86_RFLAGS_IF) && others_dead(vcpu)) {
		vm_stop(vcpu->vm, VM_OUT_CRASH,
			"vcpu%u halted with interrupts disabled at rip %#llx",
			vcpu->id, (unsigned long long)vcpu->regs.rip);
		return EXIT_STOP;
	}
	vcpu->state = VCPU_HALTED;
	return EXIT_BLOCK;
}

/* Its chunk zeroed and mapped, the guest repeats the access. */
static int handle_ram_zero(struct vcpu *vcpu, struct vm_exit *exit)
{
	return ram_lazy_fault(vcpu->vm, exit->mem.gpa);
}

static int handle_rdpmc(struct vcpu *vcpu, struct vm_exit *exit)
{
	u64 val;

	if (pmu_rdpmc(vcpu, (u32)vcpu->regs.rcx, &val)) {
		vcpu_inject_gp(vcpu);
		return EXIT_RESUME;
	}
	vcpu->regs.rax = (u32)val;
	vcpu->regs.rdx = val >> 32;
	return vcpu_skip_insn(vcpu, exit);
}

/*
 * XSETBV (SDM vol. 2 "XSETBV"): #UD without XSAVE or with CR4.OSXSAVE
 * clear, #GP(0) outside CPL 0, for an XCR other than 0 or a value XCR0
 * cannot take. Both backends intercept it (the hardware may check CPL and
 * CR4 before the exit; checking again costs nothing), so XCR0 is the
 * vCPU's own and switched with its other extended state (xstate.c).
 */
static int handle_xsetbv(struct vcpu *vcpu, struct vm_exit *exit)
{
	u64 val = ((vcpu->regs.rdx & 0xffffffffULL) << 32) |
		  (vcpu->regs.rax & 0xffffffffULL);
	struct vcpu_sregs s;

	virt->get_sregs(vcpu, &s);
	if (!xstate_mask || !(s.cr4 & X86_CR4_OSXSAVE)) {
		vcpu_inject_ud(vcpu);
		return EXIT_RESUME;
	}
	if (vcpu_cpl(vcpu) || (u32)vcpu->regs.rcx != 0 ||
	    !xcr0_valid(val, xstate_mask)) {
		vcpu_inject_gp(vcpu);
		return EXIT_RESUME;
	}
	xstate_set_xcr0(vcpu, val);
	return vcpu_skip_insn(vcpu, exit);
}

/*
 * #DB and #AC are always intercepted, and only to be reflected: a guest
 * could otherwise keep the CPU in an exception loop inside the microcode,
 * never exiting (#AC during #AC delivery, CVE-2015-5307; a #DB raised by
 * delivering #DB, CVE-2015-8104). Each one now exits; the guest still
 * gets it as the CPU raised it, #DB with its DR6 bits.
 */
static int handle_exception(struct vcpu *vcpu, struct vm_exit *exit)
{
	if (exit->exc.vector == X86_DB) {
		virt->debug_trap(vcpu, exit->exc.dr6);
		return EXIT_RESUME;
	}
	virt->inject(vcpu, EVENT_EXCEPTION, exit->exc.vector,
		     exit->exc.has_error, exit->exc.error);
	return EXIT_RESUME;
}

static int handle_triple_fault(struct vcpu *vcpu, struct vm_exit *exit)
{
	(void)exit;
	vm_stop(vcpu->vm, VM_OUT_CRASH, "vcpu%u triple fault at rip %#llx",
		vcpu->id, (unsigned long long)vcpu->regs.rip);
	return EXIT_STOP;
}

static int handle_invalid_state(struct vcpu *vcpu, struct vm_exit *exit)
{
	virt->dump(vcpu);
	vm_stop(vcpu->vm, VM_OUT_CRASH,
		"vcpu%u: the CPU refused the guest state: %s", vcpu->id,
		exit->invalid ? exit->invalid : "no detail");
	return EXIT_STOP;
}

static int handle_unknown(struct vcpu *vcpu, struct vm_exit *exit)
{
	virt->dump(vcpu);
	vm_stop(vcpu->vm, VM_OUT_CRASH,
		"vcpu%u: unexpected exit %#llx at rip %#llx", vcpu->id,
		(unsigned long long)exit->vendor_code,
		(unsigned long long)vcpu->regs.rip);
	return EXIT_STOP;
}

static int handle_init(struct vcpu *vcpu, struct vm_exit *exit)
{
	(void)exit;
	/* A physical INIT is not for guests; it is dropped. */
	pr_guest_warn("vm %s vcpu%u: INIT signal ignored\n", vcpu->vm->name,
		vcpu->id);
	return EXIT_RESUME;
}

/*
 * The CPU had a machine check while this guest ran: it is the host's
 * (the exit consumed it), reported and judged by arch/x86/mce.c, which
 * stops the machine unless it was survivable; then the guest goes on.
 */
static int handle_machine_check(struct vcpu *vcpu, struct vm_exit *exit)
{
	(void)exit;
	mce_from_guest(vcpu);
	return EXIT_RESUME;
}

static int handle_ud(struct vcpu *vcpu, struct vm_exit *exit)
{
	(void)exit;
	vcpu_inject_ud(vcpu);
	return EXIT_RESUME;
}

static const exit_handler_t handlers[NR_EXIT_KINDS] = {
	[EXIT_HOST_INTR] = handle_nothing,
	[EXIT_HOST_NMI] = handle_nothing,
	[EXIT_CPUID] = handle_cpuid,
	[EXIT_HLT] = handle_hlt,
	[EXIT_IO] = handle_io,
	[EXIT_MSR_READ] = handle_msr_read,
	[EXIT_MSR_WRITE] = handle_msr_write,
	[EXIT_HYPERCALL] = handle_hypercall,
	[EXIT_MEM_FAULT] = handle_mem_fault,
	[EXIT_EXCEPTION] = handle_exception,
	[EXIT_TRIPLE_FAULT] = handle_triple_fault,
	[EXIT_INVALID_STATE] = handle_invalid_state,
	[EXIT_XSETBV] = handle_xsetbv,
	[EXIT_RDPMC] = handle_rdpmc,
	[EXIT_INVD] = handle_skip,
	[EXIT_WBINVD] = handle_skip,
	[EXIT_PAUSE] = handle_skip,
	[EXIT_INIT] = handle_init,
	[EXIT_IRQ_WINDOW] = handle_nothing,
	/* Nothing to do: the loop injects the NMI before the next entry. */
	[EXIT_NMI_WINDOW] = handle_nothing,
	[EXIT_CR_WRITE] = handle_cr_write,
	/* The loop takes the new CR8 (vcpu_sync_cr8) and injects. */
	[EXIT_TPR] = handle_nothing,
	[EXIT_RAM_ZERO] = handle_ram_zero,
	[EXIT_MACHINE_CHECK] = handle_machine_check,
	[EXIT_UNKNOWN] = handle_unknown,
	/* EXIT_VIRT_INSN, EXIT_MONITOR: no handler, #UD. */
};

int handle_exit(struct vcpu *vcpu, struct vm_exit *exit)
{
	exit_handler_t h = NULL;

	if ((unsigned int)exit->kind < NR_EXIT_KINDS)
		h = handlers[exit->kind];
	return h ? h(vcpu, exit) : handle_ud(vcpu, exit);
}
