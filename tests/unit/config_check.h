/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The perfvisor.cfg parser's unit tests share this: parse a text and
 * collect the messages it causes, then look for them.
 */
#ifndef TESTS_UNIT_CONFIG_CHECK_H
#define TESTS_UNIT_CONFIG_CHECK_H

#include "unit.h"
#include <boot/config.h>

#define MAX_MSGS 64

struct msg {
	char file[32];
	u32 line;
	char text[400];
};

static struct msg msgs[MAX_MSGS];
static int nr_msgs;
static struct cfg cfg;

static inline void collect(void *ctx, const char *file, u32 line, const char *text)
{
	(void)ctx;
	assert_true(nr_msgs < MAX_MSGS);
	assert_true(strlen(text) < sizeof(msgs[0].text));
	strlcpy(msgs[nr_msgs].file, file, sizeof(msgs[0].file));
	msgs[nr_msgs].line = line;
	strlcpy(msgs[nr_msgs].text, text, sizeof(msgs[0].text));
	nr_msgs++;
}

static inline int parse(const char *text)
{
	nr_msgs = 0;
	memset(msgs, 0, sizeof(msgs));
	memset(&cfg, 0x5a, sizeof(cfg));
	return cfg_parse(&cfg, "perfvisor.cfg", text, strlen(text), collect,
			 NULL);
}

/* Asserts that some message is on @line and contains @needle. */
static inline void expect_msg(u32 line, const char *needle)
{
	for (int i = 0; i < nr_msgs; i++)
		if (msgs[i].line == line && unit_contains(msgs[i].text, needle))
			return;
	for (int i = 0; i < nr_msgs; i++)
		print_message("  got %s:%u: %s\n", msgs[i].file, msgs[i].line,
			      msgs[i].text);
	fail_msg("no message on line %u containing \"%s\"", line, needle);
}

static inline void expect_no_msgs(void)
{
	for (int i = 0; i < nr_msgs; i++)
		print_message("  unexpected %s:%u: %s\n", msgs[i].file,
			      msgs[i].line, msgs[i].text);
	assert_int_equal(nr_msgs, 0);
	assert_int_equal(cfg.nr_errors, 0);
}

static inline const struct cfg_vm *vm(const char *name)
{
	for (u32 i = 0; i < cfg.nr_vms; i++)
		if (!strcmp(cfg.vms[i].name, name))
			return &cfg.vms[i];
	return NULL;
}

#endif /* TESTS_UNIT_CONFIG_CHECK_H */
