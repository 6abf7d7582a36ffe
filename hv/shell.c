// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor shell: line editing and the command table. Commands only
 * read shared state (counters may be a moment old) except `stop`, `attach`
 * and `loglevel`.
 */
#include <arch/x86/cpu.h>
#include <arch/x86/fault_hooks.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/prof.h>
#include <hv/shell.h>
#include <hv/shell_cmds.h>
#include <hv/shell_line.h>
#include <hv/string.h>

static struct shell_line line;

struct shell_cmd {
	const char *name;
	const char *args;
	const char *help;
	void (*fn)(int argc, char **argv);
};

static void cmd_help(int argc, char **argv);

static const struct shell_cmd cmds[] = {
	{ "help", "", "this list", cmd_help },
	{ "vms", "", "guests: state, memory, vCPUs, exits", cmd_vms },
	{ "vcpus", "[VM]", "vCPUs: CPU, state, RIP, exits", cmd_vcpus },
	{ "exits", "VM [VCPU]", "exits by kind", cmd_exits },
	{ "trace", "VM [VCPU]", "the last exits, oldest first", cmd_trace },
	{ "cpus", "", "physical CPUs", cmd_cpus },
	{ "mem", "", "hypervisor memory", cmd_mem },
	{ "hw", "[raw]", "hardware readiness: what the machine offers, verdicts",
	  cmd_hw },
	{ "pmu", "[VM [VCPU]]",
	  "host PMU and owners; a guest's PMU state, live", cmd_pmu },
	{ "prof", "[VM|on|off|reset]",
	  "exit-path profile: hypervisor instructions, TSC per exit kind",
	  cmd_prof },
	{ "log", "[LINES]", "the hypervisor log (default 40 lines)", cmd_log },
	{ "loglevel", "LEVEL", "error | warn | info | debug", cmd_loglevel },
	{ "attach", "VM", "give the console to a guest", cmd_attach },
	{ "stop", "VM", "stop a guest (no restart)", cmd_stop },
	{ "reset", "VM", "reset a guest: it boots again now", cmd_reset },
	{ "start", "VM", "boot a stopped guest again", cmd_start },
	{ "reboot", "", "reset the machine (ends QEMU under make run)",
	  cmd_reboot },
	{ "poweroff", "", "power the machine off (ACPI S5)", cmd_poweroff },
#ifdef PV_HOOKS
	{ "fault", "KIND [CPU]",
	  "test build: host exception ud|gp|pf|de|nested, NMI serr|iochk|noport",
	  cmd_fault },
#endif
};

static void cmd_help(int argc, char **argv)
{
	const char *k = console_escape_name();

	(void)argc;
	(void)argv;
	for (u32 i = 0; i < ARRAY_SIZE(cmds); i++)
		console_printf("  %-8s %-10s %s\n", cmds[i].name, cmds[i].args,
			       cmds[i].help);
	console_printf("  VM is a name or an index (vms). Keys: %s h shell, %s 1-9 guest, %s n next\n",
		       k, k, k);
}

void shell_prompt(void)
{
	console_puts("perfvisor> ");
}

void shell_exec(char *s)
{
	char *argv[SHELL_MAX_ARGS];
	int argc = shell_split(s, argv, SHELL_MAX_ARGS);

	if (argc < 0) {
		console_printf("too many words (at most %d)\n", SHELL_MAX_ARGS);
		return;
	}
	if (!argc)
		return;
	for (u32 i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!strcmp(argv[0], cmds[i].name)) {
			cmds[i].fn(argc, argv);
			return;
		}
	}
	console_printf("unknown command '%s' (try help)\n", argv[0]);
}

void shell_input(char c)
{
	u32 erased;

	switch (shell_line_key(&line, c, &erased)) {
	case SHELL_KEY_ENTER:
		console_puts("\n");
		shell_exec(line.buf);
		shell_line_clear(&line);
		if (!console_focused())
			shell_prompt();
		break;
	case SHELL_KEY_ERASE:
		while (erased--)
			console_puts("\b \b");
		break;
	case SHELL_KEY_ECHO:
		console_write(&c, 1);
		break;
	case SHELL_KEY_IGNORED:
		break;
	}
}
