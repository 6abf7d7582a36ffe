// SPDX-License-Identifier: GPL-2.0
/*
 * The 8042 keyboard controller, only as far as a guest without a keyboard
 * needs it: the status register says both buffers are empty, and command
 * 0xfe (pulse the reset line) resets the guest, which is how Linux and
 * most boot loaders reboot a PC.
 */
#include <hv/io.h>
#include <hv/vm.h>

#define PORT_DATA   0x60
#define PORT_CMD    0x64
#define CMD_RESET   0xfe
#define STATUS_SYS  0x04		/* self test passed */

static int kbc_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	(void)vm;
	(void)size;
	*val = port == PORT_CMD ? STATUS_SYS : 0;
	return 0;
}

static int kbc_write(struct vm *vm, u16 port, u8 size, u32 val)
{
	(void)size;
	if (port == PORT_CMD && (val & 0xff) == CMD_RESET)
		vm_stop(vm, VM_OUT_RESET, "reset through the keyboard controller");
	return 0;
}

const struct io_dev vkbc_data_dev = {
	.name = "kbc-data",
	.base = PORT_DATA,
	.len = 1,
	.read = kbc_read,
	.write = kbc_write,
};

const struct io_dev vkbc_cmd_dev = {
	.name = "kbc-command",
	.base = PORT_CMD,
	.len = 1,
	.read = kbc_read,
	.write = kbc_write,
};
