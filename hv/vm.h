/* SPDX-License-Identifier: GPL-2.0 */
/* Virtual machines and their vCPUs. */
#ifndef HV_VM_H
#define HV_VM_H

#include <hv/types.h>
#include <arch/x86/xstate.h>
#include <hv/exit.h>
#include <hv/mmio.h>
#include <hv/out_ring.h>
#include <hv/pit.h>
#include <hv/prof.h>
#include <hv/spinlock.h>
#include <hv/virt.h>
#include <hv/vlapic.h>
#include <hv/mm/paging.h>
#include <boot/config.h>
#include <pmu/vpmu.h>

struct boot_vm;

#define MAX_VMS        CFG_MAX_VMS
#define EXIT_TRACE_LEN 64
#define VM_REASON_MAX  160
#define VM_UNCLAIMED_LOGGED 16
/* IA32_MISC_ENABLE after reset: fast strings on (SDM vol. 4 table 2-2). */
#define VCPU_MISC_ENABLE_RESET BIT(0)	/* unclaimed pages logged per VM */

/* A restart loop: this many automatic restarts within this many exits. */
#define RESTART_LOOP_COUNT 10
#define RESTART_LOOP_EXITS 100000

/* General-purpose registers; rip/rsp/rflags/rax are synced by the vendor. */
struct guest_regs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rip, rflags;
};

enum vcpu_state {
	VCPU_RUNNABLE,
	VCPU_HALTED,		/* HLT: waits for an interrupt */
	VCPU_WAIT_SIPI,		/* an AP before its start-up IPI */
	VCPU_STOPPED,
};

struct exit_trace {
	u64 tsc;
	u64 rip;
	u64 vendor_code;
	u64 qual;
	u8 kind;
};

struct vcpu {
	struct vm *vm;
	u32 id;
	u32 pcpu;			/* pinned physical CPU index */
	volatile enum vcpu_state state;
	struct guest_regs regs;
	void *vendor;			/* the backend's per-vCPU state */
	u64 msr_tsc_aux;
	u64 msr_mtrr_def_type;
	u64 msr_misc_enable;		/* its writable bits (hv/msr.c) */
	u64 tsc_offset;			/* guest TSC - host TSC (hv/msr.c) */
	u64 msr_tsc_adjust;		/* IA32_TSC_ADJUST */
	u64 cr4_allowed;		/* CR4 bits CPUID offers (hv/cr.c) */
	u64 run_start_tsc;
	struct vlapic lapic;
	struct vpmu pmu;		/* pmu/: only pmu/ looks inside */
	struct vcpu_xstate xstate;	/* arch/x86/xstate.c */
	u32 mmio_mismatches;		/* hv/mem_fault.c */
	/*
	 * What vcpu_irq_inject() last asked of the backend (windows, CR8 and
	 * whether its writes exit), so that it asks only for changes. Not
	 * valid (`asked` false) at creation and after a reset.
	 */
	bool asked, asked_irq_win, asked_nmi_win;
	u8 asked_cr8;
	s8 asked_held;

	/* Statistics, shown by the console. */
	u64 nr_exits;
	u64 exits[NR_EXIT_KINDS];
	u32 trace_head;
	struct exit_trace trace[EXIT_TRACE_LEN];
	struct vcpu_prof prof;		/* hv/prof.h */
};

enum vm_state {
	VM_CREATED,
	VM_RUNNING,
	VM_STOPPED,
};

/* How a VM ended: what test mode compares to the config's `expect`. */
enum vm_outcome {
	VM_OUT_NONE,
	VM_OUT_EXIT,		/* debug-exit port: exit_code valid */
	VM_OUT_POWEROFF,
	VM_OUT_RESET,
	VM_OUT_CRASH,		/* killed: triple fault, bad access, ... */
	VM_OUT_TIMEOUT,
	VM_OUT_STOPPED,		/* by the console: never restarted */
};

struct vm {
	u32 id;
	char name[CFG_NAME_MAX];
	const struct cfg_vm *cfg;
	volatile enum vm_state state;
	spinlock_t lock;

	u64 ram_size;
	hpa_t ram_hpa;			/* one contiguous, 2 MiB aligned block */
	u8 *ram_state;			/* per 2 MiB chunk (hv/ram_lazy.h) */
	u32 ram_chunks;
	struct pt_ctx gpa_map;		/* nested page tables / EPT */
	u32 tlb_tag;			/* ASID / VPID */

	u32 nr_vcpus;
	struct vcpu *vcpus[CFG_MAX_VCPUS];

	enum vm_outcome outcome;
	u32 exit_code;
	char reason[VM_REASON_MAX];
	u64 start_tsc;
	u64 stop_tsc;

	/* Restarts (hv/vm_reset.c): the files the VM boots from again. */
	const struct boot_vm *boot;	/* NULL: not restartable */
	u32 restarts;			/* boots after the first */
	volatile bool restart_pending;	/* stopped, to be booted again */
	bool restart_manual;		/* asked for from the console */
	volatile bool resetting;	/* RAM being cleared, images loaded */
	u32 loop_n;			/* automatic restarts in a row */
	u64 loop_exits[RESTART_LOOP_COUNT];	/* exits at each of the last */
	volatile u64 watchdog_tsc;	/* PV_HC_WATCHDOG: reset at, 0: off */
	u32 rdv_phase;			/* PV_HC_RENDEZVOUS (hv/rendezvous.c) */

	/* Emulated MMIO devices (hv/mmio.h). */
	u32 nr_mmio;
	struct mmio_region mmio[MMIO_MAX_REGIONS];
	/* Accesses no device claims (hv/mem_fault.c), under `lock`. */
	u64 unclaimed_accesses;
	u32 nr_unclaimed_pages;
	gpa_t unclaimed_pages[VM_UNCLAIMED_LOGGED];

	struct vioapic *ioapic;

	/* The mediated PMU (pmu/guest.c). */
	bool pmu_on;
	struct pmu_filter pmu_filter;

	/* Legacy platform devices (hv/vpic.c, hv/vrtc.c, hv/vpci.c). */
	u8 pic_imr[2], pic_icw_left[2], pic_elcr[2];
	u8 cmos_index;
	u8 cmos[128];
	u32 pci_addr;
	u16 pm1_enable;			/* hv/vpm.c */

	/* The 8254 PIT and port 0x61 (hv/vpit.c). */
	spinlock_t pit_lock;
	struct pit pit;
	u64 pit_epoch;			/* TSC at PIT tick 0 */
	u64 pit_irq_due;		/* tick of counter 0's next edge, 0: none */
	u8 port61;

	/* The guest's serial port and its output (hv/console_out.c). */
	struct vuart *uart;
	spinlock_t out_lock;		/* the vCPUs writing to out */
	struct out_ring out;		/* unsent output, and recent output */
	char line[128];			/* boot CPU: line being assembled */
	u32 line_len;
};

extern struct vm *vms[MAX_VMS];
extern u32 nr_vms;

/* Host pointer for guest-physical [gpa, gpa+len) in RAM, or NULL. */
void *gpa_to_hva(struct vm *vm, gpa_t gpa, u64 len);
/*
 * The same for a loader that writes all of the first @fill bytes itself:
 * their 2 MiB chunks are not zeroed first (hv/ram_lazy.h).
 */
void *gpa_to_hva_fill(struct vm *vm, gpa_t gpa, u64 len, u64 fill);
int gpa_read(struct vm *vm, gpa_t gpa, void *buf, u64 len);
int gpa_write(struct vm *vm, gpa_t gpa, const void *buf, u64 len);

const char *vm_outcome_name(enum vm_outcome o);

/*
 * Stops a VM: every vCPU leaves the guest at its next exit. With
 * `on_exit = restart`, a power-off, reset or crash also schedules a
 * restart, which the CPU of its vCPU 0 performs (vm_restart_work()).
 */
void vm_stop(struct vm *vm, enum vm_outcome outcome, const char *fmt, ...)
	__printf(3, 4);

struct pcpu;
/*
 * From each CPU's scheduler loop: restarts every VM whose vCPU 0 is pinned
 * to @cpu and whose restart is pending, once none of its vCPUs is on a CPU
 * any more; a restart loop stops the VM instead (RESTART_LOOP_*).
 */
void vm_restart_work(struct pcpu *cpu);
/*
 * From the supervisor loop: resets (as the shell's `reset`) every VM whose
 * watchdog (PV_HC_WATCHDOG) expired while it still runs.
 */
void vm_watchdog_poll(void);
/* @vcpu has left its CPU: the restarter may be waiting for it. */
void vm_vcpu_left(struct vcpu *vcpu);
/* Asks for a restart of @vm now (it is stopped first if running). */
int vm_request_restart(struct vm *vm);
/* `stop`: no restart, also not one under way. */
void vm_cancel_restart(struct vm *vm);

#endif /* HV_VM_H */
