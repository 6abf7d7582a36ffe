// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration mechanism #1 (PCI Local Bus spec 3.0, 3.2.2.3.2): the
 * address register at 0xcf8 keeps what is written, so guests detect the
 * mechanism. Bus 0 holds one function, a host bridge at 00:00.0 (read-only,
 * no BARs): operating systems check for one before they trust the
 * mechanism (Linux's pci_sanity_check looks for a host bridge or a known
 * vendor). Every other function reads as absent (all ones). The byte port
 * 0xcf9 inside that range is the chipset's reset control register:
 * RST_CPU (bit 2) resets the guest.
 */
#include <hv/io.h>
#include <hv/vm.h>

#define PORT_ADDR  0xcf8
#define PORT_RESET 0xcf9
#define RST_CPU    0x04

static int addr_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	if (port == PORT_ADDR && size == 4)
		*val = __atomic_load_n(&vm->pci_addr, __ATOMIC_RELAXED);
	else if (port == PORT_RESET && size == 1)
		*val = 0;
	else
		*val = size == 4 ? 0xffffffff : (1u << (size * 8)) - 1;
	return 0;
}

static int addr_write(struct vm *vm, u16 port, u8 size, u32 val)
{
	if (port == PORT_ADDR && size == 4)
		__atomic_store_n(&vm->pci_addr, val & 0x80fffffc,
				 __ATOMIC_RELAXED);
	else if (port == PORT_RESET && size == 1 && (val & RST_CPU))
		vm_stop(vm, VM_OUT_RESET, "reset through port 0xcf9");
	return 0;
}

const struct io_dev vpci_addr_dev = {
	.name = "pci-config-address",
	.base = PORT_ADDR,
	.len = 4,
	.read = addr_read,
	.write = addr_write,
};

#define ADDR_ENABLE BIT(31)
#define ADDR_BDF(a) (((a) >> 8) & 0xffff)	/* bus, device, function */
#define ADDR_REG(a) ((a) & 0xfc)

/* Config dwords of the host bridge: Intel's Q35 DRAM controller IDs. */
static u32 host_bridge_read(u32 reg)
{
	switch (reg) {
	case 0x00:
		return 0x29c08086;	/* device 0x29c0, vendor Intel */
	case 0x04:
		return 0x00000006;	/* memory space, bus master */
	case 0x08:
		return 0x06000000;	/* class: bridge, host bridge */
	default:
		return 0;		/* header type 0, no BARs, no caps */
	}
}

/* 0xcfc-0xcff: the selected register; writes are dropped. */
static int data_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	u32 addr = __atomic_load_n(&vm->pci_addr, __ATOMIC_RELAXED);
	u32 mask = size == 4 ? 0xffffffff : (1u << (size * 8)) - 1;
	u32 dword = 0xffffffff;

	if ((addr & ADDR_ENABLE) && ADDR_BDF(addr) == 0)
		dword = host_bridge_read(ADDR_REG(addr));
	*val = (dword >> ((port & 3) * 8)) & mask;
	return 0;
}

const struct io_dev vpci_data_dev = {
	.name = "pci-config-data",
	.base = 0xcfc,
	.len = 4,
	.read = data_read,
};
