/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which UART is the console: `serial =` in perfvisor.cfg against what the
 * machine describes (the ACPI SPCR table, PCI serial cards).
 */
#ifndef BOOT_SERIAL_PICK_H
#define BOOT_SERIAL_PICK_H

#include <boot/config.h>
#include <drivers/uart16550.h>

/* What the picker may look at; the PCI accessors take bus << 8 | dev << 3 | fn. */
struct serial_env {
	const u8 *spcr;		/* the checksummed SPCR table, or NULL */
	u32 spcr_len;
	u32 (*pci_read32)(void *ctx, u32 bdf, u32 off);
	void (*pci_write16)(void *ctx, u32 bdf, u32 off, u16 val);
	void *ctx;
};

struct serial_choice {
	struct uart_desc uart;
	char what[96];		/* "16550 at I/O 0x2f8, 115200 baud" */
	char why[160];		/* "from the ACPI SPCR table" */
};

void serial_pick(const struct cfg *cfg, const struct serial_env *env,
		 struct serial_choice *out);

#endif /* BOOT_SERIAL_PICK_H */
