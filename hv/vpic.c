// SPDX-License-Identifier: GPL-2.0
/*
 * The two 8259A interrupt controllers, present but idle: the guest routes
 * its interrupts through the I/O APIC, so the PICs only keep what they are
 * told. Their interrupt masks read back (Linux probes the PIC that way),
 * IRR/ISR read as empty, initialization words are accepted (8259A data
 * sheet, "Programming the 8259A"). The ELCR pair at 0x4d0 keeps its value.
 */
#include <hv/io.h>
#include <hv/vm.h>

static int pic_index(u16 port)
{
	return port >= 0xa0 ? 1 : 0;
}

static int pic_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	(void)size;
	/* Data port: the mask; command port: IRR/ISR, both empty. */
	*val = (port & 1) ? vm->pic_imr[pic_index(port)] : 0;
	return 0;
}

static int pic_write(struct vm *vm, u16 port, u8 size, u32 val)
{
	int i = pic_index(port);

	(void)size;
	if (!(port & 1)) {
		/*
		 * ICW1 starts initialization: ICW2 follows on the data port,
		 * ICW3 unless SNGL (bit 1), ICW4 if IC4 (bit 0).
		 */
		if (val & 0x10)
			vm->pic_icw_left[i] = 1 + !(val & 2) + (val & 1);
		return 0;
	}
	if (vm->pic_icw_left[i]) {
		vm->pic_icw_left[i]--;
		return 0;
	}
	vm->pic_imr[i] = val;		/* OCW1: the interrupt mask */
	return 0;
}

const struct io_dev vpic_master_dev = {
	.name = "pic-master",
	.base = 0x20,
	.len = 2,
	.read = pic_read,
	.write = pic_write,
};

const struct io_dev vpic_slave_dev = {
	.name = "pic-slave",
	.base = 0xa0,
	.len = 2,
	.read = pic_read,
	.write = pic_write,
};

static int elcr_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	(void)size;
	*val = vm->pic_elcr[port - 0x4d0];
	return 0;
}

static int elcr_write(struct vm *vm, u16 port, u8 size, u32 val)
{
	(void)size;
	vm->pic_elcr[port - 0x4d0] = val;
	return 0;
}

const struct io_dev vpic_elcr_dev = {
	.name = "elcr",
	.base = 0x4d0,
	.len = 2,
	.read = elcr_read,
	.write = elcr_write,
};
