// SPDX-License-Identifier: GPL-2.0
/* What the hypervisor shell can show and do. */
#include <arch/x86/cpu.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/mm/page_alloc.h>
#include <hv/percpu.h>
#include <hv/printf.h>
#include <hv/ram_lazy.h>
#include <hv/shell_cmds.h>
#include <hv/shell_line.h>
#include <hv/string.h>
#include <hv/time.h>
#include <hv/topology.h>
#include <hv/virt.h>
#include <hv/vm.h>
#include <pmu/pmu.h>

#define LOG_READ_SIZE (32 * KiB)

static const char *const vcpu_state_names[] = {
	[VCPU_RUNNABLE] = "running",
	[VCPU_HALTED] = "halted",
	[VCPU_WAIT_SIPI] = "wait-sipi",
	[VCPU_STOPPED] = "stopped",
};

struct vm *shell_vm_arg(const char *arg)
{
	u32 idx;

	for (u32 i = 0; i < nr_vms; i++)
		if (!strcmp(vms[i]->name, arg))
			return vms[i];
	if (shell_parse_uint(arg, &idx) && idx < nr_vms)
		return vms[idx];
	return NULL;
}

static struct vm *find_vm(const char *arg)
{
	struct vm *vm = shell_vm_arg(arg);

	if (!vm)
		console_printf("no vm '%s' (see vms)\n", arg);
	return vm;
}

static u64 vm_exits(const struct vm *vm)
{
	u64 n = 0;

	for (u32 i = 0; i < vm->nr_vcpus; i++)
		n += vm->vcpus[i]->nr_exits;
	return n;
}

static const char *vm_state_name(const struct vm *vm)
{
	if (vm->resetting)
		return "resetting";
	if (vm->restart_pending)
		return "restarting";
	if (vm->state == VM_RUNNING)
		return "running";
	if (vm->state == VM_CREATED)
		return "created";
	return vm_outcome_name(vm->outcome);
}

void cmd_vms(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_printf("  #  %-16s %-12s %8s %5s %12s %8s %10s %9s  %s\n",
		       "name", "state", "memory", "vcpus", "exits", "restarts",
		       "lost", "unclaimed", "uptime/reason");
	for (u32 i = 0; i < nr_vms; i++) {
		struct vm *vm = vms[i];
		u64 end = vm->state == VM_RUNNING ? rdtsc() : vm->stop_tsc;
		u64 ms = vm->start_tsc ? tsc_to_us(end - vm->start_tsc) / 1000 :
					 0;

		console_printf("%c%2u  %-16s %-12s %7lluM %5u %12llu %8u %10llu %9llu  ",
			       vm == console_focused() ? '*' : ' ', i, vm->name,
			       vm_state_name(vm),
			       (unsigned long long)(vm->ram_size >> 20),
			       vm->nr_vcpus, (unsigned long long)vm_exits(vm),
			       vm->restarts, (unsigned long long)vm->out.lost,
			       (unsigned long long)vm->unclaimed_accesses);
		if (vm->state == VM_RUNNING)
			console_printf("%llu.%03llu s\n",
				       (unsigned long long)(ms / 1000),
				       (unsigned long long)(ms % 1000));
		else
			console_printf("%s\n", vm->reason);
	}
}

static void show_vcpus(struct vm *vm)
{
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = vm->vcpus[i];

		console_printf("  %-16s vcpu%-3u cpu%-3u %-10s rip %016llx exits %llu\n",
			       vm->name, v->id, v->pcpu,
			       vm->state != VM_RUNNING ? "stopped" :
			       vcpu_state_names[v->state],
			       (unsigned long long)v->regs.rip,
			       (unsigned long long)v->nr_exits);
	}
}

void cmd_vcpus(int argc, char **argv)
{
	struct vm *vm;

	if (argc > 1) {
		vm = find_vm(argv[1]);
		if (vm)
			show_vcpus(vm);
		return;
	}
	for (u32 i = 0; i < nr_vms; i++)
		show_vcpus(vms[i]);
}

/* Parses "VM [VCPU]"; returns the vCPU, or NULL after saying why. */
static struct vcpu *vcpu_arg(int argc, char **argv, struct vm **vmp)
{
	struct vm *vm;
	u32 id = 0;

	if (argc < 2) {
		console_printf("usage: %s VM [VCPU]\n", argv[0]);
		return NULL;
	}
	vm = find_vm(argv[1]);
	if (!vm)
		return NULL;
	if (argc > 2 && (!shell_parse_uint(argv[2], &id) || id >= vm->nr_vcpus)) {
		console_printf("vm %s has vCPUs 0-%u\n", vm->name,
			       vm->nr_vcpus - 1);
		return NULL;
	}
	if (!vm->nr_vcpus) {
		console_printf("vm %s has no vCPU\n", vm->name);
		return NULL;
	}
	*vmp = vm;
	return vm->vcpus[id];
}

void cmd_exits(int argc, char **argv)
{
	struct vm *vm;
	struct vcpu *v = vcpu_arg(argc, argv, &vm);
	u64 n[NR_EXIT_KINDS], total = 0;

	if (!v)
		return;
	/*
	 * The vCPU keeps running: one reading of each count, and the total
	 * their sum, so that the lines printed add up.
	 */
	for (int k = 0; k < NR_EXIT_KINDS; k++) {
		n[k] = __atomic_load_n(&v->exits[k], __ATOMIC_RELAXED);
		total += n[k];
	}
	console_printf("  vm %s vcpu%u: %llu exits\n", vm->name, v->id,
		       (unsigned long long)total);
	for (int k = 0; k < NR_EXIT_KINDS; k++)
		if (n[k])
			console_printf("  %-14s %12llu\n",
				       exit_kind_name((enum exit_kind)k),
				       (unsigned long long)n[k]);
}

void cmd_trace(int argc, char **argv)
{
	struct vm *vm;
	struct vcpu *v = vcpu_arg(argc, argv, &vm);
	u32 n, head;

	if (!v)
		return;
	head = v->trace_head;
	n = head < EXIT_TRACE_LEN ? head : EXIT_TRACE_LEN;
	console_printf("  %-12s %-14s %-16s %-10s %s\n", "time (us)", "kind",
		       "rip", "code", "qual");
	for (u32 i = head - n; i != head; i++) {
		const struct exit_trace *t = &v->trace[i % EXIT_TRACE_LEN];

		console_printf("  %-12llu %-14s %016llx %-10llx %llx\n",
			       (unsigned long long)tsc_to_us(t->tsc - boot_tsc),
			       exit_kind_name((enum exit_kind)t->kind),
			       (unsigned long long)t->rip,
			       (unsigned long long)t->vendor_code,
			       (unsigned long long)t->qual);
	}
}

void cmd_cpus(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_printf("  %-6s %-5s %-7s %-4s %-6s %-7s %s\n", "cpu", "apic",
		       "package", "core", "thread", "state", "use");
	for (u32 i = 0; i < nr_pcpus; i++) {
		struct pcpu *c = pcpus[i];
		struct vcpu *cur = c->current;
		struct cpu_topo t;
		char nmis[48] = "";

		topo_decode(&host_topo, c->apic_id, &t);
		/* arch/x86/fault.c: NMIs nobody here sent (an NMI button...). */
		if (c->nmi_unexpected)
			hv_snprintf(nmis, sizeof(nmis), ", %u unexpected NMI%s",
				    c->nmi_unexpected,
				    c->nmi_unexpected > 1 ? "s" : "");
		console_printf("  cpu%-3u %-5u %-7u %-4u %-6u %s %-10s queued %u%s%s%s\n",
			       i, c->apic_id, t.package, t.core, t.thread,
			       c->online ? "online " : "offline",
			       i == 0 ? "console" :
			       c->virt_on ? virt->name : "virt-FAILED",
			       c->nr_runq, cur ? ", running " : "",
			       cur ? cur->vm->name : "", nmis);
	}
}

void cmd_mem(int argc, char **argv)
{
	u64 used = mm_total_bytes() - mm_free_bytes(), guests = 0;

	(void)argc;
	(void)argv;
	for (u32 i = 0; i < nr_vms; i++)
		guests += ALIGN_UP(vms[i]->ram_size, PAGE_SIZE);
	console_printf("  hypervisor pool: %llu MiB total, %llu MiB free\n",
		       (unsigned long long)(mm_total_bytes() >> 20),
		       (unsigned long long)(mm_free_bytes() >> 20));
	console_printf("  in use: %llu KiB: guest RAM %llu MiB, the hypervisor's own %llu KiB\n",
		       (unsigned long long)(used >> 10),
		       (unsigned long long)(guests >> 20),
		       (unsigned long long)((used - guests) >> 10));
	for (u32 i = 0; i < nr_vms; i++)
		console_printf("  vm %-16s %6llu MiB at host %#llx, %llu MiB touched\n",
			       vms[i]->name,
			       (unsigned long long)(vms[i]->ram_size >> 20),
			       (unsigned long long)vms[i]->ram_hpa,
			       (unsigned long long)ram_ready_chunks(vms[i]) *
				       (RAM_CHUNK >> 20));
}

void cmd_pmu(int argc, char **argv)
{
	struct vm *vm;
	u32 idx = 0;

	if (argc < 2) {
		pmu_console_host();
		return;
	}
	vm = find_vm(argv[1]);
	if (!vm)
		return;
	if (argc > 2 && (!shell_parse_uint(argv[2], &idx) || idx >= vm->nr_vcpus)) {
		console_printf("vm %s has no vcpu '%s'\n", vm->name, argv[2]);
		return;
	}
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		if (argc < 3 || i == idx)
			pmu_console_vcpu(vm->vcpus[i]);
}

void cmd_log(int argc, char **argv)
{
	static char *buf;
	u32 want = 40;

	if (argc > 1 && (!shell_parse_uint(argv[1], &want) || !want)) {
		console_printf("usage: log [LINES], LINES at least 1\n");
		return;
	}
	if (!buf)
		buf = page_alloc(LOG_READ_SIZE);
	if (!buf)
		return;
	console_write(buf, log_read(buf, LOG_READ_SIZE, want));
	if (log_keep_lost())
		console_printf("[log: %llu lines of fault reports are only on the console: the log was busy when they came]\n",
			       (unsigned long long)log_keep_lost());
}

void cmd_loglevel(int argc, char **argv)
{
	static const char *const names[] = { "error", "warn", "info",
					     "debug" };

	if (argc < 2) {
		console_printf("log level: %s\n", names[log_level]);
		return;
	}
	for (u32 i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(argv[1], names[i])) {
			log_level = (enum log_level)i;
			return;
		}
	}
	console_printf("usage: loglevel error|warn|info|debug\n");
}

void cmd_attach(int argc, char **argv)
{
	struct vm *vm;

	if (argc < 2) {
		console_printf("usage: attach VM\n");
		return;
	}
	vm = find_vm(argv[1]);
	if (vm)
		console_focus(vm);
}

void cmd_stop(int argc, char **argv)
{
	struct vm *vm;

	if (argc < 2) {
		console_printf("usage: stop VM\n");
		return;
	}
	vm = find_vm(argv[1]);
	if (!vm)
		return;
	if (vm->state != VM_RUNNING && !vm->restart_pending) {
		console_printf("vm %s is not running\n", vm->name);
		return;
	}
	vm_stop(vm, VM_OUT_STOPPED, "stopped from the console");
	vm_cancel_restart(vm);
}

static struct vm *vm_arg(int argc, char **argv)
{
	if (argc < 2) {
		console_printf("usage: %s VM\n", argv[0]);
		return NULL;
	}
	return find_vm(argv[1]);
}

void cmd_reset(int argc, char **argv)
{
	struct vm *vm = vm_arg(argc, argv);

	if (vm && vm_request_restart(vm))
		console_printf("vm %s was never started: its image did not load\n",
			       vm->name);
}

void cmd_start(int argc, char **argv)
{
	struct vm *vm = vm_arg(argc, argv);

	if (!vm)
		return;
	if (vm->state == VM_RUNNING || vm->restart_pending) {
		console_printf("vm %s is already running\n", vm->name);
		return;
	}
	if (vm_request_restart(vm))
		console_printf("vm %s was never started: its image did not load\n",
			       vm->name);
}
