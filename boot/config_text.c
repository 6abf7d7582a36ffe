// SPDX-License-Identifier: GPL-2.0
/*
 * perfvisor.cfg parser: messages, numbers and sizes.
 *
 * Every problem is reported through the caller's callback with the line it
 * concerns; the callback adds "file:line: ".
 */
#include <boot/config_parser.h>

void cfg_error(struct parser *ps, u32 line, const char *fmt, ...)
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

/* Like cfg_error(), for a problem that is not an error. */
void cfg_warn(struct parser *ps, u32 line, const char *fmt, ...)
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
const char *cfg_sec_name(struct parser *ps, char *buf, size_t size)
{
	if (ps->sec == SEC_HV)
		return "[hypervisor] ";
	if (ps->sec == SEC_VM) {
		hv_snprintf(buf, size, "[vm %s] ", ps->vm->name);
		return buf;
	}
	return "";
}

/*
 * Parses a decimal or 0x-prefixed hexadecimal number at the start of @s.
 * Returns the number of characters used, 0 if none or on overflow.
 */
size_t cfg_num(struct slice s, u64 *out)
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
bool cfg_u64(struct slice s, u64 *out)
{
	size_t n = cfg_num(s, out);

	return n && n == s.n;
}

/* A size: a number with an optional K, M or G suffix (binary units). */
bool cfg_size(struct slice s, u64 *out)
{
	size_t n = cfg_num(s, out);
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

/* "a, b, c": the keys of a section, for an unknown key's message. */
void cfg_key_list(char *buf, size_t size, const char *const *keys, int nr)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < nr && n < size; i++)
		n += hv_snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
				 keys[i]);
}
