/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perfvisor.cfg: an INI-style file on the boot medium.
 *
 *   # comment (also ';')
 *   [hypervisor]
 *   serial   = auto | pci | com1 | 0x3f8 ...   host console UART (default
 *                                     auto: the ACPI SPCR table's, else
 *                                     COM1; pci: a PCI 16550 card; see
 *                                     boot/serial_pick.c)
 *   baud     = 115200                 default: the SPCR's rate, else 115200
 *   log      = error | warn | info | debug
 *   mode     = normal | test          test: fold results into the exit code
 *   console  = NAME                   guest attached to the serial console
 *   escape   = ^A                     the console's escape key: ^X or Ctrl-X,
 *                                     X one of A-Z @ [ \ ] ^ _ (not ^H ^I ^J
 *                                     ^M ^[: Backspace, Tab, Enter, Esc)
 *   profile  = on | off               exit-path profiling: the highest
 *                                     hardware counter is the hypervisor's
 *                                     (guests get one fewer), `prof` in
 *                                     the shell (docs/profile.md)
 *
 *   [vm NAME]
 *   image    = path/on/esp            required
 *   initrd   = path/on/esp            Linux initrd / Multiboot module
 *   cmdline  = text to end of line    Linux/multiboot only
 *   memory   = 64M                    K/M/G suffixes, default 64M
 *   cpus     = 1                      number of vCPUs
 *   pin      = 1,2                    physical CPU index for each vCPU
 *   on_exit  = stop | restart         what a guest shutdown/reset/crash does
 *   expect   = pass | fail | crash    test mode: the expected outcome
 *   timeout  = 30                     test mode: seconds before "hung"
 *   pmu      = on | off               virtual PMU (default: on where the
 *                                     host has a usable PMU)
 *   pmu_counters = 1..8               general-purpose counters (default:
 *                                     the host's count)
 *   pmu_allow = EV[:UM], ...          only these events may count, or
 *   pmu_deny  = EV[:UM], ...          these events may not (not both)
 *   pmu_fixed = MASK                  Intel fixed counters allowed, a
 *                                     bitmap (default: all)
 *   unclaimed_mmio = ignore | stop    guest-physical accesses outside RAM
 *                                     that no device claims: all-ones
 *                                     reads, dropped writes (default), or
 *                                     stop the guest (for test kernels)
 *   meet     = NAME                   the guests that meet at the hypercall
 *                                     PV_HC_RENDEZVOUS: those of one meet
 *                                     name (in test mode, default: those of
 *                                     one image; otherwise none)
 *
 * PMU keys:
 *  - pmu = on on a host without a usable PMU is not an error: the PMU core
 *    prints a warning and the guest starts without a PMU.
 *  - pmu_counters above the host's count is refused by the PMU core.
 *  - pmu_allow/pmu_deny: up to CFG_PMU_MAX_EVENTS entries separated by
 *    commas and/or spaces. EV is an event select up to 0xfff (AMD's 12 bits,
 *    PERF_CTL[35:32] as bits 11:8; Intel uses 8), UM a unit mask up to 0xff;
 *    without ":UM" every unit mask matches. Numbers are decimal or 0x hex.
 *    The list applies to the general-purpose counters only.
 *  - pmu_fixed: bit n allows fixed counter n, up to 0xffffffff; bits for
 *    counters the host lacks are ignored; AMD has none.
 *  - With pmu = off the other PMU keys are accepted with a warning.
 *
 * Every malformed line is reported with file and line; a [vm] section with
 * an error is dropped (the others still start), an error in [hypervisor]
 * leaves the default for that key. Any key set twice in a section is an
 * error. Warnings (the message begins with CFG_WARNING) do not count as
 * errors and drop nothing.
 */
#ifndef BOOT_CONFIG_H
#define BOOT_CONFIG_H

#include <hv/types.h>

#define CFG_MAX_VMS     64	/* the guest-tests alone are 36 guests */
#define CFG_MAX_VCPUS   16
#define CFG_NAME_MAX    32
#define CFG_PATH_MAX    128
#define CFG_CMDLINE_MAX 1024
#define CFG_PMU_MAX_COUNTERS 8		/* pmu_counters = 1..8 */

/* Prefix of a message that is a warning, not an error. */
#define CFG_WARNING "warning: "

enum cfg_log_level { CFG_LOG_ERROR, CFG_LOG_WARN, CFG_LOG_INFO, CFG_LOG_DEBUG };
enum cfg_mode { CFG_MODE_NORMAL, CFG_MODE_TEST };
enum cfg_on_exit { CFG_ON_EXIT_STOP, CFG_ON_EXIT_RESTART };
enum cfg_expect { CFG_EXPECT_PASS, CFG_EXPECT_FAIL, CFG_EXPECT_CRASH };
enum cfg_unclaimed { CFG_UNCLAIMED_IGNORE, CFG_UNCLAIMED_STOP };
enum cfg_serial { CFG_SERIAL_AUTO, CFG_SERIAL_PCI, CFG_SERIAL_PORT };

#define CFG_PMU_MAX_EVENTS 32
enum cfg_pmu { CFG_PMU_DEFAULT, CFG_PMU_ON, CFG_PMU_OFF };
enum cfg_pmu_filter { CFG_PMU_FILTER_NONE, CFG_PMU_FILTER_ALLOW, CFG_PMU_FILTER_DENY };
/* One filter entry: event select (AMD: 12 bits incl. PERF_CTL[35:32]; Intel: 8 bits) and unit mask. */
struct cfg_pmu_event {
	u16 event;
	u8 umask;
	bool any_umask;		/* no ":UMASK" given: every unit mask matches */
};

struct cfg_vm {
	char name[CFG_NAME_MAX];
	char image[CFG_PATH_MAX];
	char initrd[CFG_PATH_MAX];
	char cmdline[CFG_CMDLINE_MAX];
	u64 memory;			/* bytes, a multiple of 2 MiB */
	u32 cpus;
	u32 nr_pin;			/* 0: not pinned, placed by the hv */
	u32 pin[CFG_MAX_VCPUS];
	enum cfg_on_exit on_exit;
	enum cfg_expect expect;
	u32 timeout_s;
	enum cfg_pmu pmu;		/* pmu = on | off (default: on where the host has a usable PMU) */
	u32 pmu_counters;		/* pmu_counters = N general-purpose counters, 0 = the host's count */
	enum cfg_pmu_filter pmu_filter;
	u32 pmu_nr_events;
	struct cfg_pmu_event pmu_events[CFG_PMU_MAX_EVENTS];
	u32 pmu_fixed;			/* pmu_fixed = bitmap of Intel fixed counters allowed (default all: 0xffffffff) */
	enum cfg_unclaimed unclaimed_mmio;	/* default: ignore */
	char meet[CFG_NAME_MAX];	/* PV_HC_RENDEZVOUS group, "": the image's */
	u32 line;			/* line of the [vm] header */
};

struct cfg {
	enum cfg_serial serial;		/* default auto */
	u16 serial_port;		/* CFG_SERIAL_PORT: the port */
	u32 baud;
	bool baud_set;			/* baud = was given */
	enum cfg_log_level log_level;
	enum cfg_mode mode;
	char console[CFG_NAME_MAX];
	u8 escape;			/* the console's escape key, 0x00-0x1f */
	bool x2apic;			/* apic = x2apic (default auto) */
	bool profile;			/* profile = on: exit-path profiling */
	u32 nr_vms;
	struct cfg_vm vms[CFG_MAX_VMS];
	u32 nr_errors;			/* lines reported */
	u32 nr_warnings;		/* CFG_WARNING messages reported */
};

/*
 * Receives one message per problem; line 0 means "whole file". A message
 * that begins with CFG_WARNING is a warning.
 */
typedef void (*cfg_report_fn)(void *ctx, const char *file, u32 line,
			      const char *msg);

/*
 * Parses @len bytes of @text (need not be NUL-terminated) into @cfg, which
 * is first reset to defaults. Returns 0, or a negative errno only when the
 * file as a whole is unusable (e.g. not text). Bad lines are reported
 * through @report and counted in cfg->nr_errors.
 */
int cfg_parse(struct cfg *cfg, const char *file, const char *text, size_t len,
	      cfg_report_fn report, void *ctx);

void cfg_defaults(struct cfg *cfg);

#endif /* BOOT_CONFIG_H */
