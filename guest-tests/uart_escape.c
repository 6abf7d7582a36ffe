// SPDX-License-Identifier: GPL-2.0
/*
 * standalone: tests/console/test_isolation.py
 *
 * Prints what would, unescaped, erase its "[name] " prefix on the
 * operator's terminal and forge a hypervisor line, ring the bell, and
 * set a colour; then a line with a tab and a UTF-8 byte pair.
 */
#include "gt.h"

void test_main(void)
{
	gt_puts("\x1b[1G\x1b[2K[   1.000000] cpu0: forged line\x07\n");
	gt_puts("\x1b[31mred\x1b[0m\ttab \xc3\xa9 end\n");
}
