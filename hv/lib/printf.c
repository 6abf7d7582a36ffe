// SPDX-License-Identifier: GPL-2.0
/*
 * Formatted output into a bounded buffer. Pure logic, shared by the
 * hypervisor and its host unit tests.
 */
#include <hv/printf.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

enum {
	F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16,
	F_UPPER = 32,
};

static void put_number(struct out *o, u64 v, bool neg, unsigned int base,
		       int flags, int width, int prec)
{
	const char *digits = flags & F_UPPER ? "0123456789ABCDEF" :
					       "0123456789abcdef";
	char tmp[24];
	int n = 0, sign = 0, prefix = 0, zeros;

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (prec < 0) {
		prec = 1;
	} else {
		flags &= ~F_ZERO;
	}
	zeros = prec > n ? prec - n : 0;
	if (neg || (flags & (F_PLUS | F_SPACE)))
		sign = 1;
	if ((flags & F_ALT) && base == 16 && n)
		prefix = 2;
	if ((flags & F_ALT) && base == 8 && !zeros && (n == 0 || tmp[n - 1] != '0'))
		zeros = 1;
	width -= n + zeros + sign + prefix;

	if (!(flags & (F_LEFT | F_ZERO)))
		pad(o, ' ', width);
	if (sign)
		put(o, neg ? '-' : (flags & F_PLUS) ? '+' : ' ');
	if (prefix) {
		put(o, '0');
		put(o, flags & F_UPPER ? 'X' : 'x');
	}
	if (flags & F_ZERO)
		pad(o, '0', width);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		pad(o, ' ', width);
}

static void put_string(struct out *o, const char *s, int flags, int width,
		       int prec)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while ((prec < 0 || n < prec) && s[n])
		n++;
	if (!(flags & F_LEFT))
		pad(o, ' ', width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (flags & F_LEFT)
		pad(o, ' ', width - n);
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };

	for (; *fmt; fmt++) {
		int flags = 0, width = 0, prec = -1, lng = 0;
		unsigned int base = 10;
		bool is_signed = false;
		u64 v;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (;;) {
			switch (*++fmt) {
			case '-': flags |= F_LEFT; continue;
			case '0': flags |= F_ZERO; continue;
			case '+': flags |= F_PLUS; continue;
			case ' ': flags |= F_SPACE; continue;
			case '#': flags |= F_ALT; continue;
			}
			break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		if (flags & F_LEFT)
			flags &= ~F_ZERO;
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j')
				lng = 2;
			else
				break;
		}

		switch (*fmt) {
		case '\0':
			fmt--;
			continue;
		case '%':
			put(&o, '%');
			continue;
		case 'c':
			pad(&o, ' ', (flags & F_LEFT) ? 0 : width - 1);
			put(&o, (char)va_arg(ap, int));
			pad(&o, ' ', (flags & F_LEFT) ? width - 1 : 0);
			continue;
		case 's':
			put_string(&o, va_arg(ap, const char *), flags, width,
				   prec);
			continue;
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			put_number(&o, v, false, 16, flags | F_ALT, width, prec);
			continue;
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'X':
			flags |= F_UPPER;
			/* fall through */
		case 'x':
			base = 16;
			break;
		case 'o':
			base = 8;
			break;
		default:
			/* Unknown conversion: print it literally. */
			put(&o, '%');
			put(&o, *fmt);
			continue;
		}

		if (is_signed) {
			s64 sv;

			if (lng >= 2)
				sv = va_arg(ap, long long);
			else if (lng == 1)
				sv = va_arg(ap, long);
			else if (lng == -1)
				sv = (short)va_arg(ap, int);
			else if (lng <= -2)
				sv = (signed char)va_arg(ap, int);
			else
				sv = va_arg(ap, int);
			v = sv < 0 ? -(u64)sv : (u64)sv;
			put_number(&o, v, sv < 0, base, flags, width, prec);
		} else {
			/* C11 7.21.6.1: '+' and ' ' are for signed only. */
			flags &= ~(F_PLUS | F_SPACE);
			if (lng >= 2)
				v = va_arg(ap, unsigned long long);
			else if (lng == 1)
				v = va_arg(ap, unsigned long);
			else if (lng == -1)
				v = (unsigned short)va_arg(ap, unsigned int);
			else if (lng <= -2)
				v = (unsigned char)va_arg(ap, unsigned int);
			else
				v = va_arg(ap, unsigned int);
			put_number(&o, v, false, base, flags, width, prec);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
