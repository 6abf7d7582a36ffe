/* SPDX-License-Identifier: GPL-2.0 */
/* PCI configuration space through the PC's 0xcf8/0xcfc ports (segment 0). */
#ifndef DRIVERS_PCI_CFG_H
#define DRIVERS_PCI_CFG_H

#include <hv/types.h>

/* @bdf: bus << 8 | device << 3 | function; @off: dword-aligned. */
u32 pci_cfg_read32(u32 bdf, u32 off);
void pci_cfg_write16(u32 bdf, u32 off, u16 val);

#endif /* DRIVERS_PCI_CFG_H */
