// SPDX-License-Identifier: GPL-2.0
/*
 * SPCR parsing. Offsets are those of the SPCR specification (revision 2,
 * 80 bytes): interface type at 36, the base address as an ACPI Generic
 * Address Structure at 40 (ACPI 6.5 5.2.3.2: address space, register bit
 * width, bit offset, access size, 64-bit address), the configured baud
 * rate code at 58.
 */
#include <boot/spcr.h>
#include <hv/errno.h>
#include <hv/string.h>

#define SPCR_MIN_LEN     59	/* through the baud rate byte */
#define SPCR_IFACE       36
#define SPCR_GAS         40
#define SPCR_BAUD        58

/* Interface types (DBG2 serial port subtypes) that are 16550s. */
#define IFACE_16550      0x00	/* full 16550 */
#define IFACE_16450      0x01	/* 16550 subset */
#define IFACE_16550_GAS  0x12	/* 16550-compatible, layout from the GAS */

#define GAS_MEMORY 0
#define GAS_IO     1

int spcr_parse(const u8 *t, u32 len, struct uart_desc *out,
	       const char **why)
{
	const u8 *gas;
	u8 iface, width;
	u64 addr;

	memset(out, 0, sizeof(*out));
	if (len < SPCR_MIN_LEN) {
		*why = "the table is too short";
		return -EINVAL;
	}
	iface = t[SPCR_IFACE];
	if (iface != IFACE_16550 && iface != IFACE_16450 &&
	    iface != IFACE_16550_GAS) {
		*why = "its interface type is not a 16550 (e.g. an ARM PL011)";
		return -EOPNOTSUPP;
	}
	gas = t + SPCR_GAS;
	memcpy(&addr, gas + 4, sizeof(addr));
	if (!addr) {
		*why = "its base address is 0 (console redirection off)";
		return -EINVAL;
	}
	/* Access size 1..4 is 1, 2, 4, 8 bytes; 0 leaves it to the bit width. */
	width = gas[3] ? (u8)(1u << (gas[3] - 1)) : (u8)(gas[1] / 8);
	if (gas[0] == GAS_IO) {
		if (addr > 0xfff8) {
			*why = "its I/O port is beyond 0xfff8";
			return -EINVAL;
		}
		out->space = UART_SPACE_IO;
		out->width = 1;
	} else if (gas[0] == GAS_MEMORY) {
		if (width != 1 && width != 4) {
			*why = "its registers are neither 8- nor 32-bit wide";
			return -EOPNOTSUPP;
		}
		out->space = UART_SPACE_MMIO;
		out->width = width;
		/* Registers sit at multiples of their width. */
		out->shift = width == 4 ? 2 : 0;
	} else {
		*why = "its base address is neither memory nor I/O space";
		return -EOPNOTSUPP;
	}
	out->base = addr;
	switch (t[SPCR_BAUD]) {
	case 3: out->baud = 9600; break;
	case 4: out->baud = 19200; break;
	case 6: out->baud = 57600; break;
	case 7: out->baud = 115200; break;
	default: out->baud = 0; break;	/* 0: as is; others unknown */
	}
	return 0;
}
