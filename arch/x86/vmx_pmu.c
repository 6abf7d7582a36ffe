// SPDX-License-Identifier: GPL-2.0
/*
 * The VMX side of the mediated PMU (pmu/intel.c decides, this file touches
 * the VMCS): the atomic IA32_PERF_GLOBAL_CTRL switch, the PMU MSR
 * intercepts in the MSR bitmap and RDPMC exiting.
 *
 * With a guest PMU, VM entry loads the guest's PERF_GLOBAL_CTRL from the
 * guest-state field ("load IA32_PERF_GLOBAL_CTRL" entry control, SDM vol. 3
 * 25.8.1, 27.3.2.1) and VM exit loads the host's, 0 (exit control bit 12,
 * 25.7.1, 28.3; with profile = on only the hypervisor's own counter's bit,
 * host_ctrl), so the guest's counting stops exactly at the exit and
 * the guest's counters can stay in the hardware while the hypervisor runs.
 * The guest may write PERF_GLOBAL_CTRL without exiting, so its value is
 * taken back at every exit:
 *  - with the "save IA32_PERF_GLOBAL_CTRL" exit control (bit 30, 27.3.1):
 *    the CPU writes it into the guest field; one VMREAD;
 *  - without it (before Sapphire Rapids): the VM-exit MSR-store list holds
 *    MSR 0x38F (25.7.2, 28.4), and the stored value is copied into the
 *    guest field for the next entry (a VMWRITE only when it changed).
 * Either way vmx_pmu_global_ctrl_get() is a memory read.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/vmx.h>
#include <arch/x86/vmx_ops.h>
#include <hv/errno.h>
#include <hv/mm/page_alloc.h>
#include <hv/virt.h>

#define MSR_PERF_GLOBAL_CTRL 0x38f

/* What VM exits load into PERF_GLOBAL_CTRL: the hypervisor's counters. */
static u64 host_ctrl;

void vmx_pmu_host_global_ctrl(u64 val)
{
	host_ctrl = val;
}

void vmx_pmu_init(struct vmx_pmu *pm, u8 *msr_bitmap)
{
	pm->on = pm->save = false;
	pm->rdpmc_exit = true;
	pm->ctls_dirty = pm->ctrl_dirty = true;
	pm->guest_ctrl = 0;
	pm->store = NULL;
	pm->msr_bitmap = msr_bitmap;
}

void vmx_pmu_destroy(struct vmx_pmu *pm)
{
	if (pm->store)
		page_free(pm->store, PAGE_SIZE);
	pm->store = NULL;
}

/*
 * The MSR bitmap (25.6.9): read bits for 0-1fffh at 0, for c0000000h-
 * c0001fffh at 1024; the write bits 2048 bytes further. Other MSRs always
 * exit.
 */
void vmx_msr_bitmap_set(u8 *bm, u32 msr, bool intercept)
{
	u32 base;
	u8 bit;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 1024, msr -= 0xc0000000;
	else
		return;
	bit = 1 << (msr % 8);
	for (u32 off = 0; off <= 2048; off += 2048) {
		if (intercept)
			bm[off + base + msr / 8] |= bit;
		else
			bm[off + base + msr / 8] &= ~bit;
	}
}

void vmx_msr_intercept(struct vcpu *vcpu, u32 msr, bool intercept)
{
	vmx_msr_bitmap_set(vmx_pmu_of(vcpu)->msr_bitmap, msr, intercept);
}

void vmx_rdpmc_intercept(struct vcpu *vcpu, bool intercept)
{
	struct vmx_pmu *pm = vmx_pmu_of(vcpu);

	/* A CPU that cannot turn RDPMC exiting off keeps the exact path. */
	if (!intercept && (vmx_caps.proc0 & PROC_RDPMC))
		intercept = true;
	pm->rdpmc_exit = intercept;
	pm->ctls_dirty = true;
}

int vmx_pmu_global_ctrl_enable(struct vcpu *vcpu, bool on)
{
	struct vmx_pmu *pm = vmx_pmu_of(vcpu);

	if (on && !virt_caps.perf_global_ctrl)
		return -ENODEV;
	pm->save = on && virt_caps.perf_global_save;
	if (on && !pm->save && !pm->store) {
		pm->store = page_alloc(PAGE_SIZE);
		if (!pm->store)
			return -ENOMEM;
		pm->store->index = MSR_PERF_GLOBAL_CTRL;
	}
	pm->on = on;
	pm->ctls_dirty = pm->ctrl_dirty = true;
	return 0;
}

u64 vmx_pmu_global_ctrl_get(struct vcpu *vcpu)
{
	return vmx_pmu_of(vcpu)->guest_ctrl;
}

void vmx_pmu_global_ctrl_set(struct vcpu *vcpu, u64 val)
{
	struct vmx_pmu *pm = vmx_pmu_of(vcpu);

	pm->guest_ctrl = val;
	pm->ctrl_dirty = true;
}

static void write_controls(struct vmx_pmu *pm)
{
	if (pm->rdpmc_exit)
		vmcs_set_bits32(PROC_CONTROLS, PROC_RDPMC);
	else
		vmcs_clear_bits32(PROC_CONTROLS, PROC_RDPMC);
	if (!pm->on) {
		vmcs_clear_bits32(ENTRY_CONTROLS, ENTRY_LOAD_PERF_GLOBAL);
		vmcs_clear_bits32(EXIT_CONTROLS, EXIT_LOAD_PERF_GLOBAL |
						 EXIT_SAVE_PERF_GLOBAL);
		vmcs_write32(EXIT_MSR_STORE_COUNT, 0);
		return;
	}
	vmcs_write64(HOST_PERF_GLOBAL_CTRL, host_ctrl);
	vmcs_set_bits32(ENTRY_CONTROLS, ENTRY_LOAD_PERF_GLOBAL);
	vmcs_set_bits32(EXIT_CONTROLS, EXIT_LOAD_PERF_GLOBAL);
	if (pm->save) {
		vmcs_set_bits32(EXIT_CONTROLS, EXIT_SAVE_PERF_GLOBAL);
		vmcs_write32(EXIT_MSR_STORE_COUNT, 0);
	} else {
		vmcs_clear_bits32(EXIT_CONTROLS, EXIT_SAVE_PERF_GLOBAL);
		vmcs_write64(EXIT_MSR_STORE_ADDR, virt_to_phys(pm->store));
		vmcs_write32(EXIT_MSR_STORE_COUNT, 1);
	}
}

void vmx_pmu_entry(struct vmx_pmu *pm)
{
	if (pm->ctls_dirty) {
		write_controls(pm);
		pm->ctls_dirty = false;
	}
	if (pm->on && pm->ctrl_dirty) {
		vmcs_write64(GUEST_PERF_GLOBAL_CTRL, pm->guest_ctrl);
		pm->ctrl_dirty = false;
	}
}

void vmx_pmu_exit(struct vmx_pmu *pm)
{
	u64 v;

	if (!pm->on)
		return;
	if (pm->save) {
		pm->guest_ctrl = vmcs_read64(GUEST_PERF_GLOBAL_CTRL);
		return;
	}
	v = pm->store->value;
	if (v != pm->guest_ctrl) {
		pm->guest_ctrl = v;
		vmcs_write64(GUEST_PERF_GLOBAL_CTRL, v);
	}
}
