/* SPDX-License-Identifier: GPL-2.0 */
/* Emulated I/O ports of a guest. */
#ifndef HV_IO_H
#define HV_IO_H

#include <hv/types.h>

struct vm;

struct io_dev {
	const char *name;
	u16 base;
	u16 len;
	/* Accesses are 1, 2 or 4 bytes; return 0, or <0 to kill the VM. */
	int (*read)(struct vm *vm, u16 port, u8 size, u32 *val);
	int (*write)(struct vm *vm, u16 port, u8 size, u32 val);
	/*
	 * Optional: true if reading @port changes nothing, in the device or
	 * on its interrupt line (a status register): such an exit re-enters
	 * the guest at once (EXIT_QUIET).
	 */
	bool (*read_is_pure)(u16 port);
};

/* Port I/O as the guest's instruction would do it; shared by all paths. */
int io_port_read(struct vm *vm, u16 port, u8 size, u32 *val);
int io_port_write(struct vm *vm, u16 port, u8 size, u32 val);

#endif /* HV_IO_H */
