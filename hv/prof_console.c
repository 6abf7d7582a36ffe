// SPDX-License-Identifier: GPL-2.0
/*
 * The shell's `prof`: exit-path profile tables (hv/prof.h), recording on
 * and off, reset.
 *
 *   prof            state, and the table summed over every VM
 *   prof VM         one VM's table (its vCPUs summed)
 *   prof on | off   recording on the entry path on / off (the counter
 *                   reservation is a boot decision: profile = on)
 *   prof reset      forget every figure
 */
#include <hv/console.h>
#include <hv/prof.h>
#include <hv/shell_cmds.h>
#include <hv/string.h>
#include <hv/vm.h>
#include <pmu/pmu.h>

static void print_mean(u64 sum, u64 n)
{
	u64 tenths = (sum * 10 + n / 2) / n;

	console_printf(" %10llu.%llu", (unsigned long long)(tenths / 10),
		       (unsigned long long)(tenths % 10));
}

static void print_table(const struct prof_stat *sum)
{
	bool insn = pmu_host.prof;
	u64 total = 0;

	for (int k = 0; k < NR_EXIT_KINDS; k++)
		total += sum[k].n;
	if (!total) {
		console_printf("  no exit round trips recorded\n");
		return;
	}
	console_printf("  %-14s %10s", "kind", "count");
	if (insn)
		console_printf(" %12s %10s %10s", "insn mean", "insn min",
			       "insn max");
	console_printf(" %12s %10s %12s\n", "tsc mean", "tsc min", "tsc max");
	for (int k = 0; k < NR_EXIT_KINDS; k++) {
		const struct prof_stat *s = &sum[k];

		if (!s->n)
			continue;
		console_printf("  %-14s %10llu", exit_kind_name((enum exit_kind)k),
			       (unsigned long long)s->n);
		if (insn) {
			print_mean(s->insn_sum, s->n);
			console_printf(" %10llu %10llu",
				       (unsigned long long)s->insn_min,
				       (unsigned long long)s->insn_max);
		}
		print_mean(s->tsc_sum, s->n);
		console_printf(" %10llu %12llu\n",
			       (unsigned long long)s->tsc_min,
			       (unsigned long long)s->tsc_max);
	}
}

static void add_vm(struct prof_stat *sum, const struct vm *vm)
{
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		prof_add(sum, &vm->vcpus[i]->prof);
}

static void print_state(void)
{
	console_printf("  profile: recording %s; ", prof_on ? "on" : "off");
	if (pmu_host.prof)
		console_printf("hypervisor instructions from counter %u (host-only), cycles as TSC ticks; guests have %u counters of %u\n",
			       pmu_host.prof_ctr, pmu_guest_max_gp(),
			       pmu_host.nr_gp);
	else
		console_printf("no hypervisor counter (%s): TSC ticks only\n",
			       pmu_host.prof_why ? pmu_host.prof_why :
						   "profile = off at boot");
	console_printf("  per exit round trip: from the VM exit to the next entry of the vCPU (hlt: with the time halted)\n");
}

void cmd_prof(int argc, char **argv)
{
	static struct prof_stat sum[NR_EXIT_KINDS];
	const struct vm *vm;

	memset(sum, 0, sizeof(sum));
	if (argc < 2) {
		print_state();
		for (u32 i = 0; i < nr_vms; i++)
			add_vm(sum, vms[i]);
		console_printf("  all VMs:\n");
		print_table(sum);
		return;
	}
	if (!strcmp(argv[1], "on")) {
		__atomic_add_fetch(&prof_gen, 1, __ATOMIC_RELEASE);
		prof_on = true;
		console_printf("  profile: recording on\n");
		return;
	}
	if (!strcmp(argv[1], "off")) {
		prof_on = false;
		console_printf("  profile: recording off (figures kept)\n");
		return;
	}
	if (!strcmp(argv[1], "reset")) {
		__atomic_add_fetch(&prof_reset, 1, __ATOMIC_RELEASE);
		__atomic_add_fetch(&prof_gen, 1, __ATOMIC_RELEASE);
		console_printf("  profile: figures reset\n");
		return;
	}
	vm = shell_vm_arg(argv[1]);
	if (!vm) {
		console_printf("no vm '%s' (see vms); prof [on | off | reset | VM]\n",
			       argv[1]);
		return;
	}
	add_vm(sum, vm);
	console_printf("  vm %s, %u vCPU%s:\n", vm->name, vm->nr_vcpus,
		       vm->nr_vcpus == 1 ? "" : "s");
	print_table(sum);
}
