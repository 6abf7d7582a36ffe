// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU loop: enter the guest, account the exit, dispatch it. The
 * guest's PMU is loaded into this CPU's hardware for the whole loop and
 * saved when it ends (pmu/pmu.h); the hooks around the entry cost no PMU
 * MSR access unless there is PMU work.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/insn.h>
#include <arch/x86/xstate.h>
#include <hv/errno.h>
#include <hv/gmem.h>
#include <hv/guest_ram.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/prof.h>
#include <hv/vcpu.h>
#include <hv/vcpu_irq.h>
#include <pmu/pmu.h>

static void account(struct vcpu *vcpu, const struct vm_exit *exit)
{
	struct exit_trace *t = &vcpu->trace[vcpu->trace_head++ %
					    EXIT_TRACE_LEN];

	vcpu->nr_exits++;
	vcpu->exits[exit->kind]++;
	t->tsc = rdtsc();
	t->rip = vcpu->regs.rip;
	t->vendor_code = exit->vendor_code;
	t->qual = exit->qual;
	t->kind = exit->kind;
}

/* After every exit: a CR8 the guest wrote is its TPR now (hv/vcpu_irq.h). */
static inline void vcpu_sync_cr8(struct vcpu *vcpu)
{
	u8 cr8 = virt->get_cr8(vcpu);

	if (unlikely(cr8 != vcpu->lapic.tpr >> 4))
		vcpu->lapic.tpr = (u32)cr8 << 4;
}

/* Lets a pending host interrupt (a kick) be taken and acknowledged. */
static void host_irq_window(void)
{
	asm volatile("sti; nop; cli" ::: "memory");
}

static bool vcpu_can_run(struct vcpu *vcpu)
{
	return vcpu->vm->state == VM_RUNNING && vcpu->state != VCPU_STOPPED;
}

void vcpu_run(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct vm_exit exit = { .kind = EXIT_UNKNOWN };
	int r = EXIT_RESUME;

	if (vcpu->msr_tsc_aux != rdmsr(MSR_TSC_AUX))
		wrmsr(MSR_TSC_AUX, vcpu->msr_tsc_aux);
	vcpu->run_start_tsc = rdtsc();
	xstate_vcpu_load(vcpu);
	pmu_vcpu_load(vcpu);
	prof_disarm(&vcpu->prof);
	while (vcpu_can_run(vcpu)) {
		/*
		 * After a quiet exit (hv/exit.h) nothing below has anything
		 * new to see: what else could have changed arrives with a
		 * host interrupt (another CPU's kick, the host timer armed
		 * for the guest's timers, a PMI), which is held pending while
		 * the hypervisor runs and makes the entry exit at once, as a
		 * host-intr exit that takes the whole path.
		 */
		if (r != EXIT_QUIET) {
			pmu_vcpu_poll(vcpu);
			if (!vcpu_irq_update(vcpu)) {
				/* Halted or waiting for SIPI: sleep until an event. */
				vcpu_irq_idle(vcpu);
				continue;
			}
			vcpu_irq_inject(vcpu);
			vcpu_irq_arm_timer(vcpu);
			pmu_guest_enter(vcpu);
		}
		/* The round trip of the last exit ends here (hv/prof.h). */
		if (unlikely(prof_on))
			prof_entry(&vcpu->prof, exit.kind);
		virt->vcpu_run(vcpu, &exit);
		if (unlikely(pmu_exit_work(&vcpu->pmu)))
			pmu_guest_exit(vcpu);
		vcpu_sync_cr8(vcpu);
		if (exit.kind == EXIT_MEM_FAULT &&
		    guest_ram_overlaps(vm->ram_size, exit.mem.gpa, 1))
			exit.kind = EXIT_RAM_ZERO;	/* not yet zeroed */
		account(vcpu, &exit);
		if (exit.kind == EXIT_HOST_INTR) {
			host_irq_window();
			vcpu_irq_host_intr();
		}

		r = handle_exit(vcpu, &exit);
		if (r < 0 && vm->state == VM_RUNNING) {
			vm_stop(vm, VM_OUT_CRASH,
				"internal error %d handling a %s exit at rip %#llx",
				r, exit_kind_name(exit.kind),
				(unsigned long long)vcpu->regs.rip);
		} else if (r == EXIT_BLOCK) {
			/* handle_exit() set the state the vCPU waits in. */
		}
	}
	pmu_vcpu_put(vcpu);
}

u32 vcpu_cpl(struct vcpu *vcpu)
{
	struct vcpu_sregs s;

	virt->get_sregs(vcpu, &s);
	if (!(s.cr0 & X86_CR0_PE))
		return 0;
	if (vcpu->regs.rflags & X86_RFLAGS_VM)
		return 3;
	return (s.ss.attr >> 5) & 3;
}

void vcpu_inject_exception(struct vcpu *vcpu, u8 vector, u32 error)
{
	virt->inject(vcpu, EVENT_EXCEPTION, vector,
		     x86_exception_has_error(vector), error);
}

/* Both callers' whole work: one copy, no call between them. */
static inline __attribute__((always_inline)) int
advance_rip(struct vcpu *vcpu, const struct vm_exit *exit)
{
	u8 bytes[INSN_MAX_LEN];
	struct vcpu_sregs s;
	enum insn_mode mode;
	int n, len;

	if (exit->insn_len) {
		len = exit->insn_len;
	} else {
		/* No next-RIP from the CPU: fetch and decode (15.7.1). */
		virt->get_sregs(vcpu, &s);
		n = gva_fetch(vcpu, &s, vcpu->regs.rip, bytes, sizeof(bytes));
		if (n <= 0)
			return n ? n : -EFAULT;
		mode = gmem_insn_mode(&s);
		len = insn_decode(bytes, n, mode, NULL);
		if (len < 0)
			return len;
		if (mode != INSN_MODE_64) {
			vcpu->regs.rip = (u32)(vcpu->regs.rip + len);
			vcpu_insn_completed(vcpu);
			return 0;
		}
	}
	vcpu->regs.rip += len;
	vcpu_insn_completed(vcpu);
	return 0;
}

int vcpu_skip_insn_decode(struct vcpu *vcpu, const struct vm_exit *exit)
{
	int err = advance_rip(vcpu, exit);

	if (!err)
		pmu_retired_insn(vcpu, false);
	return err;
}

void vcpu_retire(struct vcpu *vcpu, u64 len, bool narrow)
{
	vcpu->regs.rip += len;
	if (narrow)
		vcpu->regs.rip = (u32)vcpu->regs.rip;
	pmu_retired_insn(vcpu, false);
	vcpu_insn_completed(vcpu);
}

int vcpu_advance_rip(struct vcpu *vcpu, const struct vm_exit *exit)
{
	return advance_rip(vcpu, exit);
}
