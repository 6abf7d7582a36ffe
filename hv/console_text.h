/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the console shows bytes it does not pass raw, and names keys. Pure
 * functions, unit-tested (tests/unit/test_console_text.c).
 */
#ifndef HV_CONSOLE_TEXT_H
#define HV_CONSOLE_TEXT_H

#include <hv/types.h>

/* The longest form console_escape_byte() writes ("\xNN"). */
#define CONSOLE_ESC_MAX 4

/*
 * Writes @c as the shell's prefixed view of guest output shows it and
 * returns the bytes written: printable ASCII and tab as they are, ESC as
 * "\e", the other control characters in caret notation ("^G"; DEL is
 * "^?"), bytes above 0x7f as "\xNN". Nothing a guest writes can then move
 * the cursor, erase a line or set the terminal's modes.
 */
size_t console_escape_byte(u8 c, char *out);

/* "Ctrl-A" for 0x01, "Ctrl-]" for 0x1d, ...: @buf holds 8 bytes. */
const char *console_key_name(u8 key, char *buf);

#endif /* HV_CONSOLE_TEXT_H */
