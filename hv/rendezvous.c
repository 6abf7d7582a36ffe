// SPDX-License-Identifier: GPL-2.0
/*
 * Guests that wait for each other (hv/rendezvous.h). No table of its own:
 * each VM holds the phase it reached, so a guest can only ever tell the
 * guests the configuration puts with it (its `meet` name, else its image)
 * where it is, and nothing it passes makes the hypervisor allocate or
 * index anything.
 */
#include <hv/errno.h>
#include <hv/rendezvous.h>
#include <hv/string.h>

u64 vm_run_start(const struct vm *vm)
{
	u64 run;

	if (!vm->nr_vcpus)
		return 0;
	run = __atomic_load_n(&vm->vcpus[0]->run_start_tsc, __ATOMIC_RELAXED);
	return vm->start_tsc && run >= vm->start_tsc ? run : 0;
}

u32 vms_started(struct vm *const *vms, u32 nr)
{
	u32 n = 0;

	for (u32 i = 0; i < nr; i++)
		n += vms[i]->state == VM_RUNNING && vm_run_start(vms[i]);
	return n;
}

/* Guests of one `meet` name, or without one, of one image. */
static bool same_group(const struct vm *a, const struct vm *b)
{
	const struct cfg_vm *x = a->cfg, *y = b->cfg;

	if (a == b)
		return true;
	if (x->meet[0] || y->meet[0])
		return !strcmp(x->meet, y->meet);
	return !strcmp(x->image, y->image);
}

s64 rendezvous_arrive(struct vm *self, struct vm *const *vms, u32 nr,
		      u64 phase)
{
	u32 old = __atomic_load_n(&self->rdv_phase, __ATOMIC_RELAXED);
	s64 missing = 0;

	if (!phase || phase > RDV_PHASE_MAX)
		return -EINVAL;
	/* Several vCPUs of @self may arrive at once: the phase only grows. */
	while (old < phase &&
	       !__atomic_compare_exchange_n(&self->rdv_phase, &old, (u32)phase,
					    false, __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED))
		;
	for (u32 i = 0; i < nr; i++)
		if (same_group(self, vms[i]) &&
		    __atomic_load_n(&vms[i]->rdv_phase, __ATOMIC_ACQUIRE) <
			    phase)
			missing++;
	return missing;
}
