/* sources: boot/config.c boot/config_text.c boot/config_hv.c boot/config_vm.c hv/lib/printf.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the perfvisor.cfg parser (boot/config*.c): whole files,
 * sections, messages.
 */
#include "config_check.h"

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
		cmocka_unit_test(test_message_format),
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
