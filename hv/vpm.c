// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI fixed hardware of the guest (ACPI 6.5 4.8.3): the PM1a event block
 * (status and enable: enables are kept, no event ever becomes pending)
 * and the PM1a control block.
 * SCI_EN reads as set: there is no SMI command port, the platform is in
 * ACPI mode from the start. Writing SLP_EN with the \_S5 sleep type that
 * hv/acpi_build.c puts in the DSDT powers the guest off.
 */
#include <hv/acpi_build.h>
#include <hv/io.h>
#include <hv/vm.h>

#define PM1_SCI_EN     BIT(0)
#define PM1_SLP_TYP(v) (((v) >> 10) & 7)
#define PM1_SLP_EN     BIT(13)

#define PM1_EN_PORT (ACPI_PM1A_EVT_PORT + 2)

static int pm_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	(void)size;
	if (port == ACPI_PM1A_CNT_PORT)
		*val = PM1_SCI_EN;
	else if (port == PM1_EN_PORT)
		*val = vm->pm1_enable;	/* kept, never fires */
	else
		*val = 0;		/* status: no event pending */
	return 0;
}

static int pm_write(struct vm *vm, u16 port, u8 size, u32 val)
{
	(void)size;
	if (port == PM1_EN_PORT)
		vm->pm1_enable = val;
	if (port == ACPI_PM1A_CNT_PORT && (val & PM1_SLP_EN) &&
	    PM1_SLP_TYP(val) == ACPI_S5_TYP)
		vm_stop(vm, VM_OUT_POWEROFF, "ACPI power-off (S5)");
	return 0;
}

const struct io_dev vpm_dev = {
	.name = "acpi-pm1",
	.base = ACPI_PM1A_EVT_PORT,
	.len = 6,
	.read = pm_read,
	.write = pm_write,
};
