// SPDX-License-Identifier: GPL-2.0
/*
 * Powering the machine off and resetting it: the shell's `poweroff` and
 * `reboot`.
 *
 * poweroff enters ACPI S5 (ACPI 6.5 7.4.2, 4.8.3.2.1): SLP_TYPa from \_S5
 * with SLP_EN into PM1a_CNT, SLP_TYPb into PM1b_CNT if there is one; on a
 * hardware-reduced platform the sleep control register instead (4.8.3.7).
 * If the firmware left the machine in legacy mode (SCI_EN clear), the
 * FADT's ACPI_ENABLE is written to SMI_CMD first (4.8.3.2.1 / 16.3).
 *
 * reboot tries, in order: the FADT's reset register when it has one
 * (RESET_REG_SUP, 4.8.3.6), the reset control register at 0xcf9, the
 * keyboard controller's reset line (0xfe to port 0x64), a triple fault.
 *
 * Each step says what it is about to do and waits until the UART has sent
 * every byte, so the last line is on the console before the machine goes.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/desc.h>
#include <boot/acpi_power.h>
#include <drivers/uart16550.h>
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/shell_cmds.h>
#include <hv/time.h>
#include <hv/vm.h>

#define PM1_SCI_EN     BIT(0)
#define PM1_SLP_TYP(x) ((u32)(x) << 10)
#define PM1_SLP_TYP_M  (7u << 10)
#define PM1_SLP_EN     BIT(13)
#define SLEEP_CTL_TYP(x) ((u32)(x) << 2)
#define SLEEP_CTL_EN   BIT(5)

#define PCI_CFG_ADDR 0xcf8
#define PCI_CFG_DATA 0xcfc

static const char *const space_name[] = { "memory", "port", "PCI config" };

/* Access width in bits: the access size if given, else the bit width. */
static u32 gas_bits(const struct acpi_gas *g, u32 dflt)
{
	if (g->access_size >= 1 && g->access_size <= 4)
		return 8u << (g->access_size - 1);
	if (g->bit_width == 8 || g->bit_width == 16 || g->bit_width == 32 ||
	    g->bit_width == 64)
		return g->bit_width;
	return dflt;
}

/* PCI space: bits 47:32 device, 31:16 function, 15:0 offset, bus 0. */
static void pci_select(u64 a)
{
	outl(PCI_CFG_ADDR, 0x80000000u | (u32)((a >> 32) & 0x1f) << 11 |
			   (u32)((a >> 16) & 7) << 8 | (a & 0xfc));
}

static u64 gas_read(const struct acpi_gas *g, u32 dflt)
{
	u32 bits = gas_bits(g, dflt);
	u64 v = 0;

	if (g->space == ACPI_GAS_IO) {
		v = bits == 8 ? inb(g->addr) : bits == 16 ? inw(g->addr) :
							     inl(g->addr);
	} else if (g->space == ACPI_GAS_MEM) {
		volatile void *p = (volatile void *)(uintptr_t)g->addr;

		v = bits == 8 ? *(volatile u8 *)p : bits == 16 ?
		    *(volatile u16 *)p : bits == 32 ? *(volatile u32 *)p :
		    *(volatile u64 *)p;
	} else if (g->space == ACPI_GAS_PCI) {
		pci_select(g->addr);
		v = inl(PCI_CFG_DATA) >> (8 * (g->addr & 3));
	}
	return v >> g->bit_offset;
}

static void gas_write(const struct acpi_gas *g, u32 dflt, u64 v)
{
	u32 bits = gas_bits(g, dflt);

	v <<= g->bit_offset;
	if (g->space == ACPI_GAS_IO) {
		if (bits == 8)
			outb(g->addr, v);
		else if (bits == 16)
			outw(g->addr, v);
		else
			outl(g->addr, v);
	} else if (g->space == ACPI_GAS_MEM) {
		volatile void *p = (volatile void *)(uintptr_t)g->addr;

		if (bits == 8)
			*(volatile u8 *)p = v;
		else if (bits == 16)
			*(volatile u16 *)p = v;
		else if (bits == 32)
			*(volatile u32 *)p = v;
		else
			*(volatile u64 *)p = v;
	} else if (g->space == ACPI_GAS_PCI) {
		pci_select(g->addr);
		outb(PCI_CFG_DATA + (g->addr & 3), v);
	}
}

/* Every byte out of the rings and the UART itself. */
static void flush_console(void)
{
	console_flush();
	uart_tx_drain();
}

static void say(const char *what)
{
	console_puts(what);
	flush_console();
}

static void stop_guests(const char *why)
{
	for (u32 i = 0; i < nr_vms; i++)
		if (vms[i]->state == VM_RUNNING)
			vm_stop(vms[i], VM_OUT_STOPPED, "%s", why);
}

/* Legacy mode: ask the firmware for ACPI mode, wait for SCI_EN (1 s). */
static void acpi_mode(const struct acpi_power *p)
{
	u64 deadline;

	if (gas_read(&p->pm1a_cnt, 16) & PM1_SCI_EN || !p->smi_cmd ||
	    !p->acpi_enable)
		return;
	console_printf("poweroff: switching to ACPI mode (SMI_CMD %#x <- %#x)\n",
		       p->smi_cmd, p->acpi_enable);
	outb(p->smi_cmd, p->acpi_enable);
	deadline = rdtsc() + us_to_tsc(1000000);
	while (!(gas_read(&p->pm1a_cnt, 16) & PM1_SCI_EN) &&
	       (s64)(rdtsc() - deadline) < 0)
		cpu_relax();
}

static void pm1_write(const struct acpi_gas *g, u8 typ, bool en)
{
	u64 v = gas_read(g, 16) & ~(u64)(PM1_SLP_TYP_M | PM1_SLP_EN);

	gas_write(g, 16, v | PM1_SLP_TYP(typ) | (en ? PM1_SLP_EN : 0));
}

void cmd_poweroff(int argc, char **argv)
{
	const struct acpi_power *p = &boot_info->power;

	(void)argc;
	(void)argv;
	if (!p->fadt) {
		console_printf("poweroff: no usable FADT: cannot power off\n");
		return;
	}
	if (!p->s5) {
		console_printf("poweroff: %s: the S5 sleep type is unknown\n",
			       p->s5_error);
		return;
	}
	if (p->hw_reduced ? !p->sleep_ctl.addr : !p->pm1a_cnt.addr) {
		console_printf("poweroff: the FADT gives no %s register\n",
			       p->hw_reduced ? "sleep control" : "PM1a control");
		return;
	}
	stop_guests("the machine powers off");
	if (p->hw_reduced) {
		console_printf("powering off: ACPI S5, SLP_TYP %u into the sleep control register (%s %#llx)\n",
			       p->slp_typa, space_name[p->sleep_ctl.space],
			       (unsigned long long)p->sleep_ctl.addr);
		flush_console();
		gas_write(&p->sleep_ctl, 8,
			  SLEEP_CTL_TYP(p->slp_typa) | SLEEP_CTL_EN);
	} else {
		acpi_mode(p);
		console_printf("powering off: ACPI S5, SLP_TYPa %u into PM1a_CNT (%s %#llx)",
			       p->slp_typa, space_name[p->pm1a_cnt.space],
			       (unsigned long long)p->pm1a_cnt.addr);
		if (p->pm1b_cnt.addr)
			console_printf(", SLP_TYPb %u into PM1b_CNT (%s %#llx)",
				       p->slp_typb,
				       space_name[p->pm1b_cnt.space],
				       (unsigned long long)p->pm1b_cnt.addr);
		console_printf("\n");
		flush_console();
		/* Sleep types first, then SLP_EN (as 7.4.2 orders it). */
		pm1_write(&p->pm1a_cnt, p->slp_typa, false);
		if (p->pm1b_cnt.addr)
			pm1_write(&p->pm1b_cnt, p->slp_typb, false);
		pm1_write(&p->pm1a_cnt, p->slp_typa, true);
		if (p->pm1b_cnt.addr)
			pm1_write(&p->pm1b_cnt, p->slp_typb, true);
	}
	udelay(1000000);
	console_printf("poweroff: the machine is still on after the S5 write (the firmware ignored it)\n");
}

static void kbc_reset(void)
{
	/* Wait (bounded) for the input buffer to be empty (status bit 1). */
	for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
		udelay(10);
	outb(0x64, 0xfe);
}

void cmd_reboot(int argc, char **argv)
{
	const struct acpi_power *p = &boot_info->power;
	struct dtr none = { 0, 0 };

	(void)argc;
	(void)argv;
	stop_guests("the machine reboots");
	if (p->reset_ok) {
		console_printf("rebooting: the FADT reset register (%s %#llx <- %#x)\n",
			       space_name[p->reset.space],
			       (unsigned long long)p->reset.addr,
			       p->reset_value);
		flush_console();
		gas_write(&p->reset, 8, p->reset_value);
		udelay(500000);
	}
	say("rebooting: the reset control register (0xcf9 <- 0x06)\n");
	outb(0xcf9, 0x02);
	udelay(10);
	outb(0xcf9, 0x06);
	udelay(500000);
	say("rebooting: the keyboard controller (0x64 <- 0xfe)\n");
	kbc_reset();
	udelay(500000);
	say("rebooting: a triple fault\n");
	irq_disable();
	asm volatile("lidt %0\n\tint3" : : "m"(none));
	cpu_halt_forever();
}
