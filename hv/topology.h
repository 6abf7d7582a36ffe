/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU topology: which package, core and thread each logical CPU is, from
 * its APIC ID and the ID's bit fields that CPUID describes. The fields
 * are the same on every CPU of a machine, so the boot CPU reads them once
 * (topo_probe) and each CPU's APIC ID is then cut up (topo_decode):
 *
 *   APIC ID = package << pkg_shift | core << smt_shift | thread
 *
 * "core" is the core's number in its package, with whatever levels lie
 * between the SMT and package levels (modules, tiles, dies) folded in.
 *
 * Pure: CPUID comes from a callback, so the unit tests feed recorded
 * values (tests/unit/test_topology.c).
 */
#ifndef HV_TOPOLOGY_H
#define HV_TOPOLOGY_H

#include <hv/types.h>

struct topo_regs {
	u32 eax, ebx, ecx, edx;
};

/* Executes CPUID (@leaf, @sub) on the CPU being described. */
typedef void (*topo_cpuid_fn)(void *ctx, u32 leaf, u32 sub,
			      struct topo_regs *r);

struct topo_shifts {
	u8 smt_shift;		/* APIC ID bits of the thread in its core */
	u8 pkg_shift;		/* bits of thread and core in the package */
	const char *source;	/* which CPUID leaves said so */
};

struct cpu_topo {
	u32 package, core, thread;
};

/*
 * Intel (SDM vol. 3 10.9 / vol. 2 CPUID): leaf 0x1F, else 0xB, else the
 * legacy leaves 1 and 4. AMD and Hygon (APM vol. 3 appendix E.4/E.5):
 * leaf 0xB where the CPU has it (Zen 2 and later), else 0x8000001E with
 * 0x80000008, else 0x80000008 alone (no SMT). Never fails: a CPU that
 * says nothing gets one thread per core and one core per package.
 */
void topo_probe(topo_cpuid_fn cpuid, void *ctx, struct topo_shifts *out);

void topo_decode(const struct topo_shifts *s, u32 apic_id,
		 struct cpu_topo *out);

/* Packages, cores (in all) and threads (in all) among @n APIC IDs. */
struct topo_count {
	u32 packages, cores, threads;
};

void topo_count(const struct topo_shifts *s, const u32 *apic_ids, u32 n,
		struct topo_count *out);

/* The boot CPU's shifts (arch/x86/smp.c fills them at bring-up). */
extern struct topo_shifts host_topo;

#endif /* HV_TOPOLOGY_H */
