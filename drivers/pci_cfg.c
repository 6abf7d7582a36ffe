// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration mechanism #1 (PCI Local Bus Specification 3.0,
 * 3.2.2.3.2): the address goes to port 0xcf8 with bit 31 set, the data is
 * read or written at 0xcfc + (offset & 3). Every PC chipset has it for
 * segment 0, the first 256 bytes of each function.
 */
#include <arch/x86/cpu.h>
#include <drivers/pci_cfg.h>

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc

static void select(u32 bdf, u32 off)
{
	outl(PCI_ADDR, BIT(31) | (bdf & 0xffff) << 8 | (off & 0xfc));
}

u32 pci_cfg_read32(u32 bdf, u32 off)
{
	select(bdf, off);
	return inl(PCI_DATA);
}

void pci_cfg_write16(u32 bdf, u32 off, u16 val)
{
	select(bdf, off);
	outw(PCI_DATA + (off & 2), val);
}
