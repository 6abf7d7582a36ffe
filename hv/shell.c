// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor shell: line editing and the command table. Commands only
 * read shared state (counters may be a moment old) except `stop`, `attach`
 * and `loglevel`.
 */
#include <arch/x86/cpu.h>
#include <hv/console.h>
#include <hv/log.h>
#include <hv/shell.h>
#include <hv/shell_cmds.h>
#include <hv/string.h>

#define LINE_MAX 128
#define MAX_ARGS 8

static char line[LINE_MAX];
static u32 len;

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
	{ "pmu", "[VM [VCPU]]",
	  "host PMU and owners; a guest's PMU state, live", cmd_pmu },
	{ "log", "[LINES]", "the hypervisor log (default 40 lines)", cmd_log },
	{ "loglevel", "LEVEL", "error | warn | info | debug", cmd_loglevel },
	{ "attach", "VM", "give the console to a guest", cmd_attach },
	{ "stop", "VM", "stop a guest (no restart)", cmd_stop },
	{ "reset", "VM", "reset a guest: it boots again now", cmd_reset },
	{ "start", "VM", "boot a stopped guest again", cmd_start },
	{ "reboot", "", "reset the machine (ends QEMU under make run)",
	  cmd_reboot },
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

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

void shell_exec(char *s)
{
	char *argv[MAX_ARGS];
	int argc = 0;

	while (*s && argc < MAX_ARGS) {
		while (is_space(*s))
			*s++ = '\0';
		if (!*s)
			break;
		argv[argc++] = s;
		while (*s && !is_space(*s))
			s++;
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
	if (c == '\r' || c == '\n') {
		console_puts("\n");
		line[len] = '\0';
		shell_exec(line);
		len = 0;
		if (!console_focused())
			shell_prompt();
		return;
	}
	if (c == 0x7f || c == '\b') {
		if (len) {
			len--;
			console_puts("\b \b");
		}
		return;
	}
	if (c == 0x15) {		/* Ctrl-U: kill the line */
		while (len) {
			len--;
			console_puts("\b \b");
		}
		return;
	}
	if ((u8)c < 0x20 || len + 1 >= LINE_MAX)
		return;
	line[len++] = c;
	console_write(&c, 1);
}
