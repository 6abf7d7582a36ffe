/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-vCPU state of the mediated PMU. It is kept in struct vcpu; only
 * pmu/ looks inside.
 *
 * Where the state lives: while a vCPU runs on its CPU, its counters,
 * selectors and global registers are *in the hardware* ("loaded") across
 * exits: the hardware fences hypervisor time itself (Intel: VM-exit loads
 * PERF_GLOBAL_CTRL = 0; AMD: every hardware selector is GuestOnly), so an
 * exit that needs no PMU work costs no PMU MSR access. The fields below
 * hold the guest's values only while the vCPU is not loaded, except for
 * the selectors (always intercepted, so always current here).
 */
#ifndef PMU_VPMU_H
#define PMU_VPMU_H

#include <hv/types.h>

#define PMU_MAX_GP    8
#define PMU_MAX_FIXED 4

/*
 * A VM's event filter (perfvisor.cfg pmu_allow / pmu_deny / pmu_fixed):
 * a selector whose event it refuses is given to the hardware disabled.
 */
struct pmu_filter_event {
	u16 event;		/* AMD: 12 bits (PERF_CTL[35:32] as 11:8) */
	u8 umask;
	bool any_umask;
};

#define PMU_FILTER_MAX 32

struct pmu_filter {
	u8 action;		/* PMU_FILTER_NONE / _ALLOW / _DENY */
	u8 nr;
	u32 fixed;		/* Intel fixed counters allowed, by bit */
	struct pmu_filter_event ev[PMU_FILTER_MAX];
};

enum { PMU_FILTER_NONE, PMU_FILTER_ALLOW, PMU_FILTER_DENY };

/* Counts shown by the console (`pmu VM VCPU`). */
struct vpmu_stats {
	u64 loads;		/* state put into the hardware */
	u64 saves;		/* state taken out, hardware zeroed */
	u64 msr_exit;		/* PMU MSR accesses on exit round trips */
	u64 msr_switch;		/* ... at loads and saves */
	u64 msr_console;	/* ... for console snapshots */
	u64 guest_msr_exits;	/* guest PMU MSR accesses that exited */
	u64 rdpmc_exits;
	u64 host_pmis;		/* PMIs the hardware raised for this vCPU */
	u64 pmis;		/* PMIs delivered to the guest's LVTPC */
	u64 pmis_masked;	/* ... dropped because LVTPC was masked */
	u64 emulated;		/* counter increments for emulated insns */
	u64 filtered;		/* selector writes the event filter disabled */
};

/* Live values, read on the vCPU's own CPU for the console. */
struct pmu_snapshot {
	bool live;		/* read from the hardware (else saved state) */
	u64 ctr[PMU_MAX_GP];
	u64 fixed_ctr[PMU_MAX_FIXED];
	u64 global_ctrl;
	u64 global_status;
	u64 sel_hw_read[PMU_MAX_GP];	/* what the hardware selector holds */
	u64 fixed_ctrl_hw_read;
};

struct vpmu {
	bool on;		/* the guest has a PMU */
	bool passthrough;	/* counters, GLOBAL_* and RDPMC without exits */
	bool auto_mask;		/* Intel guests: LVTPC masks itself on a PMI */
	u8 nr_gp;
	u8 nr_fixed;
	u8 version;		/* guest PMU version (AMD PerfMonV2: 2) */
	u64 ctr_mask;		/* counter width */
	u64 fixed_mask;		/* fixed counter width */
	u64 global_valid;	/* GLOBAL_CTRL/STATUS bits that exist */

	/* Guest-visible control state and what the hardware gets. */
	u64 sel[PMU_MAX_GP];
	u64 sel_hw[PMU_MAX_GP];
	u64 fixed_ctrl;
	u64 fixed_ctrl_hw;

	/* Saved data state (valid while not loaded). */
	u64 ctr[PMU_MAX_GP];
	u64 fixed_ctr[PMU_MAX_FIXED];
	u64 global_ctrl;
	u64 global_status;

	/*
	 * Counters (GLOBAL_CTRL bit layout) whose hardware control counts
	 * retired instructions / branches, at CPL 0 ([0]) and CPL > 0 ([1]):
	 * the ones an emulated instruction adds to. All 0 means an emulated
	 * instruction costs no PMU work at all. Kept by the vendor code.
	 */
	u64 emu_insn[2];
	u64 emu_branch[2];

	const struct pmu_filter *filter;

	/* Owned by the vCPU's CPU. */
	bool loaded;
	bool exit_hook;		/* loaded, and the vendor has after_exit */
	u32 lvtpc_hw;		/* last value written to the host LVTPC */
	u64 *msr_ctx;			/* which stats counter MSR accesses go to */
	volatile u32 pmi_pending;	/* set by the host PMI handler too */

	/* Console snapshots: the console asks, the vCPU's CPU answers. */
	volatile u32 snap_req;
	volatile u32 snap_done;
	struct pmu_snapshot snap;

	struct vpmu_stats stats;
};

#endif /* PMU_VPMU_H */
