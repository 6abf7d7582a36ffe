// SPDX-License-Identifier: GPL-2.0
/* Escaped guest bytes and key names for the console (hv/console_text.h). */
#include <hv/console_text.h>

static const char hex[] = "0123456789abcdef";

size_t console_escape_byte(u8 c, char *out)
{
	if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
		out[0] = (char)c;
		return 1;
	}
	if (c == 0x1b) {
		out[0] = '\\';
		out[1] = 'e';
		return 2;
	}
	if (c < 0x20 || c == 0x7f) {
		out[0] = '^';
		out[1] = c == 0x7f ? '?' : (char)(c + 0x40);
		return 2;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 0xf];
	return 4;
}

const char *console_key_name(u8 key, char *buf)
{
	buf[0] = 'C';
	buf[1] = 't';
	buf[2] = 'r';
	buf[3] = 'l';
	buf[4] = '-';
	buf[5] = key < 0x20 ? (char)(key + 0x40) : '?';
	buf[6] = '\0';
	return buf;
}
