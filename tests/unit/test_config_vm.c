/* sources: boot/config.c boot/config_text.c boot/config_hv.c boot/config_vm.c hv/lib/printf.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the [vm] keys of perfvisor.cfg (boot/config_vm.c), the
 * PMU keys aside (test_config_pmu.c).
 */
#include "config_check.h"

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
	parse("[vm a]\nimage=x\n");
	assert_string_equal(cfg.vms[0].meet, "");
	parse("[vm a]\nimage=x\nmeet = iso-1_x\n");
	expect_no_msgs();
	assert_string_equal(cfg.vms[0].meet, "iso-1_x");
	parse("[vm a]\nimage=x\nmeet = two words\n");
	expect_msg(3, "[vm a] meet: 'two words' is not a name (1-31 of A-Z a-z 0-9 _ -)");
	parse("[vm a]\nimage=x\nmeet = 0123456789012345678901234567890123\n");
	expect_msg(3, "meet: '0123456789012345678901234567890123' is not a name");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_memory),
		cmocka_unit_test(test_vm_cpus_and_pins),
		cmocka_unit_test(test_vm_enums_and_timeout),
	};

	return cmocka_run_group_tests_name("config_vm", tests, NULL, NULL);
}
