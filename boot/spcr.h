/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI Serial Port Console Redirection table (SPCR, Microsoft's
 * "Serial Port Console Redirection Table" specification, revision 2+):
 * the UART the firmware redirects its console to.
 */
#ifndef BOOT_SPCR_H
#define BOOT_SPCR_H

#include <drivers/uart16550.h>
#include <hv/types.h>

/*
 * Reads the 16550 an SPCR table of @len bytes (header included, already
 * checksummed) describes into @out (baud 0: "as the firmware left it").
 * Returns 0, or -EINVAL / -EOPNOTSUPP with *why saying what is wrong.
 */
int spcr_parse(const u8 *t, u32 len, struct uart_desc *out,
	       const char **why);

#endif /* BOOT_SPCR_H */
