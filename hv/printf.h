/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_PRINTF_H
#define HV_PRINTF_H

#include <stdarg.h>
#include <hv/types.h>

/*
 * A small vsnprintf: %d %i %u %x %X %o %p %s %c %%, flags '-' '0' '+' ' '
 * '#', width and precision (also '*'), length modifiers hh h l ll z t j.
 * Returns the length the full output would have had, as ISO C says.
 */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hv_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* HV_PRINTF_H */
