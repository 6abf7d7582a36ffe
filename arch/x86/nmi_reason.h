/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a platform NMI came: what port 0x61 says, pure logic (unit-tested).
 *
 * Port 0x61 is the chipset's NMI status and control register (NMISC in
 * the Intel 82371AB PIIX4 datasheet 4.2.4.1, NMI_SC in later ICH/PCH
 * datasheets): bit 7 SERR# NMI source status, bit 6 IOCHK# NMI source
 * status, bit 5 timer 2 output, bit 4 refresh toggle, bit 3 IOCHK# NMI
 * disable, bit 2 SERR# NMI disable, bits 1:0 speaker data and timer 2
 * gate. A set disable bit also clears its status bit, so on a real
 * register bit 7 with bit 2, or bit 6 with bit 3, cannot both read as 1.
 *
 * A legacy-free chipset may decode nothing at 0x61, and an I/O read
 * nobody answers returns all ones: 0xff would then read as SERR# and
 * IOCHK# at once and stop the machine for every watchdog NMI or NMI IPI.
 * 0xff is the one value that says both errors with both sources disabled
 * (and the timer output and refresh bits set as well): it is taken as "no
 * NMI reason port", not as an error. Other contradictory values (bit 7
 * with bit 2 only) are still believed: stopping for a real SERR# matters
 * more than carrying on after a misread.
 *
 * The FADT does not help decide: IAPC_BOOT_ARCH (ACPI 6.5 5.2.9.3) has
 * LEGACY_DEVICES (bit 0: user-visible LPC/ISA devices, those with a
 * connector or that need a driver) and 8042 (bit 1: a keyboard
 * controller at ports 0x60/0x64); neither names the NMI status register,
 * which is chipset logic, present in PCHs of machines that clear both
 * flags. HW_REDUCED_ACPI (FADT flags bit 20, ACPI 6.5 4.1) removes the
 * ACPI fixed hardware (PM1 blocks, PM timer, ...), not port 0x61. So
 * only the value read decides.
 */
#ifndef ARCH_X86_NMI_REASON_H
#define ARCH_X86_NMI_REASON_H

#include <hv/types.h>

#define NMI_REASON_PORT  0x61
#define NMI_REASON_SERR  BIT(7)
#define NMI_REASON_IOCHK BIT(6)
#define NMI_REASON_ABSENT 0xff	/* what a read of an absent port gives */

enum nmi_reason {
	NMI_NO_REASON,		/* neither error bit: NMI button, watchdog, IPI */
	NMI_SERR,		/* PCI SERR#: a hardware error */
	NMI_IOCHK,		/* I/O channel check: a hardware error */
	NMI_NO_REASON_PORT,	/* 0xff: nothing at port 0x61 to ask */
};

static inline enum nmi_reason nmi_reason_decode(u8 port61)
{
	if (port61 == NMI_REASON_ABSENT)
		return NMI_NO_REASON_PORT;
	if (port61 & NMI_REASON_SERR)
		return NMI_SERR;
	if (port61 & NMI_REASON_IOCHK)
		return NMI_IOCHK;
	return NMI_NO_REASON;
}

/* Whether the reason stops the machine (data may already be corrupt). */
static inline bool nmi_reason_fatal(enum nmi_reason r)
{
	return r == NMI_SERR || r == NMI_IOCHK;
}

#endif /* ARCH_X86_NMI_REASON_H */
