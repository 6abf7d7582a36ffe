/* sources: boot/config.c boot/config_text.c boot/config_hv.c boot/config_vm.c hv/lib/printf.c */
// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the perfvisor.cfg parser (boot/config.c). */
#include "unit.h"
#include <boot/config.h>

#define MAX_MSGS 64

struct msg {
	char file[32];
	u32 line;
	char text[400];
};

static struct msg msgs[MAX_MSGS];
static int nr_msgs;
static struct cfg cfg;

static void collect(void *ctx, const char *file, u32 line, const char *text)
{
	(void)ctx;
	assert_true(nr_msgs < MAX_MSGS);
	assert_true(strlen(text) < sizeof(msgs[0].text));
	strlcpy(msgs[nr_msgs].file, file, sizeof(msgs[0].file));
	msgs[nr_msgs].line = line;
	strlcpy(msgs[nr_msgs].text, text, sizeof(msgs[0].text));
	nr_msgs++;
}

static int parse(const char *text)
{
	nr_msgs = 0;
	memset(msgs, 0, sizeof(msgs));
	memset(&cfg, 0x5a, sizeof(cfg));
	return cfg_parse(&cfg, "perfvisor.cfg", text, strlen(text), collect,
			 NULL);
}

/* Asserts that some message is on @line and contains @needle. */
static void expect_msg(u32 line, const char *needle)
{
	for (int i = 0; i < nr_msgs; i++)
		if (msgs[i].line == line && unit_contains(msgs[i].text, needle))
			return;
	for (int i = 0; i < nr_msgs; i++)
		print_message("  got %s:%u: %s\n", msgs[i].file, msgs[i].line,
			      msgs[i].text);
	fail_msg("no message on line %u containing \"%s\"", line, needle);
}

static void expect_no_msgs(void)
{
	for (int i = 0; i < nr_msgs; i++)
		print_message("  unexpected %s:%u: %s\n", msgs[i].file,
			      msgs[i].line, msgs[i].text);
	assert_int_equal(nr_msgs, 0);
	assert_int_equal(cfg.nr_errors, 0);
}

static const struct cfg_vm *vm(const char *name)
{
	for (u32 i = 0; i < cfg.nr_vms; i++)
		if (!strcmp(cfg.vms[i].name, name))
			return &cfg.vms[i];
	return NULL;
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	expect_no_msgs();
	assert_int_equal(cfg.serial, CFG_SERIAL_AUTO);
	assert_int_equal(cfg.serial_port, 0x3f8);
	assert_int_equal(cfg.baud, 115200);
	assert_false(cfg.baud_set);
	assert_int_equal(cfg.log_level, CFG_LOG_INFO);
	assert_int_equal(cfg.mode, CFG_MODE_NORMAL);
	assert_string_equal(cfg.console, "");
	assert_int_equal(cfg.nr_vms, 0);

	assert_int_equal(parse("[vm a]\nimage = a.elf\n"), 0);
	expect_no_msgs();
	assert_int_equal(cfg.nr_vms, 1);
	assert_string_equal(cfg.vms[0].name, "a");
	assert_string_equal(cfg.vms[0].image, "a.elf");
	assert_string_equal(cfg.vms[0].initrd, "");
	assert_string_equal(cfg.vms[0].cmdline, "");
	assert_int_equal(cfg.vms[0].memory, 64 * MiB);
	assert_int_equal(cfg.vms[0].cpus, 1);
	assert_int_equal(cfg.vms[0].nr_pin, 0);
	assert_int_equal(cfg.vms[0].on_exit, CFG_ON_EXIT_STOP);
	assert_int_equal(cfg.vms[0].expect, CFG_EXPECT_PASS);
	assert_int_equal(cfg.vms[0].timeout_s, 30);
	assert_int_equal(cfg.vms[0].pmu, CFG_PMU_DEFAULT);
	assert_int_equal(cfg.vms[0].pmu_counters, 0);
	assert_int_equal(cfg.vms[0].pmu_filter, CFG_PMU_FILTER_NONE);
	assert_int_equal(cfg.vms[0].pmu_nr_events, 0);
	assert_int_equal(cfg.vms[0].pmu_fixed, 0xffffffff);
	assert_int_equal(cfg.vms[0].line, 1);
	assert_int_equal(cfg.nr_warnings, 0);

	cfg_defaults(&cfg);
	assert_int_equal(cfg.serial_port, 0x3f8);
	assert_int_equal(cfg.nr_vms, 0);
}

static void test_full_file(void **state)
{
	static const char text[] =
		"# perfvisor test configuration\n"
		"; another comment style\n"
		"\n"
		"[hypervisor]\n"
		"serial  = com2\n"
		"baud    = 57600\n"
		"log     = debug\n"
		"mode    = test\n"
		"console = linux0\n"
		"\n"
		"[vm linux0]\n"
		"image   = guests/bzImage\n"
		"initrd  = guests/initrd.cpio.gz\n"
		"cmdline = console=ttyS0 root=/dev/ram0 quiet # not a comment ; x=y\n"
		"memory  = 512M\n"
		"cpus    = 2\n"
		"pin     = 1, 3\n"
		"on_exit = restart\n"
		"expect  = fail\n"
		"timeout = 120\n"
		"pmu     = on\n"
		"pmu_counters = 4\n"
		"pmu_allow = 0xc0, 0x2e:0x41\n"
		"pmu_fixed = 0x3\n"
		"\n"
		"  [ vm   test-cpuid_2 ]  \n"
		"\timage=guest-tests/cpuid.elf\t\n"
		"memory=1G\n"
		"expect = crash\n";

	(void)state;
	assert_int_equal(parse(text), 0);
	expect_no_msgs();
	assert_int_equal(cfg.serial_port, 0x2f8);
	assert_int_equal(cfg.baud, 57600);
	assert_int_equal(cfg.log_level, CFG_LOG_DEBUG);
	assert_int_equal(cfg.mode, CFG_MODE_TEST);
	assert_string_equal(cfg.console, "linux0");
	assert_int_equal(cfg.nr_vms, 2);
	assert_non_null(vm("linux0"));
	assert_string_equal(vm("linux0")->image, "guests/bzImage");
	assert_string_equal(vm("linux0")->initrd, "guests/initrd.cpio.gz");
	assert_string_equal(vm("linux0")->cmdline,
		"console=ttyS0 root=/dev/ram0 quiet # not a comment ; x=y");
	assert_int_equal(vm("linux0")->memory, 512 * MiB);
	assert_int_equal(vm("linux0")->cpus, 2);
	assert_int_equal(vm("linux0")->nr_pin, 2);
	assert_int_equal(vm("linux0")->pin[0], 1);
	assert_int_equal(vm("linux0")->pin[1], 3);
	assert_int_equal(vm("linux0")->on_exit, CFG_ON_EXIT_RESTART);
	assert_int_equal(vm("linux0")->expect, CFG_EXPECT_FAIL);
	assert_int_equal(vm("linux0")->timeout_s, 120);
	assert_int_equal(vm("linux0")->pmu, CFG_PMU_ON);
	assert_int_equal(vm("linux0")->pmu_counters, 4);
	assert_int_equal(vm("linux0")->pmu_filter, CFG_PMU_FILTER_ALLOW);
	assert_int_equal(vm("linux0")->pmu_nr_events, 2);
	assert_int_equal(vm("linux0")->pmu_events[1].event, 0x2e);
	assert_int_equal(vm("linux0")->pmu_events[1].umask, 0x41);
	assert_int_equal(vm("linux0")->pmu_fixed, 3);
	assert_int_equal(vm("linux0")->line, 11);
	assert_non_null(vm("test-cpuid_2"));
	assert_string_equal(vm("test-cpuid_2")->image, "guest-tests/cpuid.elf");
	assert_int_equal(vm("test-cpuid_2")->memory, GiB);
	assert_int_equal(vm("test-cpuid_2")->expect, CFG_EXPECT_CRASH);
	assert_int_equal(vm("test-cpuid_2")->line, 26);
	assert_int_equal(vm("test-cpuid_2")->pmu, CFG_PMU_DEFAULT);
}

static const char *find(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return hay;
	return NULL;
}

/* README's perfvisor.cfg example is a file the parser takes as it is. */
static void test_readme_example(void **state)
{
	static char readme[65536], text[8192];
	const char *start, *end;
	size_t n;
	FILE *f;

	(void)state;
	f = fopen("README.md", "r");	/* tests run from the tree's root */
	assert_non_null(f);
	n = fread(readme, 1, sizeof(readme) - 1, f);
	fclose(f);
	readme[n] = 0;
	start = find(readme, "```ini\n[hypervisor]");
	assert_non_null(start);
	start += strlen("```ini\n");
	end = find(start, "```");
	assert_non_null(end);
	assert_true((size_t)(end - start) < sizeof(text));
	memcpy(text, start, end - start);
	text[end - start] = 0;
	assert_int_equal(parse(text), 0);
	expect_no_msgs();
	assert_int_equal(cfg.nr_vms, 1);
	assert_string_equal(vm("linux0")->cmdline, "console=ttyS0 quiet");
}

static void test_crlf_and_no_final_newline(void **state)
{
	(void)state;
	assert_int_equal(parse("[hypervisor]\r\nserial = 0x2e8\r\n\r\n"
			       "[vm w]\r\nimage = EFI\\w.elf\r\n"
			       "cmdline = a b  \r\nmemory = 4M"), 0);
	expect_no_msgs();
	assert_int_equal(cfg.serial_port, 0x2e8);
	assert_string_equal(cfg.vms[0].image, "EFI\\w.elf");
	assert_string_equal(cfg.vms[0].cmdline, "a b");
	assert_int_equal(cfg.vms[0].memory, 4 * MiB);
	/* An error on a CRLF line gets the right number, without the CR. */
	parse("[hypervisor]\r\n\r\nlog = loud\r\n");
	expect_msg(3, "log: 'loud' is not a level");
	assert_int_equal(nr_msgs, 1);
	assert_false(unit_contains(msgs[0].text, "\r"));
	/* UTF-8 BOM. */
	assert_int_equal(parse("\xef\xbb\xbf[vm b]\nimage=b\n"), 0);
	expect_no_msgs();
	assert_int_equal(cfg.nr_vms, 1);
}

static void test_hypervisor_values(void **state)
{
	static const struct {
		const char *v;
		u16 port;
	} ports[] = {
		{ "com1", 0x3f8 }, { "COM2", 0x2f8 }, { "com3", 0x3e8 },
		{ "Com4", 0x2e8 }, { "0x3f8", 0x3f8 }, { "760", 760 },
	};
	char buf[64];

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(ports); i++) {
		snprintf(buf, sizeof(buf), "[hypervisor]\nserial=%s\n",
			 ports[i].v);
		assert_int_equal(parse(buf), 0);
		expect_no_msgs();
		assert_int_equal(cfg.serial_port, ports[i].port);
		assert_int_equal(cfg.serial, CFG_SERIAL_PORT);
	}
	parse("[hypervisor]\nserial = pci\n");
	expect_no_msgs();
	assert_int_equal(cfg.serial, CFG_SERIAL_PCI);
	parse("[hypervisor]\nserial = auto\n");
	expect_no_msgs();
	assert_int_equal(cfg.serial, CFG_SERIAL_AUTO);
	parse("[hypervisor]\nlog=error\nmode=normal\nbaud=9600\n");
	expect_no_msgs();
	assert_int_equal(cfg.log_level, CFG_LOG_ERROR);
	assert_int_equal(cfg.baud, 9600);
	assert_true(cfg.baud_set);
	parse("[hypervisor]\nlog=warn\n");
	assert_int_equal(cfg.log_level, CFG_LOG_WARN);
	parse("[hypervisor]\nlog=info\n");
	assert_int_equal(cfg.log_level, CFG_LOG_INFO);
}

static void test_hypervisor_errors_keep_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse("[hypervisor]\n"
			       "serial = com5\n"	/* 2 */
			       "baud = 1234\n"		/* 3 */
			       "log = verbose\n"	/* 4 */
			       "mode = fast\n"		/* 5 */
			       "colour = yes\n"		/* 6 */
			       "serial = 0x10000\n"	/* 7: set twice */
			       "console =\n"		/* 8 */
			       "console = a b\n"	/* 9: set twice */
			       "[vm ok]\nimage = ok\n"), 0);
	expect_msg(2, "[hypervisor] serial: 'com5' is not a port");
	expect_msg(3, "[hypervisor] baud: '1234' is not a 16550 rate");
	expect_msg(4, "[hypervisor] log: 'verbose' is not a level");
	expect_msg(5, "[hypervisor] mode: 'fast' is not a mode");
	expect_msg(6, "[hypervisor] unknown key 'colour'");
	expect_msg(7, "serial is set twice");
	expect_msg(8, "console: empty value");
	expect_msg(9, "console is set twice");
	assert_int_equal(nr_msgs, 8);
	assert_int_equal(cfg.nr_errors, 8);
	assert_int_equal(cfg.serial_port, 0x3f8);
	assert_int_equal(cfg.baud, 115200);
	assert_int_equal(cfg.log_level, CFG_LOG_INFO);
	assert_int_equal(cfg.mode, CFG_MODE_NORMAL);
	/* The VM is unaffected. */
	assert_int_equal(cfg.nr_vms, 1);
	parse("[hypervisor]\nconsole = a b\n");
	expect_msg(2, "console: 'a b' is not a VM name");
	parse("[hypervisor]\nserial = 0\nbaud = 0\n");
	expect_msg(2, "serial: '0' is not a port");
	expect_msg(3, "baud: '0' is not a 16550 rate");
	parse("[hypervisor]\nbaud = 230400\n");
	expect_msg(2, "'230400' is not a 16550 rate");
}

static void test_message_format(void **state)
{
	(void)state;
	parse("[hypervisor]\n\n\n\n\n\n\n\n\n\n\n"
	      "[vm linux0]\nimage = x\nmemory = 64X\n");
	assert_int_equal(nr_msgs, 2);
	assert_string_equal(msgs[0].file, "perfvisor.cfg");
	assert_int_equal(msgs[0].line, 14);
	assert_string_equal(msgs[0].text,
		"[vm linux0] memory: '64X' is not a size (use e.g. 512M)");
	expect_msg(12, "[vm linux0] skipped because of the errors above");
	assert_int_equal(cfg.nr_vms, 0);
	/* Long values are quoted shortened. */
	parse("[hypervisor]\nlog = "
	      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	      "\n");
	expect_msg(2, "aaaa...' is not a level");
	/* No callback: errors still counted. */
	cfg_parse(&cfg, "x.cfg", "[bogus]\n", 8, NULL, NULL);
	assert_int_equal(cfg.nr_errors, 1);
}

static void test_vm_memory(void **state)
{
	static const struct {
		const char *v;
		u64 bytes;	/* 0: error */
		const char *msg;
	} cases[] = {
		{ "2M", 2 * MiB, NULL },
		{ "2048K", 2 * MiB, NULL },
		{ "4m", 4 * MiB, NULL },
		{ "3G", 3 * GiB, NULL },
		{ "0x4000000", 64 * MiB, NULL },
		{ "2097152", 2 * MiB, NULL },
		{ "1024G", 1024 * GiB, NULL },
		{ "64X", 0, "'64X' is not a size (use e.g. 512M)" },
		{ "M", 0, "is not a size" },
		{ "-64M", 0, "is not a size" },
		{ "64 M", 0, "is not a size" },
		{ "64MB", 0, "is not a size" },
		{ "1.5G", 0, "is not a size" },
		{ "99999999999999999999M", 0, "is not a size" },
		{ "17179869184G", 0, "is not a size" },
		{ "1M", 0, "'1M' is not a multiple of 2M" },
		{ "3M", 0, "is not a multiple of 2M" },
		{ "0", 0, "is not a multiple of 2M" },
		{ "64", 0, "is not a multiple of 2M" },
		{ "1025G", 0, "'1025G' is too large" },
		{ "1048576G", 0, "is too large" },
	};
	char buf[128];

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(buf, sizeof(buf), "[vm m]\nimage=x\nmemory = %s\n",
			 cases[i].v);
		parse(buf);
		if (cases[i].bytes) {
			expect_no_msgs();
			assert_int_equal(cfg.vms[0].memory, cases[i].bytes);
		} else {
			expect_msg(3, cases[i].msg);
			expect_msg(3, "[vm m] memory: ");
			expect_msg(1, "[vm m] skipped");
			assert_int_equal(cfg.nr_vms, 0);
		}
	}
}

static void test_vm_cpus_and_pins(void **state)
{
	(void)state;
	parse("[vm a]\nimage=x\ncpus=16\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].cpus, 16);
	parse("[vm a]\nimage=x\ncpus=0\n");
	expect_msg(3, "cpus: '0' is not a vCPU count from 1 to 16");
	parse("[vm a]\nimage=x\ncpus=17\n");
	expect_msg(3, "cpus: '17' is not a vCPU count");
	parse("[vm a]\nimage=x\ncpus=two\n");
	expect_msg(3, "cpus: 'two'");
	assert_int_equal(cfg.nr_vms, 0);

	/* Pin count must equal cpus, whichever comes first. */
	parse("[vm a]\nimage=x\npin=1,2,3\ncpus=3\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].nr_pin, 3);
	assert_int_equal(cfg.vms[0].pin[2], 3);
	parse("[vm a]\nimage=x\npin=1,2\ncpus=3\n");
	expect_msg(3, "pin: 2 CPUs listed but cpus = 3");
	assert_int_equal(cfg.nr_vms, 0);
	parse("[vm a]\nimage=x\npin=5\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].pin[0], 5);
	parse("[vm a]\nimage=x\ncpus=2\npin=1,1\n");
	expect_msg(4, "pin: CPU 1 is listed twice");
	assert_int_equal(cfg.nr_vms, 0);
	parse("[vm a]\nimage=x\ncpus=2\npin=1,\n");
	expect_msg(4, "trailing comma");
	parse("[vm a]\nimage=x\ncpus=2\npin=1,,2\n");
	expect_msg(4, "pin: '' is not a CPU index");
	parse("[vm a]\nimage=x\ncpus=2\npin=1;2\n");
	expect_msg(4, "pin: '1;2' is not a CPU index");
	parse("[vm a]\nimage=x\ncpus=1\npin=99999\n");
	expect_msg(4, "pin: '99999' is not a CPU index");
	parse("[vm a]\nimage=x\ncpus=16\n"
	      "pin=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n");
	expect_msg(4, "pin: more than 16 CPUs listed");
	parse("[vm a]\nimage=x\ncpus=16\n"
	      "pin=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].nr_pin, 16);

	/* CPU 0 runs the console: a vCPU there would never run. */
	parse("[vm a]\nimage=x\ncpus=2\npin=1, 0\n");
	expect_msg(4, "[vm a] pin: CPU 0 runs the console and supervision, never a vCPU");
	expect_msg(1, "[vm a] skipped");
	assert_int_equal(cfg.nr_vms, 0);
}

static void test_escape_key(void **state)
{
	static const struct {
		const char *text;
		u8 key;
	} good[] = {
		{ "^A", 0x01 }, { "^a", 0x01 }, { "^]", 0x1d }, { "^@", 0x00 },
		{ "^\\", 0x1c }, { "^_", 0x1f }, { "Ctrl-B", 0x02 },
		{ "ctrl-]", 0x1d }, { "CTRL-z", 0x1a },
	};
	static const struct {
		const char *text;
		const char *why;
	} bad[] = {
		{ "^M", "'^M' is Enter" }, { "^J", "'^J' is Enter" },
		{ "^H", "'^H' is Backspace" }, { "^I", "'^I' is Tab" },
		{ "^[", "'^[' is Esc" }, { "^1", "'^1' is not a control key" },
		{ "A", "'A' is not a control key" },
		{ "^AB", "'^AB' is not a control key" },
		{ "Ctrl-", "'Ctrl-' is not a control key" },
		{ "0x1d", "'0x1d' is not a control key" },
	};
	char text[64];

	(void)state;
	parse("");
	assert_int_equal(cfg.escape, 0x01);	/* Ctrl-A by default */
	for (unsigned int i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(text, sizeof(text), "[hypervisor]\nescape = %s\n",
			 good[i].text);
		parse(text);
		expect_no_msgs();
		assert_int_equal(cfg.escape, good[i].key);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text), "[hypervisor]\nescape = %s\n",
			 bad[i].text);
		parse(text);
		expect_msg(2, "[hypervisor] escape: ");
		expect_msg(2, bad[i].why);
		assert_int_equal(cfg.escape, 0x01);	/* the default stays */
	}
}

static void test_vm_enums_and_timeout(void **state)
{
	(void)state;
	parse("[vm a]\nimage=x\non_exit=reboot\n");
	expect_msg(3, "on_exit: 'reboot' is not an action (use stop or restart)");
	parse("[vm a]\nimage=x\n");
	assert_int_equal(cfg.vms[0].unclaimed_mmio, CFG_UNCLAIMED_IGNORE);
	parse("[vm a]\nimage=x\nunclaimed_mmio = stop\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].unclaimed_mmio, CFG_UNCLAIMED_STOP);
	parse("[vm a]\nimage=x\nunclaimed_mmio=ignore\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].unclaimed_mmio, CFG_UNCLAIMED_IGNORE);
	parse("[vm a]\nimage=x\nunclaimed_mmio=crash\n");
	expect_msg(3, "unclaimed_mmio: 'crash' is not a policy (use ignore or stop)");
	parse("[vm a]\nimage=x\nexpect=maybe\n");
	expect_msg(3, "expect: 'maybe' is not an outcome");
	parse("[vm a]\nimage=x\ntimeout=0\n");
	expect_msg(3, "timeout: '0' is not a number of seconds");
	parse("[vm a]\nimage=x\ntimeout=86401\n");
	expect_msg(3, "timeout: '86401'");
	parse("[vm a]\nimage=x\ntimeout=5s\n");
	expect_msg(3, "timeout: '5s'");
	parse("[vm a]\nimage=x\ntimeout=86400\non_exit=stop\nexpect=pass\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].timeout_s, 86400);
}

static void test_vm_pmu(void **state)
{
	(void)state;
	parse("[vm a]\nimage=x\npmu = on\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].pmu, CFG_PMU_ON);
	parse("[vm a]\nimage=x\npmu = OFF\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].pmu, CFG_PMU_OFF);
	parse("[vm a]\nimage=x\npmu = yes\n");
	expect_msg(3, "[vm a] pmu: 'yes' is not a setting (use on or off)");
	expect_msg(1, "[vm a] skipped");
	assert_int_equal(cfg.nr_vms, 0);
	parse("[vm a]\nimage=x\npmu =\n");
	expect_msg(3, "[vm a] pmu: empty value");
	assert_int_equal(cfg.nr_vms, 0);
	parse("[vm a]\nimage=x\npmu = on\npmu = off\n");
	expect_msg(4, "[vm a] pmu is set twice");
	assert_int_equal(cfg.nr_vms, 0);
	parse("[vm a]\nimage=x\npmu = 1\n");
	expect_msg(3, "pmu: '1' is not a setting");
}

static void test_vm_pmu_counters(void **state)
{
	static const char *const bad[] = {
		"0", "9", "-1", "x", "4x", "0x100000000", "1 2",
	};
	char buf[96];

	(void)state;
	parse("[vm a]\nimage=x\npmu_counters = 1\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].pmu_counters, 1);
	parse("[vm a]\nimage=x\npmu_counters = 8\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].pmu_counters, 8);
	parse("[vm a]\nimage=x\npmu_counters = 0x6\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].pmu_counters, 6);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(buf, sizeof(buf),
			 "[vm a]\nimage=x\npmu_counters = %s\n", bad[i]);
		parse(buf);
		snprintf(buf, sizeof(buf),
			 "[vm a] pmu_counters: '%s' is not a number of counters from 1 to 8",
			 bad[i]);
		expect_msg(3, buf);
		assert_int_equal(cfg.nr_vms, 0);
	}
	parse("[vm a]\nimage=x\npmu_counters=2\npmu_counters=3\n");
	expect_msg(4, "pmu_counters is set twice");
	assert_int_equal(cfg.nr_vms, 0);
}

static void test_vm_pmu_events(void **state)
{
	static const struct {
		const char *v;
		const char *msg;
	} bad[] = {
		{ "0x1000", "'0x1000' has an event select above 0xfff" },
		{ "4096", "'4096' has an event select above 0xfff" },
		{ "0xc0:0x100", "'0xc0:0x100' has a unit mask above 0xff" },
		{ "0xc0, 0x2e:256", "'0x2e:256' has a unit mask above 0xff" },
		{ "cycles", "'cycles' is not an event (use EVENT or EVENT:UMASK" },
		{ "0xc0:", "'0xc0:' is not an event" },
		{ ":0x41", "':0x41' is not an event" },
		{ "0xc0::1", "'0xc0::1' is not an event" },
		{ "0xc0:0x1:2", "'0xc0:0x1:2' is not an event" },
		{ "0xc0;0xc2", "'0xc0;0xc2' is not an event" },
		{ "0xc0 : 0x1", "':' is not an event" },
		{ "-1", "'-1' is not an event" },
		{ "0x", "'0x' is not an event" },
		{ "99999999999999999999", "is not an event" },
		{ "0xc0,", "'0xc0,' ends with a comma" },
		{ "0xc0 , ", "ends with a comma" },
		{ ",0xc0", "',0xc0' has an empty entry" },
		{ "0xc0,,0xc2", "'0xc0,,0xc2' has an empty entry" },
		{ "0xc0, ,0xc2", "has an empty entry" },
		{ "0xc0 0xc2 0xc0", "pmu_allow: '0xc0' is listed twice" },
		{ "0x2e:0x41, 46:65", "'46:65' is listed twice" },
	};
	char buf[512];
	size_t n;

	(void)state;
	/* Commas and/or spaces, hex or decimal, with and without a mask. */
	parse("[vm a]\nimage=x\n"
	      "pmu_allow = 0xc0, 0x2E:0x41 0x1c0\t76,\t0xfff:0xff ,192:0\n");
	expect_no_msgs();
	assert_int_equal(cfg.nr_vms, 1);
	assert_int_equal(cfg.vms[0].pmu_filter, CFG_PMU_FILTER_ALLOW);
	assert_int_equal(cfg.vms[0].pmu_nr_events, 6);
	assert_int_equal(cfg.vms[0].pmu_events[0].event, 0xc0);
	assert_true(cfg.vms[0].pmu_events[0].any_umask);
	assert_int_equal(cfg.vms[0].pmu_events[1].event, 0x2e);
	assert_int_equal(cfg.vms[0].pmu_events[1].umask, 0x41);
	assert_false(cfg.vms[0].pmu_events[1].any_umask);
	assert_int_equal(cfg.vms[0].pmu_events[2].event, 0x1c0);
	assert_true(cfg.vms[0].pmu_events[2].any_umask);
	assert_int_equal(cfg.vms[0].pmu_events[3].event, 76);
	assert_int_equal(cfg.vms[0].pmu_events[4].event, 0xfff);
	assert_int_equal(cfg.vms[0].pmu_events[4].umask, 0xff);
	assert_false(cfg.vms[0].pmu_events[4].any_umask);
	/* 192:0 is not 0xc0 (any mask): both are kept. */
	assert_int_equal(cfg.vms[0].pmu_events[5].event, 0xc0);
	assert_int_equal(cfg.vms[0].pmu_events[5].umask, 0);
	assert_false(cfg.vms[0].pmu_events[5].any_umask);

	parse("[vm a]\nimage=x\npmu_deny = 0x76\n");
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].pmu_filter, CFG_PMU_FILTER_DENY);
	assert_int_equal(cfg.vms[0].pmu_nr_events, 1);
	assert_int_equal(cfg.vms[0].pmu_events[0].event, 0x76);

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(buf, sizeof(buf), "[vm a]\nimage=x\npmu_allow = %s\n",
			 bad[i].v);
		parse(buf);
		expect_msg(3, "[vm a] pmu_allow: ");
		expect_msg(3, bad[i].msg);
		expect_msg(1, "[vm a] skipped");
		assert_int_equal(cfg.nr_vms, 0);
		/* pmu_deny takes the same list. */
		snprintf(buf, sizeof(buf), "[vm a]\nimage=x\npmu_deny = %s\n",
			 bad[i].v);
		parse(buf);
		expect_msg(3, "[vm a] pmu_deny: ");
		assert_int_equal(cfg.nr_vms, 0);
	}
	parse("[vm a]\nimage=x\npmu_deny =\n");
	expect_msg(3, "[vm a] pmu_deny: empty value");
	assert_int_equal(cfg.nr_vms, 0);

	/* CFG_PMU_MAX_EVENTS entries, then one more. */
	n = snprintf(buf, sizeof(buf), "[vm a]\nimage=x\npmu_deny =");
	for (int i = 0; i < CFG_PMU_MAX_EVENTS; i++)
		n += snprintf(buf + n, sizeof(buf) - n, " %d", i);
	parse(buf);
	expect_no_msgs();
	assert_int_equal(cfg.vms[0].pmu_nr_events, CFG_PMU_MAX_EVENTS);
	assert_int_equal(cfg.vms[0].pmu_events[CFG_PMU_MAX_EVENTS - 1].event,
			 CFG_PMU_MAX_EVENTS - 1);
	snprintf(buf + n, sizeof(buf) - n, ", 0x100");
	parse(buf);
	expect_msg(3, "[vm a] pmu_deny: more than 32 events listed");
	assert_int_equal(cfg.nr_vms, 0);

	/* Allow and deny in one section, either order; the other VM stays. */
	parse("[vm a]\nimage=x\npmu_allow = 0xc0\npmu_deny = 0xc2\n"
	      "[vm b]\nimage=y\npmu_deny = 0xc2\n");
	expect_msg(4, "[vm a] pmu_deny: not allowed together with pmu_allow (line 3); use one list");
	expect_msg(1, "[vm a] skipped");
	assert_int_equal(nr_msgs, 2);
	assert_int_equal(cfg.nr_vms, 1);
	assert_string_equal(cfg.vms[0].name, "b");
	assert_int_equal(cfg.vms[0].pmu_filter, CFG_PMU_FILTER_DENY);
	parse("[vm a]\nimage=x\npmu_deny = 0xc2\n\npmu_allow = 0xc0\n");
	expect_msg(5, "pmu_allow: not allowed together with pmu_deny (line 3)");
	assert_int_equal(cfg.nr_vms, 0);
	/* Even when the first list was itself bad or empty. */
	parse("[vm a]\nimage=x\npmu_deny =\npmu_allow = 0xc0\n");
	expect_msg(3, "pmu_deny: empty value");
	expect_msg(4, "pmu_allow: not allowed together with pmu_deny (line 3)");
	/* Repeating a list is an error, not a merge. */
	parse("[vm a]\nimage=x\npmu_allow = 0xc0\npmu_allow = 0xc2\n");
	expect_msg(4, "[vm a] pmu_allow is set twice");
	assert_int_equal(cfg.nr_vms, 0);
}

static void test_vm_pmu_fixed(void **state)
{
	static const struct {
		const char *v;
		u32 mask;
	} good[] = {
		{ "0", 0 }, { "0x7", 7 }, { "5", 5 }, { "0XfF", 0xff },
		{ "0xffffffff", 0xffffffff }, { "4294967295", 0xffffffff },
	};
	static const char *const bad[] = {
		"0x100000000", "4294967296", "all", "0x7f:1", "-1", "1,2",
	};
	char buf[128];

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(buf, sizeof(buf), "[vm a]\nimage=x\npmu_fixed = %s\n",
			 good[i].v);
		parse(buf);
		expect_no_msgs();
		assert_int_equal(cfg.vms[0].pmu_fixed, good[i].mask);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(buf, sizeof(buf), "[vm a]\nimage=x\npmu_fixed = %s\n",
			 bad[i]);
		parse(buf);
		snprintf(buf, sizeof(buf),
			 "[vm a] pmu_fixed: '%s' is not a bitmap of fixed counters",
			 bad[i]);
		expect_msg(3, buf);
		assert_int_equal(cfg.nr_vms, 0);
	}
	parse("[vm a]\nimage=x\npmu_fixed = 1\npmu_fixed = 3\n");
	expect_msg(4, "pmu_fixed is set twice");
	assert_int_equal(cfg.nr_vms, 0);
}

/* pmu = off with other PMU keys: a warning, the guest is kept. */
static void test_vm_pmu_off_warning(void **state)
{
	(void)state;
	parse("[vm a]\nimage=x\npmu_counters = 2\npmu = off\n"
	      "pmu_deny = 0xc0\npmu_fixed = 1\n");
	assert_int_equal(nr_msgs, 1);
	assert_string_equal(msgs[0].text,
		"warning: [vm a] pmu = off: pmu_counters, pmu_deny, pmu_fixed ignored");
	assert_int_equal(msgs[0].line, 4);
	assert_int_equal(cfg.nr_warnings, 1);
	assert_int_equal(cfg.nr_errors, 0);
	assert_int_equal(cfg.nr_vms, 1);
	assert_int_equal(cfg.vms[0].pmu, CFG_PMU_OFF);
	assert_int_equal(cfg.vms[0].pmu_filter, CFG_PMU_FILTER_DENY);
	/* pmu = off alone, or pmu = on with the rest: no message. */
	parse("[vm a]\nimage=x\npmu = off\n");
	expect_no_msgs();
	assert_int_equal(cfg.nr_warnings, 0);
	parse("[vm a]\nimage=x\npmu = on\npmu_allow = 1\npmu_fixed = 0\n");
	expect_no_msgs();
	assert_int_equal(cfg.nr_warnings, 0);
	/* A section dropped for an error gets no warning on top. */
	parse("[vm a]\nimage=x\npmu = off\npmu_allow = 1\ncpus = 0\n");
	expect_msg(5, "cpus: '0'");
	expect_msg(1, "[vm a] skipped");
	assert_int_equal(nr_msgs, 2);
	assert_int_equal(cfg.nr_warnings, 0);
}

static void test_vm_names_and_sections(void **state)
{
	(void)state;
	parse("[vm]\nimage=x\n");
	expect_msg(1, "unknown section [vm]");
	parse("[vm bad.name]\nimage=x\n[vm good]\nimage=y\n");
	expect_msg(1, "[vm] name 'bad.name' is not valid");
	assert_int_equal(nr_msgs, 1);	/* keys of a bad header: not again */
	assert_int_equal(cfg.nr_vms, 1);
	assert_string_equal(cfg.vms[0].name, "good");
	parse("[vm a2345678901234567890123456789012]\nimage=x\n");
	expect_msg(1, "is not valid");
	parse("[vm a234567890123456789012345678901]\nimage=x\n");
	expect_no_msgs();
	parse("[vm a b]\nimage=x\n");
	expect_msg(1, "'a b' is not valid");
	parse("[vmx]\n[hypervisor\n[hypervisor] x\n[machine]\nimage=x\n");
	expect_msg(1, "unknown section [vmx]");
	expect_msg(2, "has no closing ']'");
	expect_msg(3, "unexpected text after the section header");
	expect_msg(4, "unknown section [machine] (use [hypervisor] or [vm NAME])");
	assert_int_equal(nr_msgs, 4);
	/* Keys before any section. */
	parse("image = x\n[vm a]\nimage=y\n");
	expect_msg(1, "key 'image' is outside any section");
	assert_int_equal(cfg.nr_vms, 1);
}

static void test_vm_dropped_others_kept(void **state)
{
	(void)state;
	parse("[vm a]\nimage=a\n"
	      "[vm b]\nimage=b\nmemory=1X\n"	/* 3..5 */
	      "[vm c]\nimage=c\n"
	      "[vm a]\nimage=a2\n"		/* 8: duplicate */
	      "[vm d]\ncpus=2\n"		/* 10: no image */
	      "[vm e]\nimage=e\nfoo=bar\n"	/* 12: unknown key */
	      "[vm f]\nimage=f\nimage=g\n"	/* 15: set twice */
	      "[vm g]\nimage=g\nmemory\n"	/* 18: no '=' */
	      "[vm h]\nimage=h\n= 5\n"		/* 21: no key */
	      "[vm i]\nimage=\n");		/* 25: empty */
	expect_msg(5, "[vm b] memory: '1X' is not a size");
	expect_msg(3, "[vm b] skipped");
	expect_msg(8, "[vm a] is defined twice (first on line 1)");
	expect_msg(10, "[vm d] has no image");
	expect_msg(14, "[vm e] unknown key 'foo' (known: image,");
	expect_msg(17, "[vm f] image is set twice");
	expect_msg(20, "[vm g] expected 'key = value', got 'memory'");
	expect_msg(23, "[vm h] missing key before '='");
	expect_msg(25, "[vm i] image: empty value");
	assert_int_equal(cfg.nr_vms, 2);
	assert_string_equal(cfg.vms[0].name, "a");
	assert_string_equal(cfg.vms[0].image, "a");
	assert_string_equal(cfg.vms[1].name, "c");
	/* Dropped slots are cleared. */
	for (u32 i = cfg.nr_vms; i < CFG_MAX_VMS; i++)
		assert_string_equal(cfg.vms[i].name, "");
}

static void test_too_many_vms(void **state)
{
	char text[4096], msg[80];
	size_t n = 0;

	(void)state;
	for (int i = 0; i < CFG_MAX_VMS + 2; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "[vm v%d]\nimage = v%d.elf\n", i, i);
	parse(text);
	assert_int_equal(cfg.nr_vms, CFG_MAX_VMS);
	snprintf(msg, sizeof(msg), "[vm v%d] skipped: too many VMs (at most %d)",
		 CFG_MAX_VMS, CFG_MAX_VMS);
	expect_msg(2 * CFG_MAX_VMS + 1, msg);
	snprintf(msg, sizeof(msg), "[vm v%d] skipped: too many VMs",
		 CFG_MAX_VMS + 1);
	expect_msg(2 * CFG_MAX_VMS + 3, msg);
	assert_int_equal(nr_msgs, 2);
	/* A dropped VM does not use up a slot. */
	n = 0;
	n += snprintf(text + n, sizeof(text) - n, "[vm bad]\ncpus=0\n");
	for (int i = 0; i < CFG_MAX_VMS; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "[vm v%d]\nimage = v%d.elf\n", i, i);
	parse(text);
	assert_int_equal(cfg.nr_vms, CFG_MAX_VMS);
}

static void test_overlong_values(void **state)
{
	static char text[4096];
	size_t n;

	(void)state;
	n = snprintf(text, sizeof(text), "[vm a]\nimage = ");
	for (int i = 0; i < CFG_PATH_MAX; i++)
		text[n++] = 'p';
	text[n] = 0;
	parse(text);
	expect_msg(2, "[vm a] image: path is 128 characters long, at most 127");
	assert_int_equal(cfg.nr_vms, 0);
	/* 127 is fine. */
	text[--n] = 0;
	parse(text);
	expect_no_msgs();
	assert_int_equal(strlen(cfg.vms[0].image), 127);

	n = snprintf(text, sizeof(text), "[vm a]\nimage=x\ninitrd=");
	for (int i = 0; i < 200; i++)
		text[n++] = 'q';
	text[n] = 0;
	parse(text);
	expect_msg(3, "[vm a] initrd: path is 200 characters long");

	n = snprintf(text, sizeof(text), "[vm a]\nimage=x\ncmdline=");
	for (int i = 0; i < CFG_CMDLINE_MAX; i++)
		text[n++] = 'c';
	text[n] = 0;
	parse(text);
	expect_msg(3, "[vm a] cmdline: 1024 characters long, at most 1023");
	text[--n] = 0;
	parse(text);
	expect_no_msgs();
	assert_int_equal(strlen(cfg.vms[0].cmdline), 1023);
	/* Empty cmdline is fine. */
	parse("[vm a]\nimage=x\ncmdline=\n");
	expect_no_msgs();
	parse("[vm a]\nimage=x\x01y\n");
	expect_msg(2, "contains a control character");
}

static void test_console(void **state)
{
	(void)state;
	parse("[hypervisor]\nconsole = b\n[vm a]\nimage=a\n[vm b]\nimage=b\n");
	expect_no_msgs();
	assert_string_equal(cfg.console, "b");
	/* Reported after parsing, at the console line. */
	parse("[hypervisor]\nconsole = zz\n[vm a]\nimage=a\n");
	assert_int_equal(nr_msgs, 1);
	expect_msg(2, "[hypervisor] console: no usable [vm zz] section");
	assert_string_equal(cfg.console, "");
	/* The named VM was dropped. */
	parse("[hypervisor]\nconsole = a\n[vm a]\nimage=a\ncpus=99\n");
	expect_msg(2, "console: no usable [vm a]");
	expect_msg(5, "cpus: '99'");
	/* Console before the VM is declared is fine. */
	parse("[vm a]\nimage=a\n[hypervisor]\nconsole=a\n");
	expect_no_msgs();
}

static void test_whole_file_errors(void **state)
{
	static const char bin[] = "[vm a]\nimage=\0x\n";

	(void)state;
	nr_msgs = 0;
	assert_int_equal(cfg_parse(&cfg, "perfvisor.cfg", bin, sizeof(bin),
				   collect, NULL), -EINVAL);
	expect_msg(0, "not a text file");
	assert_int_equal(cfg.nr_vms, 0);
	assert_int_equal(cfg_parse(&cfg, "f", NULL, 10, collect, NULL),
			 -EINVAL);
	assert_int_equal(cfg_parse(&cfg, "f", NULL, 0, collect, NULL), 0);
	/* Not NUL-terminated: only @len bytes are read. */
	{
		char *buf = malloc(14);

		memcpy(buf, "[vm a]\nimage=a", 14);
		nr_msgs = 0;
		assert_int_equal(cfg_parse(&cfg, "f", buf, 14, collect, NULL),
				 0);
		expect_no_msgs();
		assert_string_equal(cfg.vms[0].image, "a");
		free(buf);
	}
}

/* Hostile input: random bytes and random lines must never crash. */
static void test_fuzz(void **state)
{
	static const char *const pieces[] = {
		"[vm a]", "[vm b]", "[hypervisor]", "image=x", "memory=2M",
		"cpus=2", "pin=1,2", "pin=1,", "console=a", "=", "[", "]",
		"\r", "\t", " ", "#", ";", ",", "cmdline=", "serial=com1",
		"memory=0x", "pin=", "[vm ", "\n", "\n", "\n", "\xff",
		"pmu=on", "pmu=off", "pmu_allow=", "pmu_deny=", "0xc0", ":",
		"0x41", "pmu_fixed=7", "pmu_counters=3",
	};
	unsigned int seed = 99;
	char text[512];

	(void)state;
	for (int iter = 0; iter < 3000; iter++) {
		size_t n = 0, len;
		char *heap;

		while (n < 400) {
			const char *p;

			seed = seed * 1103515245 + 12345;
			p = pieces[(seed >> 16) % ARRAY_SIZE(pieces)];
			if (n + strlen(p) >= sizeof(text))
				break;
			memcpy(text + n, p, strlen(p));
			n += strlen(p);
			if (((seed >> 8) & 7) == 0)
				break;
		}
		/* Exact-size heap copy so ASan catches any overread. */
		len = n;
		heap = malloc(len ? len : 1);
		memcpy(heap, text, len);
		nr_msgs = 0;
		assert_int_equal(cfg_parse(&cfg, "f", heap, len, NULL, NULL),
				 0);
		assert_true(cfg.nr_vms <= CFG_MAX_VMS);
		for (u32 i = 0; i < cfg.nr_vms; i++) {
			assert_true(cfg.vms[i].image[0]);
			assert_true(cfg.vms[i].cpus >= 1);
			assert_true(!cfg.vms[i].nr_pin ||
				    cfg.vms[i].nr_pin == cfg.vms[i].cpus);
			assert_true(cfg.vms[i].pmu_nr_events <=
				    CFG_PMU_MAX_EVENTS);
			assert_true(cfg.vms[i].pmu_counters <= 8);
			assert_true(cfg.vms[i].pmu_filter !=
					    CFG_PMU_FILTER_NONE ||
				    !cfg.vms[i].pmu_nr_events);
		}
		free(heap);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_readme_example),
		cmocka_unit_test(test_crlf_and_no_final_newline),
		cmocka_unit_test(test_hypervisor_values),
		cmocka_unit_test(test_hypervisor_errors_keep_defaults),
		cmocka_unit_test(test_message_format),
		cmocka_unit_test(test_vm_memory),
		cmocka_unit_test(test_vm_cpus_and_pins),
		cmocka_unit_test(test_escape_key),
		cmocka_unit_test(test_vm_enums_and_timeout),
		cmocka_unit_test(test_vm_pmu),
		cmocka_unit_test(test_vm_pmu_counters),
		cmocka_unit_test(test_vm_pmu_events),
		cmocka_unit_test(test_vm_pmu_fixed),
		cmocka_unit_test(test_vm_pmu_off_warning),
		cmocka_unit_test(test_vm_names_and_sections),
		cmocka_unit_test(test_vm_dropped_others_kept),
		cmocka_unit_test(test_too_many_vms),
		cmocka_unit_test(test_overlong_values),
		cmocka_unit_test(test_console),
		cmocka_unit_test(test_whole_file_errors),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
