// SPDX-License-Identifier: GPL-2.0
/*
 * The debug-exit port, compatible with QEMU's isa-debug-exit at 0xf4: a
 * guest that writes a value stops with that status. Test guests (ours and
 * kvm-unit-tests) report their verdict this way: 0 means success.
 */
#include <hv/abi.h>
#include <hv/io.h>
#include <hv/vm.h>

static int debug_exit_write(struct vm *vm, u16 port, u8 size, u32 val)
{
	(void)port;
	(void)size;
	vm->exit_code = val;
	vm_stop(vm, VM_OUT_EXIT, "debug-exit with status %u", val);
	return 0;
}

const struct io_dev debug_exit_dev = {
	.name = "debug-exit",
	.base = PV_DEBUG_EXIT_PORT,
	.len = 4,
	.write = debug_exit_write,
};
