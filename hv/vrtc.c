// SPDX-License-Identifier: GPL-2.0
/*
 * CMOS RAM and real-time clock (MC146818A register map): index port 0x70
 * (bit 7 masks NMI), data port 0x71. The time and date registers read the
 * host's clock, so every guest sees wall time in the host's format (BCD or
 * binary, 12/24 h, per status register B); guests cannot set it. Alarm and
 * periodic interrupts are not offered: status C reads 0, D says the clock
 * is valid. Other bytes are the guest's own CMOS RAM.
 */
#include <arch/x86/cpu.h>
#include <hv/io.h>
#include <hv/spinlock.h>
#include <hv/vm.h>

#define PORT_INDEX 0x70
#define PORT_DATA  0x71
#define REG_A      0x0a
#define REG_B      0x0b
#define REG_C      0x0c
#define REG_D      0x0d
#define REG_CENTURY 0x32
#define A_UIP      0x80
#define B_FORMAT   0x06		/* DM (binary) and 24/12 */
#define D_VRT      0x80

static spinlock_t host_rtc_lock;

static u8 host_cmos(u8 reg)
{
	u8 v;

	spin_lock(&host_rtc_lock);
	outb(PORT_INDEX, 0x80 | reg);	/* keep the host's NMI masked bit */
	v = inb(PORT_DATA);
	spin_unlock(&host_rtc_lock);
	return v;
}

static bool is_time_reg(u8 reg)
{
	return reg <= 0x09 || reg == REG_CENTURY;
}

static int rtc_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	u8 reg = vm->cmos_index;

	(void)size;
	if (port == PORT_INDEX) {
		*val = 0xff;		/* write-only on real hardware */
		return 0;
	}
	if (is_time_reg(reg))
		*val = host_cmos(reg);
	else if (reg == REG_A)
		*val = (host_cmos(REG_A) & A_UIP) | 0x26;
	else if (reg == REG_B)
		*val = (vm->cmos[REG_B] & ~B_FORMAT) |
		       (host_cmos(REG_B) & B_FORMAT);
	else if (reg == REG_C)
		*val = 0;
	else if (reg == REG_D)
		*val = D_VRT;
	else
		*val = vm->cmos[reg];
	return 0;
}

static int rtc_write(struct vm *vm, u16 port, u8 size, u32 val)
{
	(void)size;
	if (port == PORT_INDEX) {
		vm->cmos_index = val & 0x7f;
		return 0;
	}
	if (!is_time_reg(vm->cmos_index) && vm->cmos_index != REG_A &&
	    vm->cmos_index != REG_C && vm->cmos_index != REG_D)
		vm->cmos[vm->cmos_index] = val;
	return 0;
}

const struct io_dev vrtc_dev = {
	.name = "cmos-rtc",
	.base = PORT_INDEX,
	.len = 2,
	.read = rtc_read,
	.write = rtc_write,
};
