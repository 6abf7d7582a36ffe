// SPDX-License-Identifier: GPL-2.0
/*
 * perfvisor.cfg parser: the [hypervisor] section's keys. An error keeps
 * that key's default.
 */
#include <boot/config_parser.h>

const char *const cfg_hv_keys[HK_NR] = {
	"serial", "baud", "log", "mode", "console", "escape", "apic", "profile",
};

/*
 * A control key in caret notation, "^]", or as "Ctrl-]". Returns NULL and
 * the key, or what is wrong for the message.
 */
static const char *parse_ctrl_key(struct slice v, u8 *key)
{
	char c;

	if (v.n == 2 && v.p[0] == '^') {
		c = v.p[1];
	} else if (v.n == 6 && eq((struct slice){ v.p, 5 }, "ctrl-")) {
		c = v.p[5];
	} else {
		return "is not a control key (use caret notation such as ^A or ^], or Ctrl-A)";
	}
	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	if (c < '@' || c > '_')
		return "is not a control key (^ then one of A-Z @ [ \\ ] ^ _)";
	switch (c) {
	case 'H':
		return "is Backspace: the shell needs it (use e.g. ^A or ^])";
	case 'I':
		return "is Tab: guests need it (use e.g. ^A or ^])";
	case 'J':
	case 'M':
		return "is Enter: the shell needs it (use e.g. ^A or ^])";
	case '[':
		return "is Esc: guests' escape sequences need it (use e.g. ^A or ^])";
	}
	*key = (u8)(c - '@');
	return NULL;
}

void cfg_hv_key(struct parser *ps, int key, struct slice v)
{
	static const u16 com[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	static const char *const com_names[] = { "com1", "com2", "com3",
						 "com4" };
	static const char *const levels[] = { "error", "warn", "info",
					      "debug" };
	struct cfg *cfg = ps->cfg;
	u64 n;

	switch (key) {
	case HK_SERIAL:
		if (eq(v, "auto") || eq(v, "pci")) {
			cfg->serial = eq(v, "auto") ? CFG_SERIAL_AUTO :
						      CFG_SERIAL_PCI;
			return;
		}
		for (unsigned int i = 0; i < ARRAY_SIZE(com); i++) {
			if (eq(v, com_names[i])) {
				cfg->serial = CFG_SERIAL_PORT;
				cfg->serial_port = com[i];
				return;
			}
		}
		if (cfg_u64(v, &n) && n && n <= 0xfff8) {
			cfg->serial = CFG_SERIAL_PORT;
			cfg->serial_port = (u16)n;
			return;
		}
		cfg_error(ps, ps->line,
			  "[hypervisor] serial: " QFMT " is not a port (use auto, pci, com1..com4 or an I/O port such as 0x3f8)",
			  QARG(v));
		return;
	case HK_BAUD:
		/* The 16550 divisor latch divides 115200 by an integer. */
		if (cfg_u64(v, &n) && n && n <= 115200 && 115200 % n == 0) {
			cfg->baud = (u32)n;
			cfg->baud_set = true;
			return;
		}
		cfg_error(ps, ps->line,
			  "[hypervisor] baud: " QFMT " is not a 16550 rate (115200 divided by an integer, e.g. 115200, 57600, 9600)",
			  QARG(v));
		return;
	case HK_LOG:
		for (unsigned int i = 0; i < ARRAY_SIZE(levels); i++) {
			if (eq(v, levels[i])) {
				cfg->log_level = (enum cfg_log_level)i;
				return;
			}
		}
		cfg_error(ps, ps->line,
			  "[hypervisor] log: " QFMT " is not a level (use error, warn, info or debug)",
			  QARG(v));
		return;
	case HK_MODE:
		if (eq(v, "normal")) {
			cfg->mode = CFG_MODE_NORMAL;
		} else if (eq(v, "test")) {
			cfg->mode = CFG_MODE_TEST;
		} else {
			cfg_error(ps, ps->line,
				  "[hypervisor] mode: " QFMT " is not a mode (use normal or test)",
				  QARG(v));
		}
		return;
	case HK_CONSOLE:
		if (!valid_name(v)) {
			cfg_error(ps, ps->line,
				  "[hypervisor] console: " QFMT " is not a VM name (1-31 of A-Z a-z 0-9 _ -)",
				  QARG(v));
			return;
		}
		copy_slice(cfg->console, v);
		ps->console_line = ps->line;
		return;
	case HK_APIC:
		/* drivers/apic_mode.c: auto switches only when it must. */
		if (eq(v, "auto") || eq(v, "x2apic")) {
			cfg->x2apic = eq(v, "x2apic");
			return;
		}
		cfg_error(ps, ps->line,
			  "[hypervisor] apic: " QFMT " is not an APIC mode (use auto, or x2apic to switch to x2APIC whenever the CPU has it)",
			  QARG(v));
		return;
	case HK_ESCAPE: {
		const char *why = parse_ctrl_key(v, &cfg->escape);

		if (why)
			cfg_error(ps, ps->line, "[hypervisor] escape: " QFMT " %s",
				  QARG(v), why);
		return;
	}
	case HK_PROFILE:
		if (eq(v, "on") || eq(v, "off")) {
			cfg->profile = eq(v, "on");
			return;
		}
		cfg_error(ps, ps->line,
			  "[hypervisor] profile: " QFMT " is not a setting (use on or off)",
			  QARG(v));
		return;
	}
}
