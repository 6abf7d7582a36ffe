/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The library of the 32-bit Multiboot test kernels (guest-tests/mb_*.c):
 * polled output on COM1, checks that print PASS/FAIL lines, the verdict
 * through the debug-exit port 0xf4 (0 = every check passed). A test
 * defines `void mb_test(void)`; the entry state the loader gave is in
 * gt32_entry_* (guest-tests/lib32/entry.asm).
 *
 * No 64-bit division anywhere: nothing here links libgcc.
 */
#ifndef GT32_H
#define GT32_H

#include <hv/types.h>

extern u32 gt32_entry_eax, gt32_entry_ebx, gt32_entry_eflags;
extern u32 gt32_entry_cr0;
extern char gt32_kernel_start[], gt32_kernel_end[];

void mb_test(void);

void gt32_puts(const char *s);
void gt32_put_hex(u64 v);
void gt32_put_dec(u32 v);

void gt32_check(bool ok, const char *what, int line);
void gt32_check_eq(u64 a, u64 b, const char *as, const char *bs, int line);

#define CHECK(c) gt32_check(!!(c), #c, __LINE__)
#define CHECK_EQ(a, b) gt32_check_eq((u64)(a), (u64)(b), #a, #b, __LINE__)

__noreturn void gt32_exit(u32 status);

#endif /* GT32_H */
