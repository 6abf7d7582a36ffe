// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt messages between the local APICs of a VM (SDM vol. 3 11.6:
 * destination modes, shorthands, delivery modes) and the xAPIC MMIO page.
 */
#include <arch/x86/cpu.h>
#include <hv/apic_bus.h>
#include <hv/mmio.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/vcpu.h>
#include <hv/vioapic.h>
#include <hv/vlapic.h>

static bool match_logical(const struct vlapic *vl, u32 dest)
{
	if (vlapic_x2apic(vl)) {
		/* Cluster in bits 31:16, member bitmap in 15:0 (11.12.10.2). */
		if (dest == 0xffffffff)
			return true;
		return (dest >> 16) == (vl->ldr >> 16) &&
		       (dest & vl->ldr & 0xffff);
	}
	if ((dest & 0xff) == 0xff)
		return true;
	if ((vl->dfr >> 28) == 0xf)	/* flat model (11.6.2.2) */
		return (vl->ldr >> 24) & dest;
	/* Cluster model: cluster nibble equal, member bits overlap. */
	return ((vl->ldr >> 28) == ((dest >> 4) & 0xf)) &&
	       ((vl->ldr >> 24) & dest & 0xf);
}

static bool match(const struct vlapic *vl, const struct apic_msg *m)
{
	if (m->logical)
		return match_logical(vl, m->dest);
	if (vlapic_x2apic(vl))
		return m->dest == 0xffffffff || m->dest == vl->id;
	return (m->dest & 0xff) == 0xff || (m->dest & 0xff) == vl->id;
}

static void wake(struct vcpu *v)
{
	sched_kick(pcpus[v->pcpu]);
}

static void deliver(struct vcpu *v, const struct apic_msg *m)
{
	struct vlapic *vl = &v->lapic;

	switch (m->mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		if (!vlapic_accept(vl, m->vector, m->level))
			return;
		break;
	case APIC_DM_NMI:
		__atomic_store_n(&vl->pending_nmi, 1, __ATOMIC_RELEASE);
		break;
	case APIC_DM_INIT:
		__atomic_store_n(&vl->pending_init, 1, __ATOMIC_RELEASE);
		break;
	case APIC_DM_STARTUP:
		__atomic_store_n(&vl->sipi_vector, m->vector,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&vl->pending_sipi, 1, __ATOMIC_RELEASE);
		break;
	default:
		return;		/* SMI, ExtINT: not modelled */
	}
	wake(v);
}

void apic_bus_send(struct vm *vm, struct vcpu *src, const struct apic_msg *m)
{
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = vm->vcpus[i];
		bool hit;

		switch (m->shorthand) {
		case APIC_SH_SELF:
			hit = v == src;
			break;
		case APIC_SH_ALL:
			hit = true;
			break;
		case APIC_SH_OTHERS:
			hit = v != src;
			break;
		default:
			hit = match(&v->lapic, m);
			break;
		}
		if (!hit)
			continue;
		deliver(v, m);
		/* Lowest priority: one target is enough (11.6.2.4). */
		if (m->mode == APIC_DM_LOWEST && m->shorthand == APIC_SH_NONE)
			return;
	}
}

static void lapic_send_ipi_op(struct vlapic *vl, u32 icr, u32 dest)
{
	struct vcpu *src = vl->owner;
	struct apic_msg m = {
		.dest = dest,
		.logical = icr & APIC_ICR_LOGICAL,
		.shorthand = (icr >> APIC_ICR_SH_SHIFT) & 3,
		.mode = (icr & APIC_DM_MASK) >> APIC_DM_SHIFT,
		.vector = icr & 0xff,
		.level = false,
	};

	/* INIT level de-assert only resets arbitration IDs (11.6.1). */
	if (m.mode == APIC_DM_INIT && (icr & APIC_ICR_LEVEL) &&
	    !(icr & APIC_ICR_ASSERT))
		return;
	apic_bus_send(src->vm, src, &m);
}

static void lapic_eoi_level_op(struct vlapic *vl, u8 vector)
{
	struct vcpu *v = vl->owner;

	vioapic_eoi(v->vm, vector);
}

static const struct vlapic_ops bus_ops = {
	.send_ipi = lapic_send_ipi_op,
	.eoi_level = lapic_eoi_level_op,
};

void apic_bus_init_vcpu(struct vcpu *vcpu)
{
	char vendor[13];

	vlapic_init(&vcpu->lapic, vcpu->id, vcpu->id == 0, tsc_hz, &bus_ops,
		    vcpu);
	if (!strcmp(cpu_vendor(vendor), "AuthenticAMD"))
		vcpu->lapic.version = VLAPIC_VERSION_AMD;
}

/*
 * The xAPIC page: 32-bit registers on 16-byte boundaries (11.4.1). An APIC
 * disabled in IA32_APIC_BASE is as if the CPU had none (11.4.3), and in
 * x2APIC mode it has no MMIO interface (11.12.1.2): the page is then
 * unclaimed, reads give all-ones and writes vanish, as for any address no
 * device decodes (hv/mem_fault.c).
 */
static int xapic_read(struct vcpu *vcpu, void *opaque, u64 off, u8 size,
		      u64 *val)
{
	struct vlapic *vl = &vcpu->lapic;
	u32 v;

	(void)opaque;
	if (!vlapic_xapic(vl)) {
		*val = ~0ULL;
		return 0;
	}
	*val = 0;
	if ((off & 0xf) + size > 4)
		return 0;
	v = vlapic_read(vl, off & ~0xfULL, rdtsc());
	*val = v >> ((off & 3) * 8);
	return 0;
}

static int xapic_write(struct vcpu *vcpu, void *opaque, u64 off, u8 size,
		       u64 val)
{
	struct vlapic *vl = &vcpu->lapic;

	(void)opaque;
	/* Only aligned 32-bit writes are defined; others are dropped. */
	if (!vlapic_xapic(vl) || (off & 0xf) || size != 4)
		return 0;
	vlapic_write(vl, off, (u32)val, rdtsc());
	return 0;
}

static const struct mmio_ops xapic_ops = {
	.name = "local APIC",
	.read = xapic_read,
	.write = xapic_write,
};

int apic_bus_init_vm(struct vm *vm)
{
	return mmio_register(vm, VLAPIC_DEFAULT_BASE, PAGE_SIZE, &xapic_ops,
			     NULL);
}
