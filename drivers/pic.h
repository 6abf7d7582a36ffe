/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRIVERS_PIC_H
#define DRIVERS_PIC_H

/* Masks both legacy 8259 PICs: the hypervisor takes no device interrupts. */
void pic_mask_all(void);

#endif /* DRIVERS_PIC_H */
