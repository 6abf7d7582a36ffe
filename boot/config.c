// SPDX-License-Identifier: GPL-2.0
/*
 * perfvisor.cfg parser (format in boot/config.h): lines, sections and keys.
 * The parts are listed in boot/config_parser.h.
 *
 * The text is never copied or modified: lines and values are slices of the
 * caller's buffer. Every problem is reported through the callback with the
 * line it concerns; messages name the section and key, quote the offending
 * value and say what would be accepted, e.g.
 *
 *   [vm linux0] memory: '64X' is not a size (use e.g. 512M)
 *
 * (the callback adds "file:line: "). A [vm] section with any error is
 * dropped at its end; an error in [hypervisor] keeps that key's default.
 */
#include <boot/config_parser.h>
#include <hv/errno.h>

void cfg_defaults(struct cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->serial_port = 0x3f8;
	cfg->baud = 115200;
	cfg->log_level = CFG_LOG_INFO;
	cfg->mode = CFG_MODE_NORMAL;
	cfg->escape = 0x01;		/* Ctrl-A */
}

/* Ends the current section: a good [vm] is kept, a bad one dropped. */
static void end_section(struct parser *ps)
{
	struct cfg_vm *vm = ps->vm;

	if (ps->sec == SEC_VM) {
		cfg_vm_check(ps);
		if (ps->vm_bad) {
			cfg_error(ps, vm->line,
				  "[vm %s] skipped because of the errors above",
				  vm->name);
			memset(vm, 0, sizeof(*vm));
		} else {
			ps->cfg->nr_vms++;
		}
	}
	ps->sec = SEC_NONE;
	ps->vm = NULL;
}

static void section(struct parser *ps, struct slice s)
{
	struct cfg *cfg = ps->cfg;
	struct slice name;
	size_t close;

	end_section(ps);
	ps->sec = SEC_SKIP;
	for (close = 1; close < s.n && s.p[close] != ']'; close++)
		;
	if (close == s.n) {
		cfg_error(ps, ps->line,
			  "section header " QFMT " has no closing ']'",
			  QARG(s));
		return;
	}
	if (close + 1 != s.n) {
		cfg_error(ps, ps->line,
			  "unexpected text after the section header " QFMT,
			  QARG(s));
		return;
	}
	s.p++;
	s.n = close - 1;
	s = trim(s);
	if (eq(s, "hypervisor")) {
		ps->sec = SEC_HV;
		return;
	}
	if (s.n < 3 || !eq((struct slice){ s.p, 2 }, "vm") ||
	    !is_space(s.p[2])) {
		cfg_error(ps, ps->line,
			  "unknown section [" "%.*s%s" "] (use [hypervisor] or [vm NAME])",
			  QARG(s));
		return;
	}
	name = trim((struct slice){ s.p + 2, s.n - 2 });
	if (!valid_name(name)) {
		cfg_error(ps, ps->line,
			  "[vm] name " QFMT " is not valid (1-31 of A-Z a-z 0-9 _ -)",
			  QARG(name));
		return;
	}
	if (cfg->nr_vms == CFG_MAX_VMS) {
		cfg_error(ps, ps->line,
			  "[vm %.*s] skipped: too many VMs (at most %d)",
			  (int)name.n, name.p, CFG_MAX_VMS);
		return;
	}
	ps->vm = &cfg->vms[cfg->nr_vms];
	cfg_vm_defaults(ps->vm);
	copy_slice(ps->vm->name, name);
	ps->vm->line = ps->line;
	ps->vm_bad = false;
	ps->vm_seen = 0;
	ps->pin_line = 0;
	ps->pmu_line = 0;
	ps->pmu_list_line = 0;
	ps->sec = SEC_VM;
	for (u32 i = 0; i < cfg->nr_vms; i++) {
		if (!strcmp(cfg->vms[i].name, ps->vm->name)) {
			cfg_error(ps, ps->line,
				  "[vm %s] is defined twice (first on line %u)",
				  ps->vm->name, cfg->vms[i].line);
			ps->vm_bad = true;
		}
	}
}

static int find_key(const char *const *keys, int nr, struct slice k)
{
	for (int i = 0; i < nr; i++)
		if (strlen(keys[i]) == k.n && !memcmp(keys[i], k.p, k.n))
			return i;
	return -1;
}

static void key_value(struct parser *ps, struct slice s)
{
	const char *eqp = find_char(s.p, '=', s.n);
	char sbuf[CFG_NAME_MAX + 8];
	const char *sn = cfg_sec_name(ps, sbuf, sizeof(sbuf));
	struct slice k, v;
	char known[256];
	int key;

	if (!eqp) {
		cfg_error(ps, ps->line, "%sexpected 'key = value', got " QFMT,
			  sn, QARG(s));
		goto bad;
	}
	k = trim((struct slice){ s.p, eqp - s.p });
	v = trim((struct slice){ eqp + 1, s.n - (eqp + 1 - s.p) });
	if (!k.n) {
		cfg_error(ps, ps->line, "%smissing key before '='", sn);
		goto bad;
	}
	if (ps->sec == SEC_NONE) {
		cfg_error(ps, ps->line,
			  "key " QFMT " is outside any section (put it under [hypervisor] or [vm NAME])",
			  QARG(k));
		return;
	}
	if (ps->sec == SEC_SKIP)
		return;		/* the section header was reported */

	if (ps->sec == SEC_HV) {
		key = find_key(cfg_hv_keys, HK_NR, k);
		if (key < 0) {
			cfg_key_list(known, sizeof(known), cfg_hv_keys, HK_NR);
			cfg_error(ps, ps->line,
				  "[hypervisor] unknown key " QFMT " (known: %s)",
				  QARG(k), known);
			return;
		}
		if (ps->hv_seen & BIT(key)) {
			cfg_error(ps, ps->line, "[hypervisor] %s is set twice",
				  cfg_hv_keys[key]);
			return;
		}
		ps->hv_seen |= BIT(key);
		if (!v.n) {
			cfg_error(ps, ps->line, "[hypervisor] %s: empty value",
				  cfg_hv_keys[key]);
			return;
		}
		cfg_hv_key(ps, key, v);
		return;
	}

	key = find_key(cfg_vm_keys, VK_NR, k);
	if (key < 0) {
		cfg_key_list(known, sizeof(known), cfg_vm_keys, VK_NR);
		cfg_error(ps, ps->line,
			  "[vm %s] unknown key " QFMT " (known: %s)",
			  ps->vm->name, QARG(k), known);
		goto bad;
	}
	if (ps->vm_seen & BIT(key)) {
		cfg_error(ps, ps->line, "[vm %s] %s is set twice", ps->vm->name,
			  cfg_vm_keys[key]);
		goto bad;
	}
	ps->vm_seen |= BIT(key);
	if ((key == VK_PMU_ALLOW || key == VK_PMU_DENY) && !ps->pmu_list_line)
		ps->pmu_list_line = ps->line;
	if (key == VK_CMDLINE) {
		/* The rest of the line, verbatim ('#', ';', '=' included). */
		cfg_vm_key(ps, key, v);
		return;
	}
	if (!v.n) {
		cfg_error(ps, ps->line, "[vm %s] %s: empty value", ps->vm->name,
			  cfg_vm_keys[key]);
		goto bad;
	}
	cfg_vm_key(ps, key, v);
	return;
bad:
	if (ps->sec == SEC_VM)
		ps->vm_bad = true;
}

static void parse_line(struct parser *ps, struct slice s)
{
	s = trim(s);
	if (!s.n || s.p[0] == '#' || s.p[0] == ';')
		return;
	if (s.p[0] == '[')
		section(ps, s);
	else
		key_value(ps, s);
}

/* After the whole file: cross-section checks. */
static void check_console(struct parser *ps)
{
	struct cfg *cfg = ps->cfg;

	if (!cfg->console[0])
		return;
	for (u32 i = 0; i < cfg->nr_vms; i++)
		if (!strcmp(cfg->vms[i].name, cfg->console))
			return;
	cfg_error(ps, ps->console_line,
		  "[hypervisor] console: no usable [vm %s] section", cfg->console);
	cfg->console[0] = '\0';
}

int cfg_parse(struct cfg *cfg, const char *file, const char *text, size_t len,
	      cfg_report_fn report_fn, void *ctx)
{
	struct parser ps = {
		.cfg = cfg,
		.file = file ? file : "perfvisor.cfg",
		.report = report_fn,
		.ctx = ctx,
	};
	size_t pos = 0;

	cfg_defaults(cfg);
	if (!text && len)
		return -EINVAL;
	if (len && find_char(text, '\0', len)) {
		cfg_error(&ps, 0, "contains NUL bytes: not a text file");
		return -EINVAL;
	}
	/* A UTF-8 byte-order mark, as some Windows editors write. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		pos = 3;

	while (pos < len) {
		const char *nl = find_char(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		ps.line++;
		parse_line(&ps, (struct slice){ text + pos, end - pos });
		pos = end + 1;
	}
	end_section(&ps);
	check_console(&ps);
	return 0;
}
