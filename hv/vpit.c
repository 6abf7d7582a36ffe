// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's 8254 PIT at ports 0x40-0x43 and the PC's port 0x61 (NMI
 * status and control: bit 0 gates counter 2, bit 1 enables the speaker,
 * bit 4 toggles with the DRAM refresh, bit 5 is counter 2's OUT). The
 * counters run on the TSC, scaled to 1.193182 MHz (hv/pit.c holds the
 * logic). Counter 0's OUT is ISA IRQ 0, which the guest's MADT overrides
 * to I/O APIC pin 2 (hv/acpi_build.c); the 8259s of this platform deliver
 * nothing (hv/vpic.c). Its rising edges are raised from vpit_poll(),
 * which vCPU 0 calls before each entry with its host timer armed for the
 * next edge (hv/vcpu_irq.c), and the boot CPU every console tick; also
 * on every PIT access. Edges missed in between are merged into one, as a
 * late timer interrupt is on real hardware.
 */
#include <arch/x86/cpu.h>
#include <hv/io.h>
#include <hv/time.h>
#include <hv/vioapic.h>
#include <hv/vm.h>
#include <hv/vpit.h>

#define PIT_IRQ_PIN  2			/* MADT: ISA IRQ 0 -> GSI 2 */
#define P61_GATE2    BIT(0)
#define P61_SPEAKER  BIT(1)
#define P61_REFRESH  BIT(4)
#define P61_OUT2     BIT(5)

/* PIT input clocks since the VM's PIT was reset. */
static u64 ticks(const struct vm *vm, u64 tsc)
{
	u64 d = tsc - vm->pit_epoch;

	/* Split so that the product cannot overflow 64 bits. */
	return d / tsc_hz * PIT_HZ + d % tsc_hz * PIT_HZ / tsc_hz;
}

u64 vpit_deadline(const struct vm *vm)
{
	u64 t = __atomic_load_n(&vm->pit_irq_due, __ATOMIC_RELAXED);

	if (!t)
		return 0;
	return vm->pit_epoch + t / PIT_HZ * tsc_hz +
	       (t % PIT_HZ * tsc_hz + PIT_HZ - 1) / PIT_HZ;
}

void vpit_reset(struct vm *vm)
{
	pit_reset(&vm->pit);
	vm->pit_epoch = rdtsc();
	vm->pit_irq_due = 0;
	vm->port61 = 0;
}

/* With the PIT lock held: is an edge of counter 0 due? Re-arms if so. */
static bool irq_due(struct vm *vm, u64 now)
{
	if (!vm->pit_irq_due || now < vm->pit_irq_due)
		return false;
	vm->pit_irq_due = pit_next_edge(&vm->pit, 0, now);
	return true;
}

static void raise_irq0(struct vm *vm)
{
	vioapic_set_irq(vm, PIT_IRQ_PIN, true);
	vioapic_set_irq(vm, PIT_IRQ_PIN, false);
}

void vpit_poll(struct vm *vm)
{
	bool fire;

	if (!__atomic_load_n(&vm->pit_irq_due, __ATOMIC_RELAXED))
		return;
	spin_lock(&vm->pit_lock);
	fire = irq_due(vm, ticks(vm, rdtsc()));
	spin_unlock(&vm->pit_lock);
	if (fire)
		raise_irq0(vm);
}

static int pit_read(struct vm *vm, u16 port, u8 size, u32 *val)
{
	u64 now;
	bool fire;

	(void)size;
	spin_lock(&vm->pit_lock);
	now = ticks(vm, rdtsc());
	if (port == 0x61) {
		*val = (vm->port61 & 0x0f) |
		       ((now / 18) & 1 ? P61_REFRESH : 0) |	/* ~15 us */
		       (pit_out(&vm->pit, 2, now) ? P61_OUT2 : 0);
	} else if (port == 0x43) {
		*val = 0xff;	/* the control word register is write-only */
	} else {
		*val = pit_read_data(&vm->pit, port - 0x40, now);
	}
	fire = irq_due(vm, now);
	spin_unlock(&vm->pit_lock);
	if (fire)
		raise_irq0(vm);
	return 0;
}

static int pit_write(struct vm *vm, u16 port, u8 size, u32 val)
{
	u64 now;
	bool fire;

	(void)size;
	spin_lock(&vm->pit_lock);
	now = ticks(vm, rdtsc());
	fire = irq_due(vm, now);
	if (port == 0x61) {
		vm->port61 = val & 0x0f;
		pit_set_gate(&vm->pit, 2, val & P61_GATE2, now);
	} else if (port == 0x43) {
		pit_write_control(&vm->pit, (u8)val, now);
		if ((val >> 6) == 0 && (val & 0x30))
			vm->pit_irq_due = 0;	/* counter 0 stopped */
	} else {
		pit_write_data(&vm->pit, port - 0x40, (u8)val, now);
		if (port == 0x40)
			vm->pit_irq_due = pit_next_edge(&vm->pit, 0, now);
	}
	spin_unlock(&vm->pit_lock);
	if (fire)
		raise_irq0(vm);
	return 0;
}

const struct io_dev vpit_dev = {
	.name = "pit",
	.base = 0x40,
	.len = 4,
	.read = pit_read,
	.write = pit_write,
};

const struct io_dev vpit_port61_dev = {
	.name = "port61",
	.base = 0x61,
	.len = 1,
	.read = pit_read,
	.write = pit_write,
};
