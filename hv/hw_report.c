// SPDX-License-Identifier: GPL-2.0
/*
 * The readiness report of this machine: gathered on the boot CPU before
 * the backend is chosen, printed in its short form by the banner, in full
 * by the shell's `hw` (`hw raw` prints the record, in the format of the
 * unit tests' data files, tests/unit/data/hw/).
 */
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/hwcheck.h>
#include <hv/log.h>
#include <hv/shell_cmds.h>
#include <hv/string.h>

struct hw_record hw_boot_record;
static struct hw_report boot_report;
static bool have_report;


static void to_log(void *ctx, const char *line)
{
	(void)ctx;
	pr_info("%s\n", line);
}

static void to_debug(void *ctx, const char *line)
{
	(void)ctx;
	pr_debug("hw raw: %s\n", line);
}

static void to_console(void *ctx, const char *line)
{
	(void)ctx;
	console_printf("%s\n", line);
}

void hw_report_boot(void)
{
	hw_gather(&hw_boot_record, boot_info->acpi.dmar != 0,
		  boot_info->acpi.ivrs != 0);
	hw_assess(&hw_boot_record, &boot_report);
	have_report = true;
	hw_print_summary(&boot_report, to_log, NULL);
	hw_print_verdicts(&boot_report, "hw: ", to_log, NULL);
	/* With loglevel = debug, where the shell cannot be reached. */
	hw_print_record(&hw_boot_record, to_debug, NULL);
}

void hw_report_check(bool guests_ok, bool pmu_usable)
{
	const struct hw_report *rep = &boot_report;

	if (!have_report)
		return;
	if (guests_ok != !rep->c.virt_err)
		pr_warn("hw: the report says guests %s, the %s probe says %s\n",
			rep->c.virt_err ? "cannot run" : "can run",
			rep->c.virt_name ? rep->c.virt_name : "backend",
			guests_ok ? "they can" : "they cannot");
	if (pmu_usable != rep->pmu.usable)
		pr_warn("hw: the report says guests %s, the PMU probe says %s\n",
			rep->pmu.usable ? "get a PMU" : "get no PMU",
			pmu_usable ? "they get one" : "they get none");
}

void cmd_hw(int argc, char **argv)
{
	if (!have_report) {
		console_printf("no readiness report (not gathered at boot)\n");
		return;
	}
	if (argc == 2 && !strcmp(argv[1], "raw")) {
		hw_print_record(&hw_boot_record, to_console, NULL);
		return;
	}
	if (argc != 1) {
		console_printf("usage: hw [raw]\n");
		return;
	}
	console_printf("hardware readiness (boot CPU):\n");
	hw_print_table(&boot_report, to_console, NULL);
	console_printf("verdicts:\n");
	hw_print_verdicts(&boot_report, "  ", to_console, NULL);
}
