/* SPDX-License-Identifier: GPL-2.0 */
/* Emulated I/O ports of a guest. */
#ifndef HV_IO_H
#define HV_IO_H

#include <hv/types.h>

struct vm;

/* A device read that changed nothing (struct io_dev). */
#define IO_READ_PURE 1

struct io_dev {
	const char *name;
	u16 base;
	u16 len;
	/*
	 * Accesses are 1, 2 or 4 bytes. read returns 0, or IO_READ_PURE
	 * when reading @port changed nothing, in the device or on its
	 * interrupt line (a status register: such an exit re-enters the
	 * guest at once, EXIT_QUIET), or <0 to kill the VM; write returns
	 * 0 or <0.
	 */
	int (*read)(struct vm *vm, u16 port, u8 size, u32 *val);
	int (*write)(struct vm *vm, u16 port, u8 size, u32 val);
};

/*
 * Port I/O as the guest's instruction would do it; shared by all paths.
 * 0 or <0 (io_port_read() never returns IO_READ_PURE).
 */
int io_port_read(struct vm *vm, u16 port, u8 size, u32 *val);
int io_port_write(struct vm *vm, u16 port, u8 size, u32 val);

#endif /* HV_IO_H */
