// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt delivery to a vCPU (see hv/vcpu_irq.h). Other CPUs only set
 * IRR bits or pending flags in the target's local APIC and kick its CPU;
 * everything here runs on the vCPU's own CPU with interrupts off.
 */
#include <arch/x86/cpu.h>
#include <drivers/lapic.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hv/vcpu.h>
#include <hv/vcpu_irq.h>
#include <hv/vpit.h>

/* The host timer deadline armed on each CPU (0: none). */
static u64 armed[MAX_CPUS];

static void real_mode_seg(struct seg *s, u16 sel, u16 attr)
{
	s->sel = sel;
	s->attr = attr;
	s->limit = 0xffff;
	s->base = (u64)sel << 4;
}

/* Processor state after INIT (SDM vol. 3 10.1.1, table 10-1). */
static void init_state(struct vcpu *vcpu, u8 sipi_vector)
{
	struct vcpu_sregs s;
	u64 pat;

	virt->get_sregs(vcpu, &s);
	pat = s.pat;
	real_mode_seg(&s.cs, (u16)sipi_vector << 8, 0x9b);
	real_mode_seg(&s.ds, 0, 0x93);
	real_mode_seg(&s.es, 0, 0x93);
	real_mode_seg(&s.fs, 0, 0x93);
	real_mode_seg(&s.gs, 0, 0x93);
	real_mode_seg(&s.ss, 0, 0x93);
	real_mode_seg(&s.tr, 0, 0x8b);
	real_mode_seg(&s.ldt, 0, 0x82);
	s.gdt.base = s.idt.base = 0;
	s.gdt.limit = s.idt.limit = 0xffff;
	s.cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW;
	s.cr2 = s.cr3 = s.cr4 = 0;
	s.efer = 0;
	s.pat = pat;
	virt->set_sregs(vcpu, &s);
	vcpu->regs = (struct guest_regs){ .rflags = X86_RFLAGS_FIXED };
}

static void signals(struct vcpu *vcpu)
{
	struct vlapic *vl = &vcpu->lapic;
	/* SIPI first: an INIT sent before it is then visible too. */
	u32 sipi = __atomic_exchange_n(&vl->pending_sipi, 0, __ATOMIC_ACQUIRE);

	if (__atomic_exchange_n(&vl->pending_init, 0, __ATOMIC_ACQUIRE)) {
		/* INIT: APIC reset except ID and mode (11.4.7.3). */
		vlapic_reset(vl);
		vcpu->state = VCPU_WAIT_SIPI;
	}
	if (sipi && vcpu->state == VCPU_WAIT_SIPI) {
		init_state(vcpu, (u8)__atomic_load_n(&vl->sipi_vector,
						     __ATOMIC_RELAXED));
		vcpu->state = VCPU_RUNNABLE;
	}
}

bool vcpu_irq_update(struct vcpu *vcpu)
{
	struct vlapic *vl = &vcpu->lapic;

	signals(vcpu);
	if (vcpu->id == 0)
		vpit_poll(vcpu->vm);	/* vCPU 0 keeps the PIT's time */
	vlapic_timer_check(vl, rdtsc());
	if (vcpu->state == VCPU_HALTED) {
		/* HLT ends on NMI, or an interrupt the guest accepts. */
		if (__atomic_load_n(&vl->pending_nmi, __ATOMIC_ACQUIRE) ||
		    ((vcpu->regs.rflags & X86_RFLAGS_IF) &&
		     vlapic_pending_vector(vl) >= 0))
			vcpu->state = VCPU_RUNNABLE;
	}
	return vcpu->state == VCPU_RUNNABLE;
}

static void arm(u64 deadline)
{
	u32 cpu = this_cpu()->index;
	u64 now = rdtsc();

	if (!deadline)
		return;
	/* Keep an earlier deadline that is still ahead. */
	if (armed[cpu] && armed[cpu] > now && armed[cpu] <= deadline)
		return;
	armed[cpu] = deadline;
	/*
	 * VEC_TIMER makes the guest exit, or ends the host's HLT. Rounded
	 * up: firing early only costs a re-arm, but costs one.
	 */
	lapic_timer_oneshot_us(deadline > now ? tsc_to_us(deadline - now) + 1 :
						0);
}

void vcpu_irq_host_intr(void)
{
	/* It may have been our timer: the next arm() must program it. */
	armed[this_cpu()->index] = 0;
}

/* The earliest of the local APIC timer and, for vCPU 0, the PIT. */
static u64 deadline(struct vcpu *vcpu)
{
	u64 apic = vcpu->lapic.timer_expiry;
	u64 pit = vcpu->id == 0 ? vpit_deadline(vcpu->vm) : 0;

	if (!apic || (pit && pit < apic))
		return pit;
	return apic;
}

void vcpu_irq_arm_timer(struct vcpu *vcpu)
{
	arm(deadline(vcpu));
}

void vcpu_irq_idle(struct vcpu *vcpu)
{
	arm(deadline(vcpu));
	sched_idle();
	vcpu_irq_host_intr();
}

/* The backend's requests, made only when they change (struct vcpu). */
static void ask(struct vcpu *vcpu, bool nmi_win, bool irq_win, u8 cr8,
		int held)
{
	if (likely(vcpu->asked)) {
		if (nmi_win == vcpu->asked_nmi_win &&
		    irq_win == vcpu->asked_irq_win &&
		    cr8 == vcpu->asked_cr8 && held == vcpu->asked_held)
			return;
	}
	if (!vcpu->asked || nmi_win != vcpu->asked_nmi_win)
		virt->request_nmi_window(vcpu, nmi_win);
	if (!vcpu->asked || irq_win != vcpu->asked_irq_win)
		virt->request_irq_window(vcpu, irq_win);
	if (!vcpu->asked || cr8 != vcpu->asked_cr8 ||
	    held != vcpu->asked_held)
		virt->set_cr8(vcpu, cr8, held);
	vcpu->asked_nmi_win = nmi_win;
	vcpu->asked_irq_win = irq_win;
	vcpu->asked_cr8 = cr8;
	vcpu->asked_held = (s8)held;
	vcpu->asked = true;
}

void vcpu_irq_inject(struct vcpu *vcpu)
{
	struct vlapic *vl = &vcpu->lapic;
	bool nmi_wait = false;
	int vec, held;

	/*
	 * One NMI at most is pending (further ones collapse into it, SDM
	 * vol. 3 6.7.1). If it cannot be injected now (shadow, a queued
	 * event, the guest still in its NMI handler), the backend makes
	 * the guest exit when it can: it may not exit by itself for long.
	 */
	if (__atomic_load_n(&vl->pending_nmi, __ATOMIC_ACQUIRE)) {
		if (virt->nmi_window_open(vcpu)) {
			__atomic_store_n(&vl->pending_nmi, 0,
					 __ATOMIC_RELAXED);
			virt->inject(vcpu, EVENT_NMI, 2, false, 0);
		} else {
			nmi_wait = true;
		}
	}
	vec = vlapic_irq_check(vl, &held);
	if (vec < 0) {
		ask(vcpu, nmi_wait, false, vl->tpr >> 4, held);
		return;
	}
	if (virt->irq_window_open(vcpu)) {
		vlapic_ack(vl, vec);
		virt->inject(vcpu, EVENT_EXT_INTR, vec, false, 0);
		ask(vcpu, nmi_wait, false, vl->tpr >> 4, -1);
	} else {
		ask(vcpu, nmi_wait, true, vl->tpr >> 4, -1);
	}
}
