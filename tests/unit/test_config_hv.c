/* sources: boot/config.c boot/config_text.c boot/config_hv.c boot/config_vm.c hv/lib/printf.c */
// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the [hypervisor] keys of perfvisor.cfg (boot/config_hv.c). */
#include "config_check.h"

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

static void test_apic_key(void **state)
{
	(void)state;
	parse("");
	assert_false(cfg.x2apic);		/* auto by default */
	parse("[hypervisor]\napic = x2apic\n");
	expect_no_msgs();
	assert_true(cfg.x2apic);
	parse("[hypervisor]\napic = X2APIC\n");
	expect_no_msgs();
	assert_true(cfg.x2apic);
	parse("[hypervisor]\napic = auto\n");
	expect_no_msgs();
	assert_false(cfg.x2apic);
	parse("[hypervisor]\napic = xapic\n");
	expect_msg(2, "[hypervisor] apic: 'xapic' is not an APIC mode (use auto, or x2apic");
	assert_false(cfg.x2apic);
	parse("[hypervisor]\napic = x2apic\napic = auto\n");
	expect_msg(3, "apic is set twice");
	assert_true(cfg.x2apic);
}

static void test_profile(void **state)
{
	(void)state;
	parse("[hypervisor]\n");
	assert_false(cfg.profile);	/* off by default */
	parse("[hypervisor]\nprofile = on\n");
	expect_no_msgs();
	assert_true(cfg.profile);
	parse("[hypervisor]\nprofile = off\n");
	expect_no_msgs();
	assert_false(cfg.profile);
	parse("[hypervisor]\nprofile = yes\n");
	expect_msg(2, "[hypervisor] profile: 'yes' is not a setting (use on or off)");
	assert_false(cfg.profile);
	parse("[hypervisor]\nprofile = on\nprofile = off\n");
	expect_msg(3, "profile is set twice");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hypervisor_values),
		cmocka_unit_test(test_hypervisor_errors_keep_defaults),
		cmocka_unit_test(test_escape_key),
		cmocka_unit_test(test_apic_key),
		cmocka_unit_test(test_profile),
	};

	return cmocka_run_group_tests_name("config_hv", tests, NULL, NULL);
}
