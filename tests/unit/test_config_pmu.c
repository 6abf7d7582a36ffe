/* sources: boot/config.c boot/config_text.c boot/config_hv.c boot/config_vm.c hv/lib/printf.c */
// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the [vm] PMU keys of perfvisor.cfg (boot/config_vm.c). */
#include "config_check.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_pmu),
		cmocka_unit_test(test_vm_pmu_counters),
		cmocka_unit_test(test_vm_pmu_events),
		cmocka_unit_test(test_vm_pmu_fixed),
		cmocka_unit_test(test_vm_pmu_off_warning),
	};

	return cmocka_run_group_tests_name("config_pmu", tests, NULL, NULL);
}
