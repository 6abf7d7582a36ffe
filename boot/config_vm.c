// SPDX-License-Identifier: GPL-2.0
/*
 * perfvisor.cfg parser: the [vm NAME] section's keys. A [vm] with any
 * error is dropped at its end (config.c).
 */
#include <boot/config_parser.h>

void cfg_vm_defaults(struct cfg_vm *vm)
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

const char *const cfg_vm_keys[VK_NR] = {
	"image", "initrd", "cmdline", "memory", "cpus", "pin", "on_exit",
	"expect", "timeout", "pmu", "pmu_counters", "pmu_allow", "pmu_deny",
	"pmu_fixed", "unclaimed_mmio", "meet",
};

/* The keys that mean nothing with pmu = off. */
#define VK_PMU_DETAILS (BIT(VK_PMU_COUNTERS) | BIT(VK_PMU_ALLOW) | \
			BIT(VK_PMU_DENY) | BIT(VK_PMU_FIXED))

static void vm_error(struct parser *ps, const char *key, struct slice v,
		     const char *what)
{
	cfg_error(ps, ps->line, "[vm %s] %s: " QFMT " %s", ps->vm->name, key,
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
		cfg_error(ps, ps->line,
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
		if (!cfg_u64(item, &cpu) || cpu >= CFG_MAX_PIN) {
			vm_error(ps, "pin", item,
				 "is not a CPU index (use a list such as 1,2,3)");
			return;
		}
		if (cpu == 0) {
			cfg_error(ps, ps->line,
				  "[vm %s] pin: CPU 0 runs the console and supervision, never a vCPU (pin to CPUs 1 and up)",
				  vm->name);
			ps->vm_bad = true;
			return;
		}
		if (n == CFG_MAX_VCPUS) {
			cfg_error(ps, ps->line,
				  "[vm %s] pin: more than %d CPUs listed",
				  vm->name, CFG_MAX_VCPUS);
			ps->vm_bad = true;
			return;
		}
		for (u32 i = 0; i < n; i++) {
			if (vm->pin[i] == cpu) {
				cfg_error(ps, ps->line,
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

	n = cfg_num(s, &e);
	if (!n)
		goto form;
	if (n < s.n) {
		if (s.p[n] != ':')
			goto form;
		um = (struct slice){ s.p + n + 1, s.n - n - 1 };
		if (!cfg_u64(um, &u))
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
	const char *name = cfg_vm_keys[key];
	int other = key == VK_PMU_ALLOW ? VK_PMU_DENY : VK_PMU_ALLOW;
	struct cfg_vm *vm = ps->vm;
	struct slice all = v;
	u32 n = 0;

	if (ps->vm_seen & BIT(other)) {
		cfg_error(ps, ps->line,
			  "[vm %s] %s: not allowed together with %s (line %u); use one list",
			  vm->name, name, cfg_vm_keys[other], ps->pmu_list_line);
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
			cfg_error(ps, ps->line,
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

void cfg_vm_key(struct parser *ps, int key, struct slice v)
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
	case VK_MEET:
		if (!valid_name(v))
			vm_error(ps, "meet", v,
				 "is not a name (1-31 of A-Z a-z 0-9 _ -)");
		else
			copy_slice(vm->meet, v);
		return;
	case VK_CMDLINE:
		if (v.n >= CFG_CMDLINE_MAX) {
			cfg_error(ps, ps->line,
				  "[vm %s] cmdline: %zu characters long, at most %d are allowed",
				  vm->name, v.n, CFG_CMDLINE_MAX - 1);
			ps->vm_bad = true;
			return;
		}
		copy_slice(vm->cmdline, v);
		return;
	case VK_MEMORY:
		if (!cfg_size(v, &n)) {
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
		if (!cfg_u64(v, &n) || n < 1 || n > CFG_MAX_VCPUS) {
			cfg_error(ps, ps->line,
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
		if (!cfg_u64(v, &n) || n < 1 || n > CFG_MAX_TIMEOUT) {
			cfg_error(ps, ps->line,
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
		if (!cfg_u64(v, &n) || n < 1 || n > CFG_PMU_MAX_COUNTERS) {
			cfg_error(ps, ps->line,
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
		if (!cfg_u64(v, &n) || n > 0xffffffff) {
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
					 n ? ", " : "", cfg_vm_keys[k]);
	cfg_warn(ps, ps->pmu_line, "[vm %s] pmu = off: %s ignored", ps->vm->name,
		 keys);
}

/* The checks of a whole [vm] section, at its end. */
void cfg_vm_check(struct parser *ps)
{
	struct cfg_vm *vm = ps->vm;

	if (!vm->image[0] && !(ps->vm_seen & BIT(VK_IMAGE))) {
		cfg_error(ps, vm->line,
			  "[vm %s] has no image (add e.g. 'image = guests/%s.elf')",
			  vm->name, vm->name);
		ps->vm_bad = true;
	}
	if (vm->nr_pin && vm->nr_pin != vm->cpus) {
		cfg_error(ps, ps->pin_line,
			  "[vm %s] pin: %u CPUs listed but cpus = %u (give one CPU per vCPU)",
			  vm->name, vm->nr_pin, vm->cpus);
		ps->vm_bad = true;
	}
	if (!ps->vm_bad)
		check_pmu_off(ps);
}
