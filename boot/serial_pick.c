// SPDX-License-Identifier: GPL-2.0
/*
 * Console UART discovery.
 *
 *   serial = auto   the UART of the ACPI SPCR table when there is one and
 *                   it is a 16550 (I/O or MMIO); otherwise COM1 (0x3f8)
 *   serial = pci    the first PCI function of class 07h subclass 00h (a
 *                   16450/16550-compatible serial controller, PCI Code and
 *                   ID Assignment spec) with an I/O or memory BAR;
 *                   otherwise COM1
 *   serial = com2 | 0x2f8 ...   that I/O port, as written
 *
 * The baud rate is `baud =` when the config sets it, else the SPCR's
 * configured rate, else 115200.
 */
#include <boot/serial_pick.h>
#include <boot/spcr.h>
#include <hv/printf.h>
#include <hv/string.h>

#define COM1 0x3f8

#define PCI_ID          0x00
#define PCI_COMMAND     0x04
#define PCI_CLASS       0x08	/* revision in 7:0, then prog-if, sub, base */
#define PCI_HEADER      0x0c	/* header type in bits 23:16 */
#define PCI_BAR0        0x10
#define PCI_CMD_IO      BIT(0)
#define PCI_CMD_MEM     BIT(1)

static void set_com1(struct serial_choice *out)
{
	out->uart = (struct uart_desc){
		.space = UART_SPACE_IO, .base = COM1, .width = 1,
	};
}

static bool pick_spcr(const struct serial_env *env, struct serial_choice *o)
{
	const char *why = NULL;

	if (!env->spcr) {
		hv_snprintf(o->why, sizeof(o->why),
			    "COM1: no ACPI SPCR table");
		return false;
	}
	if (spcr_parse(env->spcr, env->spcr_len, &o->uart, &why)) {
		hv_snprintf(o->why, sizeof(o->why),
			    "COM1: the ACPI SPCR table is unusable: %s", why);
		return false;
	}
	hv_snprintf(o->why, sizeof(o->why), "the ACPI SPCR table");
	return true;
}

/* The first usable BAR of @bdf: I/O, or 32/64-bit memory. */
static bool pci_bar(const struct serial_env *env, u32 bdf,
		    struct uart_desc *u, u32 *bar_no)
{
	for (u32 i = 0; i < 6; i++) {
		u32 v = env->pci_read32(env->ctx, bdf, PCI_BAR0 + 4 * i);
		u64 base;

		if (v & 1) {
			base = v & ~3u & 0xffff;
			if (!base)
				continue;
			u->space = UART_SPACE_IO;
			u->base = base;
			u->width = 1;
		} else {
			base = v & ~0xfu;
			if (((v >> 1) & 3) == 2 && i < 5)
				base |= (u64)env->pci_read32(env->ctx, bdf,
						PCI_BAR0 + 4 * (i + 1)) << 32;
			if (!base) {
				if (((v >> 1) & 3) == 2)
					i++;
				continue;
			}
			/* A plain 16550 behind a BAR: byte registers. */
			u->space = UART_SPACE_MMIO;
			u->base = base;
			u->width = 1;
		}
		u->shift = 0;
		*bar_no = i;
		return true;
	}
	return false;
}

static bool pick_pci(const struct serial_env *env, struct serial_choice *o)
{
	if (!env->pci_read32) {
		hv_snprintf(o->why, sizeof(o->why),
			    "COM1: serial = pci but PCI cannot be read here");
		return false;
	}
	for (u32 bus = 0; bus < 256; bus++) {
		for (u32 dev = 0; dev < 32; dev++) {
			for (u32 fn = 0; fn < 8; fn++) {
				u32 bdf = bus << 8 | dev << 3 | fn;
				u32 id = env->pci_read32(env->ctx, bdf, PCI_ID);
				u32 cls, hdr, bar;

				if ((id & 0xffff) == 0xffff || !(id & 0xffff)) {
					if (!fn)
						break;	/* no device here */
					continue;
				}
				hdr = env->pci_read32(env->ctx, bdf,
						      PCI_HEADER) >> 16;
				cls = env->pci_read32(env->ctx, bdf,
						      PCI_CLASS) >> 8;
				if ((hdr & 0x7f) == 0 && (cls >> 8) == 0x0700 &&
				    (cls & 0xff) <= 0x06 &&
				    pci_bar(env, bdf, &o->uart, &bar)) {
					u32 cmd = env->pci_read32(env->ctx, bdf,
							PCI_COMMAND) & 0xffff;

					/* Firmware without a driver for it may leave decoding off. */
					cmd |= o->uart.space == UART_SPACE_IO ?
						PCI_CMD_IO : PCI_CMD_MEM;
					if (env->pci_write16)
						env->pci_write16(env->ctx, bdf,
								 PCI_COMMAND,
								 (u16)cmd);
					hv_snprintf(o->why, sizeof(o->why),
						    "serial = pci: PCI %02x:%02x.%u (%04x:%04x) BAR%u",
						    bus, dev, fn, id & 0xffff,
						    id >> 16, bar);
					return true;
				}
				if (!fn && !(hdr & 0x80))
					break;	/* single-function device */
			}
		}
	}
	hv_snprintf(o->why, sizeof(o->why),
		    "COM1: serial = pci but no PCI serial controller (class 07h, subclass 00h) with an I/O or memory BAR");
	return false;
}

void serial_pick(const struct cfg *cfg, const struct serial_env *env,
		 struct serial_choice *out)
{
	u32 spcr_baud = 0;

	memset(out, 0, sizeof(*out));
	switch (cfg->serial) {
	case CFG_SERIAL_AUTO:
		if (pick_spcr(env, out))
			spcr_baud = out->uart.baud;
		else
			set_com1(out);
		break;
	case CFG_SERIAL_PCI:
		if (!pick_pci(env, out))
			set_com1(out);
		break;
	case CFG_SERIAL_PORT:
		out->uart = (struct uart_desc){
			.space = UART_SPACE_IO, .base = cfg->serial_port,
			.width = 1,
		};
		hv_snprintf(out->why, sizeof(out->why),
			    "serial = %#x in perfvisor.cfg", cfg->serial_port);
		break;
	}
	if (cfg->baud_set)
		out->uart.baud = cfg->baud;
	else
		out->uart.baud = spcr_baud ? spcr_baud : cfg->baud;
	if (out->uart.space == UART_SPACE_IO)
		hv_snprintf(out->what, sizeof(out->what),
			    "16550 at I/O %#llx, %u baud",
			    (unsigned long long)out->uart.base, out->uart.baud);
	else
		hv_snprintf(out->what, sizeof(out->what),
			    "16550 at MMIO %#llx (%u-bit registers %u bytes apart), %u baud",
			    (unsigned long long)out->uart.base,
			    out->uart.width * 8, 1u << out->uart.shift,
			    out->uart.baud);
}
