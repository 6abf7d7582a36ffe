// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated MMIO regions of a VM (see hv/mmio.h). Registration happens at
 * creation, before any vCPU runs, so lookups need no lock.
 */
#include <hv/errno.h>
#include <hv/gmem.h>
#include <hv/guest_ram.h>
#include <hv/mmio.h>
#include <hv/vcpu.h>

int mmio_register(struct vm *vm, gpa_t base, u64 len,
		  const struct mmio_ops *ops, void *opaque)
{
	struct mmio_region *r;

	if (vm->nr_mmio == MMIO_MAX_REGIONS)
		return -ENOSPC;
	/* RAM is mapped: an access there would never fault. */
	if (guest_ram_overlaps(vm->ram_size, base, len) || base + len < base)
		return -EINVAL;
	r = &vm->mmio[vm->nr_mmio++];
	r->base = base;
	r->len = len;
	r->ops = ops;
	r->opaque = opaque;
	return 0;
}

const struct mmio_region *mmio_find(const struct vm *vm, gpa_t gpa)
{
	for (u32 i = 0; i < vm->nr_mmio; i++) {
		const struct mmio_region *r = &vm->mmio[i];

		if (gpa >= r->base && gpa - r->base < r->len)
			return r;
	}
	return NULL;
}
