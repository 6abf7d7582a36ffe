/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX backend's private state and the interfaces between its files
 * (vmx.c lists them). Nothing outside arch/x86/vmx*.c includes this.
 */
#ifndef ARCH_X86_VMX_IMPL_H
#define ARCH_X86_VMX_IMPL_H

#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/vm.h>

struct vm_exit;

#define VMX_LAZY_MSRS 5

struct vmx_vcpu {
	void *vmcs;
	u64 vmcs_pa;
	u8 *msr_bitmap;
	u8 *io_bitmaps;
	bool setup;		/* VMCS initialised on its CPU */
	bool launched;
	bool sregs_valid;	/* the cache equals the VMCS */
	bool sregs_dirty;	/* the cache is newer than the VMCS */
	bool irq_window;
	bool nmi_window;	/* NMI-window exiting wanted */
	bool flush_tlb;
	bool reset;		/* vmx_vcpu_reset: VMCS fields to clear */
	u32 cpu;
	struct vcpu_sregs sregs;	/* guest-visible CR0/CR4 values */
	u32 event_info;		/* VM-entry interruption info to inject */
	u32 event_error;
	u32 event_len;
	u8 last_insn_len;
	u64 exit_rip;		/* guest RIP at the last exit */
	u64 tsc_offset;		/* TSC_OFFSET for the next entry */
	/*
	 * What the VMCS holds, so that an entry writes TSC_OFFSET and the
	 * window controls only when they change (vmx_run.c): set where the
	 * fields are written, from vmx_vmcs_setup() on. Only this vCPU's CPU
	 * writes its VMCS, and VMPTRLD of another VMCS in between keeps the
	 * fields (a VMCS is VMCLEARed only by setup and destroy).
	 */
	u64 vmcs_tsc_offset;
	u32 vmcs_windows;	/* PROC_INTR_WINDOW | PROC_NMI_WINDOW set */
	u64 cr4_allowed;	/* CR4 bits CPUID offers (set_cr4_allowed) */
	u8 cr8;			/* the guest's CR8 (CR8 exiting, vmx_exit.c) */
	bool dr6_trap;		/* a #DB is injected: DR6 to write first */
	u64 dr6_bits;		/* its B0-B3, BD, BS (vmx_event.c) */
	/* KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK (vmx_run.c) */
	u64 syscall_msrs[VMX_LAZY_MSRS];
	struct vmx_pmu pmu;	/* vmx_pmu.c */
	char diag[256];
};

/* Per physical CPU, reached through pcpu->virt_area2. */
struct vmx_cpu {
	struct vcpu *current_vmcs;	/* whose VMCS is loaded */
	struct vcpu *msr_owner;		/* whose SYSCALL MSRs are loaded */
};

/* The controls every VMCS gets, chosen once at probe time (vmx.c). */
struct vmx_ctls {
	u32 pin, proc, proc2, exit, entry;
	u64 eptp_flags;
};

extern struct vmx_ctls vmx_ctls;

static inline struct vmx_vcpu *to_vmx(struct vcpu *vcpu)
{
	return vcpu->vendor;
}

static inline struct vmx_cpu *this_vmx_cpu(void)
{
	return phys_to_virt(this_cpu()->virt_area2);
}

/*
 * What a VM entry uses up: the event it injects and, the first time, the
 * launch. A machine check can fail the entry before the guest ran (exit
 * reason 41, SDM vol. 3C 27.8 and 27.9, "VM-entry failure due to
 * machine-check event"): vmx_entry_undo() then gives both back, so the
 * next entry injects the event again and launches rather than resumes.
 */
struct vmx_entry {
	bool launched;
	u32 event_info;
};

/* Just before VMLAUNCH/VMRESUME, once ENTRY_INTR_INFO is written. */
static inline struct vmx_entry vmx_entry_take(struct vmx_vcpu *vx)
{
	struct vmx_entry e = { vx->launched, vx->event_info };

	vx->event_info = 0;
	return e;
}

static inline void vmx_entry_undo(struct vmx_vcpu *vx,
				  const struct vmx_entry *e)
{
	vx->launched = e->launched;
	vx->event_info = e->event_info;
}

/*
 * The guest interruptibility to re-enter with when an exit interrupted the
 * delivery of an NMI (IDT-vectoring information, SDM vol. 3C 28.2.4): the
 * NMI was not delivered, so the guest is not in its NMI handler, and an
 * entry that injects an NMI needs blocking by NMI clear (26.3.1.5, "virtual
 * NMIs" on). A CPU may save the bit set all the same: Bochs 3.0 blocks
 * virtual NMIs before it starts the delivery and saves that at the exit
 * (and skips the entry check), real processors fail the entry. Other
 * events leave the blocking as saved.
 */
static inline u32 vmx_reinject_blocking(u32 idt_info, u32 blocking)
{
	if ((idt_info & INTR_INFO_VALID) &&
	    ((idt_info >> INTR_INFO_TYPE_SHIFT) & 7) == INTR_TYPE_NMI)
		return blocking & ~INTERRUPTIBILITY_NMI;
	return blocking;
}

/*
 * The CR4 a guest runs with: its own bits plus those VMX fixes, and the
 * host's CR4.MCE whatever the guest chose (CPUID hides MCE from guests,
 * so they all run with it clear). A host machine check in guest mode is
 * a #MC, hence an exit through bit 18 of the exception bitmap, only with
 * CR4.MCE set; with it clear the processor shuts down (SDM vol. 3C 27.8,
 * 26.2). The bit is host-owned (vmx_cr4_host_mask), so the guest still
 * reads its own value from the read shadow.
 */
static inline u64 vmx_guest_cr4(u64 visible, u64 fixed0, u64 fixed1,
				u64 host_cr4)
{
	return (visible | fixed0 | (host_cr4 & X86_CR4_MCE)) & fixed1;
}

/* vmx_vmcs.c */
u64 vmx_cr4_host_mask(const struct vmx_vcpu *vx);
int vmx_vmcs_setup(struct vcpu *vcpu);
void vmx_flush_sregs(struct vmx_vcpu *vx);
void vmx_get_sregs(struct vcpu *vcpu, struct vcpu_sregs *s);
void vmx_set_sregs(struct vcpu *vcpu, const struct vcpu_sregs *s);

/* vmx_event.c */
void vmx_inject(struct vcpu *vcpu, enum event_type type, u8 vector,
		bool has_error, u32 error);
u32 vmx_blocking(struct vcpu *vcpu);
bool vmx_irq_window_open(struct vcpu *vcpu);
bool vmx_nmi_window_open(struct vcpu *vcpu);
void vmx_request_irq_window(struct vcpu *vcpu, bool on);
void vmx_request_nmi_window(struct vcpu *vcpu, bool on);
void vmx_nmi_window_exit(void);
void vmx_nmi_reblock_after_iret(u64 qual);
void vmx_debug_trap(struct vcpu *vcpu, u64 dr6);
void vmx_retire(struct vcpu *vcpu, u32 len);

/* vmx_exit.c: true if the exit was handled there (CR access). */
bool vmx_decode_exit(struct vcpu *vcpu, struct vm_exit *e, u32 reason);

/* vmx_run.c */
void vmx_vcpu_run(struct vcpu *vcpu, struct vm_exit *exit);
void vmx_dump(struct vcpu *vcpu);

#endif /* ARCH_X86_VMX_IMPL_H */
