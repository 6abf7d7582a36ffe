// SPDX-License-Identifier: GPL-2.0
/*
 * perfvisor.cfg parser (format in boot/config.h).
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
#include <boot/config.h>
#include <hv/errno.h>
#include <hv/printf.h>
#include <hv/string.h>

#define CFG_MAX_MEMORY  (1024 * GiB)	/* more is surely a typo */
#define CFG_MAX_TIMEOUT 86400		/* one day */
#define CFG_MAX_PIN     4096		/* physical CPU indices */
#define CFG_PMU_EVENT_MAX 0xfff		/* AMD: EventSelect[11:0] */
#define CFG_PMU_UMASK_MAX 0xff
#define QUOTE_MAX       48		/* longest value quoted */

struct slice {
	const char *p;
	size_t n;
};

enum section { SEC_NONE, SEC_HV, SEC_VM, SEC_SKIP };

struct parser {
	struct cfg *cfg;
	const char *file;
	cfg_report_fn report;
	void *ctx;
	u32 line;
	enum section sec;
	/* Current [vm]: parsed into cfg->vms[cfg->nr_vms], kept if good. */
	struct cfg_vm *vm;
	bool vm_bad;
	u32 vm_seen;		/* keys already set, bit per vm_keys[] */
	u32 pin_line;
	u32 pmu_line;		/* line of pmu = */
	u32 pmu_list_line;	/* line of the first pmu_allow/pmu_deny */
	u32 hv_seen;		/* keys already set, bit per hv_keys[] */
	u32 console_line;
};

static void __printf(3, 4) report(struct parser *ps, u32 line,
				  const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps->cfg->nr_errors++;
	if (ps->report)
		ps->report(ps->ctx, ps->file, line, msg);
}

/* Like report(), for a problem that is not an error. */
static void __printf(3, 4) warn(struct parser *ps, u32 line,
				const char *fmt, ...)
{
	char msg[320];
	size_t n;
	va_list ap;

	n = hv_snprintf(msg, sizeof(msg), "%s", CFG_WARNING);
	va_start(ap, fmt);
	hv_vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	ps->cfg->nr_warnings++;
	if (ps->report)
		ps->report(ps->ctx, ps->file, line, msg);
}

/* Section prefix for messages: "[hypervisor] " or "[vm NAME] ". */
static const char *sec_name(struct parser *ps, char *buf, size_t size)
{
	if (ps->sec == SEC_HV)
		return "[hypervisor] ";
	if (ps->sec == SEC_VM) {
		hv_snprintf(buf, size, "[vm %s] ", ps->vm->name);
		return buf;
	}
	return "";
}

/* A value quoted in a message: at most QUOTE_MAX bytes, "..." if cut. */
#define QFMT       "'%.*s%s'"
#define QARG(s)    (int)MIN((s).n, QUOTE_MAX), (s).p, \
		   (s).n > QUOTE_MAX ? "..." : ""

/* hv/string.h has no memchr. */
static const char *find_char(const char *p, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == c)
			return p + i;
	return NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static struct slice trim(struct slice s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Case-insensitive comparison with a lower-case word. */
static bool eq(struct slice s, const char *word)
{
	size_t n = strlen(word);

	if (s.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(s.p[i]) != word[i])
			return false;
	return true;
}

static bool valid_name(struct slice s)
{
	if (s.n < 1 || s.n > CFG_NAME_MAX - 1)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void copy_slice(char *dst, struct slice s)
{
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
}

/*
 * Parses a decimal or 0x-prefixed hexadecimal number at the start of @s.
 * Returns the number of characters used, 0 if none or on overflow.
 */
static size_t parse_num(struct slice s, u64 *out)
{
	unsigned int base = 10;
	size_t i = 0, start;
	u64 v = 0;

	if (s.n > 2 && s.p[0] == '0' && lower(s.p[1]) == 'x') {
		base = 16;
		i = 2;
	}
	start = i;
	for (; i < s.n; i++) {
		char c = lower(s.p[i]);
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			break;
		if (v > (~0ULL - d) / base)
			return 0;	/* overflow */
		v = v * base + d;
	}
	if (i == start)
		return 0;
	*out = v;
	return i;
}

/* A whole value that is a number. */
static bool parse_u64(struct slice s, u64 *out)
{
	size_t n = parse_num(s, out);

	return n && n == s.n;
}

/* A size: a number with an optional K, M or G suffix (binary units). */
static bool parse_size(struct slice s, u64 *out)
{
	size_t n = parse_num(s, out);
	unsigned int shift = 0;

	if (!n)
		return false;
	if (n < s.n) {
		if (n + 1 != s.n)
			return false;
		switch (lower(s.p[n])) {
		case 'k':
			shift = 10;
			break;
		case 'm':
			shift = 20;
			break;
		case 'g':
			shift = 30;
			break;
		default:
			return false;
		}
	}
	if (*out > (~0ULL >> shift))
		return false;
	*out <<= shift;
	return true;
}

void cfg_defaults(struct cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->serial_port = 0x3f8;
	cfg->baud = 115200;
	cfg->log_level = CFG_LOG_INFO;
	cfg->mode = CFG_MODE_NORMAL;
	cfg->escape = 0x01;		/* Ctrl-A */
}

static void vm_defaults(struct cfg_vm *vm)
{
	memset(vm, 0, sizeof(*vm));
	vm->memory = 64 * MiB;
	vm->cpus = 1;
	vm->on_exit = CFG_ON_EXIT_STOP;
	vm->expect = CFG_EXPECT_PASS;
	vm->timeout_s = 30;
	vm->pmu = CFG_PMU_DEFAULT;
	vm->pmu_filter = CFG_PMU_FILTER_NONE;
	vm->pmu_fixed = 0xffffffff;
}

/* ---- [hypervisor] ---- */

enum { HK_SERIAL, HK_BAUD, HK_LOG, HK_MODE, HK_CONSOLE, HK_ESCAPE, HK_NR };
static const char *const hv_keys[HK_NR] = {
	"serial", "baud", "log", "mode", "console", "escape",
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

static void hv_key(struct parser *ps, int key, struct slice v)
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
		if (parse_u64(v, &n) && n && n <= 0xfff8) {
			cfg->serial = CFG_SERIAL_PORT;
			cfg->serial_port = (u16)n;
			return;
		}
		report(ps, ps->line,
		       "[hypervisor] serial: " QFMT " is not a port (use auto, pci, com1..com4 or an I/O port such as 0x3f8)",
		       QARG(v));
		return;
	case HK_BAUD:
		/* The 16550 divisor latch divides 115200 by an integer. */
		if (parse_u64(v, &n) && n && n <= 115200 && 115200 % n == 0) {
			cfg->baud = (u32)n;
			cfg->baud_set = true;
			return;
		}
		report(ps, ps->line,
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
		report(ps, ps->line,
		       "[hypervisor] log: " QFMT " is not a level (use error, warn, info or debug)",
		       QARG(v));
		return;
	case HK_MODE:
		if (eq(v, "normal")) {
			cfg->mode = CFG_MODE_NORMAL;
		} else if (eq(v, "test")) {
			cfg->mode = CFG_MODE_TEST;
		} else {
			report(ps, ps->line,
			       "[hypervisor] mode: " QFMT " is not a mode (use normal or test)",
			       QARG(v));
		}
		return;
	case HK_CONSOLE:
		if (!valid_name(v)) {
			report(ps, ps->line,
			       "[hypervisor] console: " QFMT " is not a VM name (1-31 of A-Z a-z 0-9 _ -)",
			       QARG(v));
			return;
		}
		copy_slice(cfg->console, v);
		ps->console_line = ps->line;
		return;
	case HK_ESCAPE: {
		const char *why = parse_ctrl_key(v, &cfg->escape);

		if (why)
			report(ps, ps->line, "[hypervisor] escape: " QFMT " %s",
			       QARG(v), why);
		return;
	}
	}
}

/* ---- [vm NAME] ---- */

enum { VK_IMAGE, VK_INITRD, VK_CMDLINE, VK_MEMORY, VK_CPUS, VK_PIN,
       VK_ON_EXIT, VK_EXPECT, VK_TIMEOUT, VK_PMU, VK_PMU_COUNTERS,
       VK_PMU_ALLOW, VK_PMU_DENY, VK_PMU_FIXED, VK_UNCLAIMED_MMIO, VK_NR };
static const char *const vm_keys[VK_NR] = {
	"image", "initrd", "cmdline", "memory", "cpus", "pin", "on_exit",
	"expect", "timeout", "pmu", "pmu_counters", "pmu_allow", "pmu_deny",
	"pmu_fixed", "unclaimed_mmio",
};
/* The keys that mean nothing with pmu = off. */
#define VK_PMU_DETAILS (BIT(VK_PMU_COUNTERS) | BIT(VK_PMU_ALLOW) | \
			BIT(VK_PMU_DENY) | BIT(VK_PMU_FIXED))

static void vm_error(struct parser *ps, const char *key, struct slice v,
		     const char *what)
{
	report(ps, ps->line, "[vm %s] %s: " QFMT " %s", ps->vm->name, key,
	       QARG(v), what);
	ps->vm_bad = true;
}

static bool set_path(struct parser *ps, const char *key, char *dst,
		     struct slice v)
{
	for (size_t i = 0; i < v.n; i++) {
		if ((unsigned char)v.p[i] < 0x20) {
			vm_error(ps, key, v, "contains a control character");
			return false;
		}
	}
	if (v.n >= CFG_PATH_MAX) {
		report(ps, ps->line,
		       "[vm %s] %s: path is %zu characters long, at most %d are allowed",
		       ps->vm->name, key, v.n, CFG_PATH_MAX - 1);
		ps->vm_bad = true;
		return false;
	}
	copy_slice(dst, v);
	return true;
}

static void parse_pins(struct parser *ps, struct slice v)
{
	struct cfg_vm *vm = ps->vm;
	u32 n = 0;

	ps->pin_line = ps->line;
	while (v.n) {
		struct slice item = v;
		const char *comma = find_char(v.p, ',', v.n);
		u64 cpu;

		if (comma) {
			item.n = comma - v.p;
			v.n -= item.n + 1;
			v.p = comma + 1;
			if (!v.n) {
				vm_error(ps, "pin", item,
					 "is followed by a trailing comma");
				return;
			}
		} else {
			v.n = 0;
		}
		item = trim(item);
		if (!parse_u64(item, &cpu) || cpu >= CFG_MAX_PIN) {
			vm_error(ps, "pin", item,
				 "is not a CPU index (use a list such as 1,2,3)");
			return;
		}
		if (cpu == 0) {
			report(ps, ps->line,
			       "[vm %s] pin: CPU 0 runs the console and supervision, never a vCPU (pin to CPUs 1 and up)",
			       vm->name);
			ps->vm_bad = true;
			return;
		}
		if (n == CFG_MAX_VCPUS) {
			report(ps, ps->line,
			       "[vm %s] pin: more than %d CPUs listed",
			       vm->name, CFG_MAX_VCPUS);
			ps->vm_bad = true;
			return;
		}
		for (u32 i = 0; i < n; i++) {
			if (vm->pin[i] == cpu) {
				report(ps, ps->line,
				       "[vm %s] pin: CPU %u is listed twice",
				       vm->name, (unsigned int)cpu);
				ps->vm_bad = true;
				return;
			}
		}
		vm->pin[n++] = (u32)cpu;
	}
	vm->nr_pin = n;
}

/*
 * One filter entry, "EV" or "EV:UM". Returns NULL, or what is wrong with it
 * for the message.
 */
static const char *parse_pmu_event(struct slice s, struct cfg_pmu_event *ev)
{
	struct slice um;
	u64 e, u = 0;
	size_t n;

	n = parse_num(s, &e);
	if (!n)
		goto form;
	if (n < s.n) {
		if (s.p[n] != ':')
			goto form;
		um = (struct slice){ s.p + n + 1, s.n - n - 1 };
		if (!parse_u64(um, &u))
			goto form;
	}
	if (e > CFG_PMU_EVENT_MAX)
		return "has an event select above 0xfff";
	if (u > CFG_PMU_UMASK_MAX)
		return "has a unit mask above 0xff";
	ev->event = (u16)e;
	ev->umask = (u8)u;
	ev->any_umask = n == s.n;
	return NULL;
form:
	return "is not an event (use EVENT or EVENT:UMASK, e.g. 0xc0 or 0x2e:0x41)";
}

/* pmu_allow / pmu_deny: entries separated by commas and/or spaces. */
static void parse_pmu_events(struct parser *ps, int key, struct slice v)
{
	const char *name = vm_keys[key];
	int other = key == VK_PMU_ALLOW ? VK_PMU_DENY : VK_PMU_ALLOW;
	struct cfg_vm *vm = ps->vm;
	struct slice all = v;
	u32 n = 0;

	if (ps->vm_seen & BIT(other)) {
		report(ps, ps->line,
		       "[vm %s] %s: not allowed together with %s (line %u); use one list",
		       vm->name, name, vm_keys[other], ps->pmu_list_line);
		ps->vm_bad = true;
		return;
	}
	while (v.n) {
		struct slice item = { v.p, 0 };
		struct cfg_pmu_event ev;
		bool comma = false;
		const char *why;

		while (item.n < v.n && v.p[item.n] != ',' &&
		       !is_space(v.p[item.n]))
			item.n++;
		v = trim((struct slice){ v.p + item.n, v.n - item.n });
		if (v.n && v.p[0] == ',') {
			comma = true;
			v = trim((struct slice){ v.p + 1, v.n - 1 });
		}
		if (!item.n) {
			vm_error(ps, name, all,
				 "has an empty entry (separate events with one comma or spaces)");
			return;
		}
		if (comma && !v.n) {
			vm_error(ps, name, all, "ends with a comma");
			return;
		}
		why = parse_pmu_event(item, &ev);
		if (why) {
			vm_error(ps, name, item, why);
			return;
		}
		if (n == CFG_PMU_MAX_EVENTS) {
			report(ps, ps->line,
			       "[vm %s] %s: more than %d events listed",
			       vm->name, name, CFG_PMU_MAX_EVENTS);
			ps->vm_bad = true;
			return;
		}
		for (u32 i = 0; i < n; i++) {
			if (vm->pmu_events[i].event == ev.event &&
			    vm->pmu_events[i].umask == ev.umask &&
			    vm->pmu_events[i].any_umask == ev.any_umask) {
				vm_error(ps, name, item, "is listed twice");
				return;
			}
		}
		vm->pmu_events[n++] = ev;
	}
	vm->pmu_nr_events = n;
	vm->pmu_filter = key == VK_PMU_ALLOW ? CFG_PMU_FILTER_ALLOW :
					       CFG_PMU_FILTER_DENY;
}

static void vm_key(struct parser *ps, int key, struct slice v)
{
	struct cfg_vm *vm = ps->vm;
	u64 n;

	switch (key) {
	case VK_IMAGE:
		set_path(ps, "image", vm->image, v);
		return;
	case VK_INITRD:
		set_path(ps, "initrd", vm->initrd, v);
		return;
	case VK_CMDLINE:
		if (v.n >= CFG_CMDLINE_MAX) {
			report(ps, ps->line,
			       "[vm %s] cmdline: %zu characters long, at most %d are allowed",
			       vm->name, v.n, CFG_CMDLINE_MAX - 1);
			ps->vm_bad = true;
			return;
		}
		copy_slice(vm->cmdline, v);
		return;
	case VK_MEMORY:
		if (!parse_size(v, &n)) {
			vm_error(ps, "memory", v,
				 "is not a size (use e.g. 512M)");
		} else if (n < 2 * MiB || n % (2 * MiB)) {
			vm_error(ps, "memory", v,
				 "is not a multiple of 2M of at least 2M (use e.g. 64M)");
		} else if (n > CFG_MAX_MEMORY) {
			vm_error(ps, "memory", v,
				 "is too large (at most 1024G)");
		} else {
			vm->memory = n;
		}
		return;
	case VK_CPUS:
		if (!parse_u64(v, &n) || n < 1 || n > CFG_MAX_VCPUS) {
			report(ps, ps->line,
			       "[vm %s] cpus: " QFMT " is not a vCPU count from 1 to %d",
			       vm->name, QARG(v), CFG_MAX_VCPUS);
			ps->vm_bad = true;
			return;
		}
		vm->cpus = (u32)n;
		return;
	case VK_PIN:
		parse_pins(ps, v);
		return;
	case VK_UNCLAIMED_MMIO:
		if (eq(v, "ignore"))
			vm->unclaimed_mmio = CFG_UNCLAIMED_IGNORE;
		else if (eq(v, "stop"))
			vm->unclaimed_mmio = CFG_UNCLAIMED_STOP;
		else
			vm_error(ps, "unclaimed_mmio", v,
				 "is not a policy (use ignore or stop)");
		return;
	case VK_ON_EXIT:
		if (eq(v, "stop"))
			vm->on_exit = CFG_ON_EXIT_STOP;
		else if (eq(v, "restart"))
			vm->on_exit = CFG_ON_EXIT_RESTART;
		else
			vm_error(ps, "on_exit", v,
				 "is not an action (use stop or restart)");
		return;
	case VK_EXPECT:
		if (eq(v, "pass"))
			vm->expect = CFG_EXPECT_PASS;
		else if (eq(v, "fail"))
			vm->expect = CFG_EXPECT_FAIL;
		else if (eq(v, "crash"))
			vm->expect = CFG_EXPECT_CRASH;
		else
			vm_error(ps, "expect", v,
				 "is not an outcome (use pass, fail or crash)");
		return;
	case VK_TIMEOUT:
		if (!parse_u64(v, &n) || n < 1 || n > CFG_MAX_TIMEOUT) {
			report(ps, ps->line,
			       "[vm %s] timeout: " QFMT " is not a number of seconds from 1 to %d",
			       vm->name, QARG(v), CFG_MAX_TIMEOUT);
			ps->vm_bad = true;
			return;
		}
		vm->timeout_s = (u32)n;
		return;
	case VK_PMU:
		ps->pmu_line = ps->line;
		if (eq(v, "on"))
			vm->pmu = CFG_PMU_ON;
		else if (eq(v, "off"))
			vm->pmu = CFG_PMU_OFF;
		else
			vm_error(ps, "pmu", v,
				 "is not a setting (use on or off)");
		return;
	case VK_PMU_COUNTERS:
		if (!parse_u64(v, &n) || n < 1 || n > CFG_PMU_MAX_COUNTERS) {
			report(ps, ps->line,
			       "[vm %s] pmu_counters: " QFMT " is not a number of counters from 1 to %d",
			       vm->name, QARG(v), CFG_PMU_MAX_COUNTERS);
			ps->vm_bad = true;
			return;
		}
		vm->pmu_counters = (u32)n;
		return;
	case VK_PMU_ALLOW:
	case VK_PMU_DENY:
		parse_pmu_events(ps, key, v);
		return;
	case VK_PMU_FIXED:
		if (!parse_u64(v, &n) || n > 0xffffffff) {
			vm_error(ps, "pmu_fixed", v,
				 "is not a bitmap of fixed counters (bit n: counter n, e.g. 0x3)");
			return;
		}
		vm->pmu_fixed = (u32)n;
		return;
	}
}

/* pmu = off with other PMU keys: harmless, but probably not meant. */
static void check_pmu_off(struct parser *ps)
{
	char keys[80];
	size_t n = 0;

	if (ps->vm->pmu != CFG_PMU_OFF || !(ps->vm_seen & VK_PMU_DETAILS))
		return;
	keys[0] = '\0';
	for (int k = 0; k < VK_NR; k++)
		if (VK_PMU_DETAILS & ps->vm_seen & BIT(k))
			n += hv_snprintf(keys + n, sizeof(keys) - n, "%s%s",
					 n ? ", " : "", vm_keys[k]);
	warn(ps, ps->pmu_line, "[vm %s] pmu = off: %s ignored", ps->vm->name,
	     keys);
}

/* Ends the current section: a good [vm] is kept, a bad one dropped. */
static void end_section(struct parser *ps)
{
	struct cfg_vm *vm = ps->vm;

	if (ps->sec == SEC_VM) {
		if (!vm->image[0] && !(ps->vm_seen & BIT(VK_IMAGE))) {
			report(ps, vm->line,
			       "[vm %s] has no image (add e.g. 'image = guests/%s.elf')",
			       vm->name, vm->name);
			ps->vm_bad = true;
		}
		if (vm->nr_pin && vm->nr_pin != vm->cpus) {
			report(ps, ps->pin_line,
			       "[vm %s] pin: %u CPUs listed but cpus = %u (give one CPU per vCPU)",
			       vm->name, vm->nr_pin, vm->cpus);
			ps->vm_bad = true;
		}
		if (!ps->vm_bad)
			check_pmu_off(ps);
		if (ps->vm_bad) {
			report(ps, vm->line,
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
		report(ps, ps->line,
		       "section header " QFMT " has no closing ']'", QARG(s));
		return;
	}
	if (close + 1 != s.n) {
		report(ps, ps->line,
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
		report(ps, ps->line,
		       "unknown section [" "%.*s%s" "] (use [hypervisor] or [vm NAME])",
		       QARG(s));
		return;
	}
	name = trim((struct slice){ s.p + 2, s.n - 2 });
	if (!valid_name(name)) {
		report(ps, ps->line,
		       "[vm] name " QFMT " is not valid (1-31 of A-Z a-z 0-9 _ -)",
		       QARG(name));
		return;
	}
	if (cfg->nr_vms == CFG_MAX_VMS) {
		report(ps, ps->line,
		       "[vm %.*s] skipped: too many VMs (at most %d)",
		       (int)name.n, name.p, CFG_MAX_VMS);
		return;
	}
	ps->vm = &cfg->vms[cfg->nr_vms];
	vm_defaults(ps->vm);
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
			report(ps, ps->line,
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
	const char *sn = sec_name(ps, sbuf, sizeof(sbuf));
	struct slice k, v;
	int key;

	if (!eqp) {
		report(ps, ps->line, "%sexpected 'key = value', got " QFMT,
		       sn, QARG(s));
		goto bad;
	}
	k = trim((struct slice){ s.p, eqp - s.p });
	v = trim((struct slice){ eqp + 1, s.n - (eqp + 1 - s.p) });
	if (!k.n) {
		report(ps, ps->line, "%smissing key before '='", sn);
		goto bad;
	}
	if (ps->sec == SEC_NONE) {
		report(ps, ps->line,
		       "key " QFMT " is outside any section (put it under [hypervisor] or [vm NAME])",
		       QARG(k));
		return;
	}
	if (ps->sec == SEC_SKIP)
		return;		/* the section header was reported */

	if (ps->sec == SEC_HV) {
		key = find_key(hv_keys, HK_NR, k);
		if (key < 0) {
			report(ps, ps->line,
			       "[hypervisor] unknown key " QFMT " (known: serial, baud, log, mode, console, escape)",
			       QARG(k));
			return;
		}
		if (ps->hv_seen & BIT(key)) {
			report(ps, ps->line, "[hypervisor] %s is set twice",
			       hv_keys[key]);
			return;
		}
		ps->hv_seen |= BIT(key);
		if (!v.n) {
			report(ps, ps->line, "[hypervisor] %s: empty value",
			       hv_keys[key]);
			return;
		}
		hv_key(ps, key, v);
		return;
	}

	key = find_key(vm_keys, VK_NR, k);
	if (key < 0) {
		report(ps, ps->line,
		       "[vm %s] unknown key " QFMT " (known: image, initrd, cmdline, memory, cpus, pin, on_exit, expect, timeout, pmu, pmu_counters, pmu_allow, pmu_deny, pmu_fixed, unclaimed_mmio)",
		       ps->vm->name, QARG(k));
		goto bad;
	}
	if (ps->vm_seen & BIT(key)) {
		report(ps, ps->line, "[vm %s] %s is set twice", ps->vm->name,
		       vm_keys[key]);
		goto bad;
	}
	ps->vm_seen |= BIT(key);
	if ((key == VK_PMU_ALLOW || key == VK_PMU_DENY) && !ps->pmu_list_line)
		ps->pmu_list_line = ps->line;
	if (key == VK_CMDLINE) {
		/* The rest of the line, verbatim ('#', ';', '=' included). */
		vm_key(ps, key, v);
		return;
	}
	if (!v.n) {
		report(ps, ps->line, "[vm %s] %s: empty value", ps->vm->name,
		       vm_keys[key]);
		goto bad;
	}
	vm_key(ps, key, v);
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
	report(ps, ps->console_line,
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
		report(&ps, 0, "contains NUL bytes: not a text file");
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
