/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ARCH_X86_SMP_H
#define ARCH_X86_SMP_H

#include <hv/types.h>

struct boot_info;
struct pcpu;

/* INIT to every AP of the MADT: out of the firmware's loop, until the start. */
void smp_park_aps(const struct boot_info *bi);
/* Starts every CPU of the MADT with INIT-SIPI-SIPI; returns when all are up. */
void smp_boot_aps(const struct boot_info *bi, u64 cr3);
struct pcpu *pcpu_alloc(u32 index, u32 apic_id);

#endif /* ARCH_X86_SMP_H */
