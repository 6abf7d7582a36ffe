/* sources: hv/rendezvous.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for guests that wait for each other (hv/rendezvous.c): a
 * guest queued behind another on its CPU has not started, so
 * PV_HC_RUNNING_VMS does not count it; PV_HC_RENDEZVOUS counts only the
 * guests of the caller's image or `meet` name, each once however often it
 * arrives, lets no phase go back, and refuses phases out of range.
 */
#include "unit.h"
#include <hv/errno.h>
#include <hv/rendezvous.h>

/* ---- fixtures: four guests, a0 a1 a2 of one image, b0 of another ---- */

#define NR 4
static struct cfg_vm cfg[NR];
static struct vcpu vcpu[NR];
static struct vm vm[NR];
static struct vm *table[NR];

static int setup(void **state)
{
	static const char *const image[NR] = {
		"guest-tests/a.elf", "guest-tests/a.elf", "guest-tests/a.elf",
		"guest-tests/b.elf",
	};

	(void)state;
	memset(cfg, 0, sizeof(cfg));
	memset(vcpu, 0, sizeof(vcpu));
	memset(vm, 0, sizeof(vm));
	for (u32 i = 0; i < NR; i++) {
		strlcpy(cfg[i].image, image[i], sizeof(cfg[i].image));
		vm[i].cfg = &cfg[i];
		vm[i].id = i;
		vm[i].nr_vcpus = 1;
		vm[i].vcpus[0] = &vcpu[i];
		vcpu[i].vm = &vm[i];
		/* Created and running, vCPU 0 not on its CPU yet. */
		vm[i].state = VM_RUNNING;
		vm[i].start_tsc = 1000;
		table[i] = &vm[i];
	}
	return 0;
}

/* vCPU 0 of @v enters the guest at @tsc. */
static void enter(u32 v, u64 tsc)
{
	vcpu[v].run_start_tsc = tsc;
}

static void test_queued_guest_has_not_started(void **state)
{
	(void)state;
	assert_int_equal(vms_started(table, NR), 0);
	assert_int_equal(vm_run_start(&vm[0]), 0);
	enter(0, 1500);
	enter(3, 1000);
	assert_int_equal(vm_run_start(&vm[0]), 1500);
	assert_int_equal(vms_started(table, NR), 2);
	/* Stopped: no longer running, even though it started. */
	vm[3].state = VM_STOPPED;
	assert_int_equal(vms_started(table, NR), 1);
}

static void test_restart_starts_again(void **state)
{
	(void)state;
	enter(1, 1200);
	assert_int_equal(vms_started(table, NR), 1);
	/* Restarted at 2000: its last entry was before, queued again. */
	vm[1].start_tsc = 2000;
	assert_int_equal(vms_started(table, NR), 0);
	enter(1, 2100);
	assert_int_equal(vms_started(table, NR), 1);
}

static void test_no_vcpu_never_started(void **state)
{
	(void)state;
	vm[2].nr_vcpus = 0;
	assert_int_equal(vm_run_start(&vm[2]), 0);
}

static void test_rendezvous_of_one_image(void **state)
{
	(void)state;
	/* b0 is the only guest of its image: it never waits. */
	assert_int_equal(rendezvous_arrive(&vm[3], table, NR, 1), 0);
	assert_int_equal(rendezvous_arrive(&vm[0], table, NR, 1), 2);
	/* Arriving again counts once. */
	assert_int_equal(rendezvous_arrive(&vm[0], table, NR, 1), 2);
	assert_int_equal(rendezvous_arrive(&vm[2], table, NR, 1), 1);
	assert_int_equal(rendezvous_arrive(&vm[1], table, NR, 1), 0);
	/* Everyone else sees it complete too. */
	assert_int_equal(rendezvous_arrive(&vm[0], table, NR, 1), 0);
	assert_int_equal(rendezvous_arrive(&vm[2], table, NR, 1), 0);
}

static void test_phases(void **state)
{
	(void)state;
	assert_int_equal(rendezvous_arrive(&vm[0], table, NR, 1), 2);
	assert_int_equal(rendezvous_arrive(&vm[1], table, NR, 2), 2);
	/* Phase 2 passes phase 1 too: a1 is counted there. */
	assert_int_equal(rendezvous_arrive(&vm[2], table, NR, 1), 0);
	/* A smaller phase leaves a1 at 2. */
	assert_int_equal(rendezvous_arrive(&vm[1], table, NR, 1), 0);
	assert_int_equal(vm[1].rdv_phase, 2);
	assert_int_equal(rendezvous_arrive(&vm[0], table, NR, 2), 1);
	assert_int_equal(rendezvous_arrive(&vm[2], table, NR, 2), 0);
	/* A restart puts a guest back to 0 (hv/vm_reset.c). */
	vm[2].rdv_phase = 0;
	assert_int_equal(rendezvous_arrive(&vm[0], table, NR, 2), 1);
	assert_int_equal(rendezvous_arrive(&vm[0], table, NR, RDV_PHASE_MAX),
			 2);
}

static void test_meet_names(void **state)
{
	(void)state;
	/* a0 and b0 meet by name; a1 and a2 are still one image's. */
	strlcpy(cfg[0].meet, "pair", sizeof(cfg[0].meet));
	strlcpy(cfg[3].meet, "pair", sizeof(cfg[3].meet));
	assert_int_equal(rendezvous_arrive(&vm[0], table, NR, 1), 1);
	assert_int_equal(rendezvous_arrive(&vm[1], table, NR, 1), 1);
	assert_int_equal(rendezvous_arrive(&vm[3], table, NR, 1), 0);
	assert_int_equal(rendezvous_arrive(&vm[2], table, NR, 1), 0);
	/* Another name: alone, even with the image of a1 and a2. */
	strlcpy(cfg[2].meet, "other", sizeof(cfg[2].meet));
	assert_int_equal(rendezvous_arrive(&vm[2], table, NR, 2), 0);
	assert_int_equal(rendezvous_arrive(&vm[1], table, NR, 2), 0);
}

static void test_phase_out_of_range(void **state)
{
	(void)state;
	assert_int_equal(rendezvous_arrive(&vm[0], table, NR, 0), -EINVAL);
	assert_int_equal(rendezvous_arrive(&vm[0], table, NR,
					   RDV_PHASE_MAX + 1), -EINVAL);
	assert_int_equal(rendezvous_arrive(&vm[0], table, NR, ~0ULL), -EINVAL);
	/* A refused call does not arrive anywhere. */
	assert_int_equal(vm[0].rdv_phase, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_queued_guest_has_not_started, setup),
		cmocka_unit_test_setup(test_restart_starts_again, setup),
		cmocka_unit_test_setup(test_no_vcpu_never_started, setup),
		cmocka_unit_test_setup(test_rendezvous_of_one_image, setup),
		cmocka_unit_test_setup(test_phases, setup),
		cmocka_unit_test_setup(test_meet_names, setup),
		cmocka_unit_test_setup(test_phase_out_of_range, setup),
	};

	return cmocka_run_group_tests_name("rendezvous", tests, NULL, NULL);
}
