/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest-visible interface of perfvisor: CPUID leaves, hypercalls and
 * I/O ports. Shared by the hypervisor and guest-tests/.
 *
 * Hypercalls: VMMCALL on AMD, VMCALL on Intel, from CPL 0. RAX holds the
 * number, RDI/RSI/RDX the arguments; the result comes back in RAX
 * (negative errno on failure, -38 ENOSYS for an unknown number).
 */
#ifndef HV_ABI_H
#define HV_ABI_H

#define PV_CPUID_BASE      0x40000000	/* EAX: max leaf; EBX,ECX,EDX: sig */
#define PV_CPUID_FEATURES  0x40000001	/* EAX: PV_FEAT_* */
#define PV_CPUID_TIMING    0x40000010	/* EAX: TSC kHz, EBX: APIC bus kHz */
#define PV_CPUID_MAX       PV_CPUID_TIMING

/* "perfvisor", NUL-padded to 12 bytes, in EBX, ECX, EDX order. */
#define PV_SIG_EBX 0x66726570	/* "perf" */
#define PV_SIG_ECX 0x6f736976	/* "viso" */
#define PV_SIG_EDX 0x00000072	/* "r" */

#define PV_FEAT_HYPERCALL  (1u << 0)

#define PV_HC_VERSION      0	/* -> version, major << 16 | minor */
#define PV_HC_ECHO         1	/* (x) -> ~x */
#define PV_HC_EXIT_COUNT   2	/* (kind) -> exits of that kind so far */
#define PV_HC_VCPU_ID      3	/* -> this vCPU's index */
#define PV_HC_INJECT       4	/* (vector, error) -> 0; raises it at the
				   instruction after the call */
/* -> number of guests running now that have started: vCPU 0 entered the
   guest since the guest's last (re)start, so one queued behind another
   guest on its CPU does not count yet. Test mode only: -EPERM
   otherwise. */
#define PV_HC_RUNNING_VMS  5
#define PV_HC_BOOT_COUNT   6	/* -> restarts of this guest so far (0 on
				   its first boot) */
#define PV_HC_WATCHDOG     7	/* (ms) -> 0; the hypervisor resets this
				   guest (as the shell's `reset`) if it still
				   runs ms from now; 0 disarms */
/* Test mode only (-EPERM otherwise): an NMI to the physical CPU of this
   VM's vCPU @vcpu, as the panic path sends one -> 0. */
#define PV_HC_TEST_NMI     8	/* (vcpu) */
/* (vcpu, what) -> what 0: NMIs the host's handler took on the physical
   CPU of this VM's vCPU @vcpu; 1: host-NMI exits of that vCPU. */
#define PV_HC_HOST_NMIS    9
/* (phase) -> this guest has reached @phase (1..2^32-1): how many of the
   guests it meets (this one included: those the config gives its
   `meet = NAME`, or without one, those booted from the same image file,
   i.e. a test's instances) have not reached it yet, 0 once all have;
   -EINVAL (-22) for phase 0 or above 2^32-1; -EPERM outside test mode
   for a guest without a `meet` name. A guest's phase only grows
   (a smaller one leaves it where it is) until it restarts, which puts it
   back to 0. The instances of a test call it with 1 and spin until 0 to
   start together (guest-tests/lib: gt_rendezvous()). */
#define PV_HC_RENDEZVOUS   10

#define PV_VERSION         0x00000001

/* Exit kinds as numbered for PV_HC_EXIT_COUNT (hv/exit.h enum order). */
#define PV_EXIT_HOST_NMI   1
#define PV_EXIT_CPUID      2
#define PV_EXIT_HLT        3
#define PV_EXIT_IO         4
#define PV_EXIT_MSR_READ   5
#define PV_EXIT_MSR_WRITE  6
#define PV_EXIT_HYPERCALL  7
#define PV_EXIT_MEM_FAULT  8
#define PV_EXIT_EXCEPTION  9
#define PV_EXIT_INVD       15
#define PV_EXIT_WBINVD     16

/* isa-debug-exit compatible: writing v stops the guest with status v. */
#define PV_DEBUG_EXIT_PORT 0xf4

#endif /* HV_ABI_H */
