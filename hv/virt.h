/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vendor interface: each hardware-virtualization backend under arch/
 * provides one `struct virt_ops`, chosen at boot from CPUID by
 * virt_backend_for(). Generic code never names a vendor; it reaches guest
 * state through these operations and the neutral structures below.
 */
#ifndef HV_VIRT_H
#define HV_VIRT_H

#include <hv/types.h>
#include <hv/exit.h>

struct pcpu;
struct vcpu;
struct vm;

/*
 * Segment register. `attr` uses a packed descriptor-attribute format (the
 * one AMD's control block uses, APM vol. 2 15.5.1; backends with another
 * layout convert): bits 7:0 = descriptor bits 47:40 (type,
 * S, DPL, P), bits 11:8 = descriptor bits 55:52 (AVL, L, D/B, G). An
 * attribute of 0 means "unusable" (a null selector).
 */
struct seg {
	u16 sel;
	u16 attr;
	u32 limit;
	u64 base;
};

#define SEG_ATTR_P  BIT(7)
#define SEG_ATTR_L  BIT(9)
#define SEG_ATTR_DB BIT(10)
#define SEG_ATTR_G  BIT(11)

struct dtable {
	u64 base;
	u16 limit;
};

/* Guest system state that changes rarely; read/written as a whole. */
struct vcpu_sregs {
	struct seg cs, ds, es, fs, gs, ss, tr, ldt;
	struct dtable gdt, idt;
	u64 cr0, cr2, cr3, cr4, efer;
	u64 pat;
};

/* Event types for injection. */
enum event_type { EVENT_EXT_INTR, EVENT_NMI, EVENT_EXCEPTION, EVENT_SOFT_INT };

struct virt_caps {
	bool nested_paging;
	bool tlb_tags;		/* ASIDs / VPIDs */
	bool next_rip;		/* the CPU reports instruction lengths */
	bool unrestricted;	/* real-mode guests run natively */
	bool perf_global_ctrl;	/* atomic PERF_GLOBAL_CTRL switch */
	bool perf_global_save;	/* ... and the exit control that saves it */
	bool nmi_window;	/* request_nmi_window() can be honoured */
	const char *nmi_how;	/* how guest NMI blocking is tracked */
	u32 nr_tags;
	char missing[128];	/* what the CPU lacks that we need */
};

struct virt_ops {
	const char *name;
	/* Checks the boot CPU; 0, or -ENODEV with caps->missing filled. */
	int (*probe)(struct virt_caps *caps);
	/* Turns virtualization on for the calling CPU. */
	int (*cpu_enable)(struct pcpu *cpu);
	/* Builds the guest-physical map (nested page tables / EPT). */
	int (*vm_init)(struct vm *vm);
	void (*vm_destroy)(struct vm *vm);
	/* Maps [gpa, gpa+size) to host [hpa, ...) with full access. */
	int (*vm_map)(struct vm *vm, gpa_t gpa, hpa_t hpa, u64 size);
	int (*vcpu_init)(struct vcpu *vcpu);
	void (*vcpu_destroy)(struct vcpu *vcpu);
	/* Enters the guest until the next exit, which it decodes. */
	void (*vcpu_run)(struct vcpu *vcpu, struct vm_exit *exit);
	void (*get_sregs)(struct vcpu *vcpu, struct vcpu_sregs *s);
	void (*set_sregs)(struct vcpu *vcpu, const struct vcpu_sregs *s);
	/* Queues an event for the next entry. */
	void (*inject)(struct vcpu *vcpu, enum event_type type, u8 vector,
		       bool has_error, u32 error);
	/* True if the guest can take an external interrupt right now. */
	bool (*irq_window_open)(struct vcpu *vcpu);
	/* Asks for an EXIT_IRQ_WINDOW exit as soon as it opens. */
	void (*request_irq_window)(struct vcpu *vcpu, bool on);
	/* Prints vendor control-block state for a post-mortem. */
	void (*dump)(struct vcpu *vcpu);
	/*
	 * True if an NMI can be injected now: the guest is not in its NMI
	 * handler (blocked until that handler's IRET has completed), no
	 * event is queued for the next entry and no instruction shadow
	 * blocks delivery. The backend tracks that blocking itself; the
	 * NMI injected through inject() starts it.
	 */
	bool (*nmi_window_open)(struct vcpu *vcpu);
	/*
	 * With @on, asks for an EXIT_NMI_WINDOW exit as soon as an NMI
	 * could be injected (after the shadow, the queued event or the
	 * handler's IRET), however long the guest then runs without other
	 * exits; with !@on, withdraws the request. An exit that merely may
	 * have opened the window is fine: the loop asks again.
	 */
	void (*request_nmi_window)(struct vcpu *vcpu, bool on);
	/*
	 * Guest reset: drops queued events and window requests and loads the
	 * architectural reset state. Called from any CPU while the vCPU runs
	 * nowhere; what needs its own CPU is done at the next entry.
	 */
	void (*vcpu_reset)(struct vcpu *vcpu);
	/*
	 * The guest's TSC is the host's plus @offset (mod 2^64) for RDTSC,
	 * RDTSCP and everything else that reads it in the guest, from the
	 * next entry on. Called on the vCPU's CPU or while it runs nowhere.
	 */
	void (*set_tsc_offset)(struct vcpu *vcpu, u64 offset);
	/*
	 * The CR4 bits the guest may set (cpuid_cr4_allowed()), once at
	 * creation: a MOV to CR4 with any other bit must #GP however the CPU
	 * would take it, so the backend makes such writes exit (SVM: the CR4
	 * write intercept, EXIT_CR_WRITE; VMX: the CR4 guest/host mask).
	 */
	void (*set_cr4_allowed)(struct vcpu *vcpu, u64 allowed);
	/*
	 * CR8 is the local APIC's TPR[7:4] (SDM vol. 3 11.8.6). set_cr8:
	 * before an entry, the CR8 the guest reads and, if an interrupt of
	 * priority class @held (0-15) is pending but held back by the TPR,
	 * that class: the backend then makes the guest exit as soon as a MOV
	 * to CR8 drops below it (-1: none). get_cr8: after an exit, CR8 as
	 * the guest's MOVs to it left it.
	 */
	void (*set_cr8)(struct vcpu *vcpu, u8 cr8, int held);
	u8 (*get_cr8)(struct vcpu *vcpu);
	/*
	 * Raises a #DB in the guest at the next entry with @dr6's B0-B3, BD
	 * and BS reported in DR6 as the CPU reports them (the other B0-B3
	 * cleared, SDM vol. 3 18.2.3): the single-step trap after an
	 * instruction the hypervisor retired (RIP already past it, DR6.BS),
	 * or an intercepted #DB reflected (exit->exc.dr6). Nothing else is
	 * delivered before it. Called on the vCPU's CPU after an exit.
	 */
	void (*debug_trap)(struct vcpu *vcpu, u64 dr6);

	/*
	 * The mediated PMU (pmu/). Guest RDMSR and WRMSR of @msr exit
	 * (@intercept) or reach the hardware directly; RDPMC likewise.
	 * Called on the vCPU's CPU or while it runs nowhere.
	 */
	void (*msr_intercept)(struct vcpu *vcpu, u32 msr, bool intercept);
	void (*rdpmc_intercept)(struct vcpu *vcpu, bool intercept);
	/*
	 * Intel only (NULL elsewhere): the atomic PERF_GLOBAL_CTRL switch.
	 * enable(on): VM entry loads the guest's value, VM exit saves it and
	 * loads 0 (SDM vol. 3 25.7.1, 27.3.1, 28.3); -ENODEV if the CPU
	 * cannot. get/set: the guest's value as of the last exit / for the
	 * next entry.
	 */
	int (*pmu_global_ctrl_enable)(struct vcpu *vcpu, bool on);
	u64 (*pmu_global_ctrl_get)(struct vcpu *vcpu);
	void (*pmu_global_ctrl_set)(struct vcpu *vcpu, u64 val);
	/*
	 * Intel only (may be NULL): the PERF_GLOBAL_CTRL value every VM exit
	 * loads for the host (0 unless profile = on reserves a counter for
	 * the hypervisor: then that counter's bit). Set at boot, before any
	 * vCPU exists.
	 */
	void (*pmu_host_global_ctrl)(u64 val);
};

extern const struct virt_ops *virt;
extern struct virt_caps virt_caps;

/* The backend for a CPUID vendor string, or NULL (arch/x86/backend.c). */
const struct virt_ops *virt_backend_for(const char *vendor);

#endif /* HV_VIRT_H */
