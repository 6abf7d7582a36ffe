/* sources: boot/config.c boot/config_text.c boot/config_hv.c boot/config_vm.c hv/lib/printf.c */
/* flags: -dict=tests/fuzz/config.dict -max_len=4096 */
// SPDX-License-Identifier: GPL-2.0
/*
 * perfvisor.cfg parser (boot/config.c) on any bytes, as boot/efi_main.c
 * calls it on the file from the ESP. Checks what the rest of the
 * hypervisor relies on: every message is a terminated string, every kept
 * [vm] is within the documented limits, strings are terminated.
 */
#include "fuzz.h"
#include <boot/config.h>

static struct cfg cfg;
static u32 nr_msgs, nr_warn_msgs, nr_lines;

FUZZ_NOCOV
static void report(void *ctx, const char *file, u32 line, const char *msg)
{
	size_t n = strnlen(msg, 512);

	(void)ctx;
	CHECK(file && strnlen(file, 64) < 64);
	CHECK(n > 0 && n < 320);
	CHECK(line <= nr_lines);
	nr_msgs++;
	if (!strncmp(msg, CFG_WARNING, sizeof(CFG_WARNING) - 1))
		nr_warn_msgs++;
}

FUZZ_NOCOV
static bool terminated(const char *s, size_t size)
{
	return strnlen(s, size) < size;
}

FUZZ_NOCOV
static bool valid_name(const char *s)
{
	size_t n = strnlen(s, CFG_NAME_MAX);

	if (!n || n >= CFG_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

FUZZ_NOCOV
static void check_vm(const struct cfg_vm *vm, u32 idx)
{
	CHECK(valid_name(vm->name));
	for (u32 i = 0; i < idx; i++)
		CHECK(strcmp(cfg.vms[i].name, vm->name));
	CHECK(terminated(vm->image, CFG_PATH_MAX));
	CHECK(terminated(vm->initrd, CFG_PATH_MAX));
	CHECK(terminated(vm->cmdline, CFG_CMDLINE_MAX));
	CHECK(vm->image[0]);
	CHECK(vm->memory >= 2 * MiB && !(vm->memory % (2 * MiB)) &&
	      vm->memory <= 1024 * GiB);
	CHECK(vm->cpus >= 1 && vm->cpus <= CFG_MAX_VCPUS);
	CHECK(!vm->nr_pin || vm->nr_pin == vm->cpus);
	for (u32 i = 0; i < vm->nr_pin; i++)
		for (u32 j = 0; j < i; j++)
			CHECK(vm->pin[i] != vm->pin[j]);
	CHECK(vm->on_exit <= CFG_ON_EXIT_RESTART);
	CHECK(vm->expect <= CFG_EXPECT_CRASH);
	CHECK(vm->timeout_s >= 1 && vm->timeout_s <= 86400);
	CHECK(vm->pmu <= CFG_PMU_OFF);
	CHECK(vm->pmu_counters <= CFG_PMU_MAX_COUNTERS);
	CHECK(vm->pmu_filter <= CFG_PMU_FILTER_DENY);
	CHECK(vm->pmu_nr_events <= CFG_PMU_MAX_EVENTS);
	CHECK(!vm->pmu_nr_events || vm->pmu_filter != CFG_PMU_FILTER_NONE);
	for (u32 i = 0; i < vm->pmu_nr_events; i++)
		CHECK(vm->pmu_events[i].event <= 0xfff);
}

FUZZ_NOCOV
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int err;

	nr_msgs = nr_warn_msgs = 0;
	nr_lines = 1;
	for (size_t i = 0; i < size; i++)
		nr_lines += data[i] == '\n';
	/* Half the inputs without a callback: nothing must need one. */
	err = cfg_parse(&cfg, "perfvisor.cfg", (const char *)data, size,
			size & 1 ? report : NULL, NULL);
	CHECK(!err || err == -EINVAL);
	if (size & 1) {
		CHECK(nr_msgs == cfg.nr_errors + cfg.nr_warnings);
		CHECK(nr_warn_msgs == cfg.nr_warnings);
	}
	if (err)
		return 0;
	CHECK(cfg.nr_vms <= CFG_MAX_VMS);
	CHECK(cfg.serial_port && cfg.serial_port <= 0xfff8);
	CHECK(cfg.baud && 115200 % cfg.baud == 0);
	CHECK(cfg.log_level <= CFG_LOG_DEBUG && cfg.mode <= CFG_MODE_TEST);
	CHECK(terminated(cfg.console, CFG_NAME_MAX));
	if (cfg.console[0]) {
		bool found = false;

		for (u32 i = 0; i < cfg.nr_vms; i++)
			found |= !strcmp(cfg.vms[i].name, cfg.console);
		CHECK(found);
	}
	for (u32 i = 0; i < cfg.nr_vms; i++)
		check_vm(&cfg.vms[i], i);
	return 0;
}
