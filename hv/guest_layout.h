/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the hypervisor puts the structures a guest starts with, in guest-
 * physical memory. All below 1 MiB, clear of the real-mode IVT/BDA at 0,
 * the EBDA at 0x9fc00 and the BIOS area at 0xe0000.
 */
#ifndef HV_GUEST_LAYOUT_H
#define HV_GUEST_LAYOUT_H

#define GUEST_GDT        0x1000	/* boot GDT: 0x10 code, 0x18 data */
#define GUEST_PML4       0x2000	/* identity map of the low 4 GiB */
#define GUEST_PDPT       0x3000
#define GUEST_PD         0x4000	/* four pages of 2 MiB entries */
#define GUEST_BOOT_PARAMS 0x8000	/* Linux zero page */
#define GUEST_CMDLINE    0x9000	/* up to 4 KiB */
#define GUEST_STACK_TOP  0x80000	/* initial RSP for ELF guests */
#define GUEST_LOW_END    0x9fc00	/* start of the reserved EBDA */

#define GUEST_BOOT_CS    0x10
#define GUEST_BOOT_DS    0x18

#endif /* HV_GUEST_LAYOUT_H */
