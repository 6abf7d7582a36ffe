// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration mechanism #1 with an empty bus (PCI Local Bus spec
 * 3.0, 3.2.2.3.2): the address register at 0xcf8 keeps what is written,
 * so guests detect the mechanism, and every function reads as absent
 * (all ones at 0xcfc-0xcff). The byte port 0xcf9 inside that range is the
 * chipset's reset control register: RST_CPU (bit 2) resets the guest.
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

/* 0xcfc-0xcff: no device answers; writes are dropped. */
static int data_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	(void)vm;
	(void)port;
	*val = size == 4 ? 0xffffffff : (1u << (size * 8)) - 1;
	return 0;
}

const struct io_dev vpci_data_dev = {
	.name = "pci-config-data",
	.base = 0xcfc,
	.len = 4,
	.read = data_read,
};
