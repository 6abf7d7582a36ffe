/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perfvisor.cfg parser internals, shared by its parts:
 *
 *   config.c       lines, sections, keys; cfg_parse()
 *   config_text.c  messages, numbers and sizes
 *   config_hv.c    the [hypervisor] keys
 *   config_vm.c    the [vm NAME] keys and a [vm]'s own checks
 *
 * Values are slices of the caller's text, never copied until kept.
 */
#ifndef BOOT_CONFIG_PARSER_H
#define BOOT_CONFIG_PARSER_H

#include <boot/config.h>
#include <hv/printf.h>
#include <hv/string.h>

#define CFG_MAX_MEMORY    (1024 * GiB)	/* more is surely a typo */
#define CFG_MAX_TIMEOUT   86400		/* one day */
#define CFG_MAX_PIN       4096		/* physical CPU indices */
#define CFG_PMU_EVENT_MAX 0xfff		/* AMD: EventSelect[11:0] */
#define CFG_PMU_UMASK_MAX 0xff
#define QUOTE_MAX         48		/* longest value quoted */

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
	u32 vm_seen;		/* keys already set, bit per cfg_vm_keys[] */
	u32 pin_line;
	u32 pmu_line;		/* line of pmu = */
	u32 pmu_list_line;	/* line of the first pmu_allow/pmu_deny */
	u32 hv_seen;		/* keys already set, bit per cfg_hv_keys[] */
	u32 console_line;
};

/* A value quoted in a message: at most QUOTE_MAX bytes, "..." if cut. */
#define QFMT       "'%.*s%s'"
#define QARG(s)    (int)MIN((s).n, QUOTE_MAX), (s).p, \
		   (s).n > QUOTE_MAX ? "..." : ""

/* config_text.c */
void __printf(3, 4) cfg_error(struct parser *ps, u32 line, const char *fmt,
			      ...);
void __printf(3, 4) cfg_warn(struct parser *ps, u32 line, const char *fmt,
			     ...);
const char *cfg_sec_name(struct parser *ps, char *buf, size_t size);
size_t cfg_num(struct slice s, u64 *out);
bool cfg_u64(struct slice s, u64 *out);
bool cfg_size(struct slice s, u64 *out);
void cfg_key_list(char *buf, size_t size, const char *const *keys, int nr);

/* hv/string.h has no memchr. */
static inline const char *find_char(const char *p, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == c)
			return p + i;
	return NULL;
}

static inline bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static inline struct slice trim(struct slice s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

static inline char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Case-insensitive comparison with a lower-case word. */
static inline bool eq(struct slice s, const char *word)
{
	size_t n = strlen(word);

	if (s.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(s.p[i]) != word[i])
			return false;
	return true;
}

static inline bool valid_name(struct slice s)
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

static inline void copy_slice(char *dst, struct slice s)
{
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
}

/* config_hv.c */
enum { HK_SERIAL, HK_BAUD, HK_LOG, HK_MODE, HK_CONSOLE, HK_ESCAPE, HK_APIC,
       HK_PROFILE,
       HK_NR };
extern const char *const cfg_hv_keys[HK_NR];
void cfg_hv_key(struct parser *ps, int key, struct slice v);

/* config_vm.c */
enum { VK_IMAGE, VK_INITRD, VK_CMDLINE, VK_MEMORY, VK_CPUS, VK_PIN,
       VK_ON_EXIT, VK_EXPECT, VK_TIMEOUT, VK_PMU, VK_PMU_COUNTERS,
       VK_PMU_ALLOW, VK_PMU_DENY, VK_PMU_FIXED, VK_UNCLAIMED_MMIO, VK_MEET,
       VK_NR };
extern const char *const cfg_vm_keys[VK_NR];
void cfg_vm_defaults(struct cfg_vm *vm);
void cfg_vm_key(struct parser *ps, int key, struct slice v);
void cfg_vm_check(struct parser *ps);

#endif /* BOOT_CONFIG_PARSER_H */
