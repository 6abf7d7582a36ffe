// SPDX-License-Identifier: GPL-2.0
/*
 * The legacy 8259 pair. The firmware may have left its timer running
 * through it; the hypervisor masks every line so that no device interrupt
 * reaches a CPU.
 */
#include <arch/x86/cpu.h>
#include <drivers/pic.h>

#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

void pic_mask_all(void)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}
