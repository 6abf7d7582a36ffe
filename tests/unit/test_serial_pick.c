/* sources: boot/spcr.c boot/serial_pick.c boot/config.c boot/config_text.c boot/config_hv.c boot/config_vm.c drivers/uart16550.c hv/lib/printf.c */
// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for console UART discovery: SPCR parsing (boot/spcr.c), the
 * choice between SPCR, PCI and explicit ports (boot/serial_pick.c) over a
 * fake PCI configuration space, and the driver's memory-mapped register
 * access (drivers/uart16550.c) against a buffer standing in for the UART.
 */
#include "unit.h"
#include <boot/serial_pick.h>
#include <boot/spcr.h>
#include <drivers/uart16550.h>

static u8 spcr_buf[80];

/* An SPCR (revision 2) for a 16550; see tests/firmware/fwlib.py. */
static const u8 *mk_spcr(u8 iface, u8 space, u8 bits, u8 access, u64 addr,
			 u8 baud)
{
	memset(spcr_buf, 0, sizeof(spcr_buf));
	memcpy(spcr_buf, "SPCR", 4);
	spcr_buf[4] = sizeof(spcr_buf);
	spcr_buf[8] = 2;
	spcr_buf[36] = iface;
	spcr_buf[40] = space;
	spcr_buf[41] = bits;
	spcr_buf[43] = access;
	memcpy(spcr_buf + 44, &addr, 8);
	spcr_buf[58] = baud;
	return spcr_buf;
}

static void test_spcr_io(void **state)
{
	struct uart_desc u;
	const char *why = NULL;

	(void)state;
	assert_int_equal(spcr_parse(mk_spcr(0, 1, 8, 1, 0x2f8, 6), 80, &u,
				    &why), 0);
	assert_int_equal(u.space, UART_SPACE_IO);
	assert_int_equal(u.base, 0x2f8);
	assert_int_equal(u.shift, 0);
	assert_int_equal(u.baud, 57600);
}

static void test_spcr_mmio(void **state)
{
	struct uart_desc u;
	const char *why = NULL;

	(void)state;
	/* 32-bit registers (access size 3 = dword), type 0x12 (GAS layout). */
	assert_int_equal(spcr_parse(mk_spcr(0x12, 0, 32, 3, 0xfe030000ULL, 7),
				    80, &u, &why), 0);
	assert_int_equal(u.space, UART_SPACE_MMIO);
	assert_int_equal(u.base, 0xfe030000ULL);
	assert_int_equal(u.width, 4);
	assert_int_equal(u.shift, 2);
	assert_int_equal(u.baud, 115200);
	/* Access size 0: the bit width decides; byte registers. */
	assert_int_equal(spcr_parse(mk_spcr(0, 0, 8, 0, 0xfed00000ULL, 0), 80,
				    &u, &why), 0);
	assert_int_equal(u.width, 1);
	assert_int_equal(u.shift, 0);
	assert_int_equal(u.baud, 0);	/* as is */
}

static void test_spcr_refused(void **state)
{
	struct uart_desc u;
	const char *why = NULL;

	(void)state;
	assert_int_equal(spcr_parse(mk_spcr(3, 0, 32, 3, 0x9000000, 7), 80, &u,
				    &why), -EOPNOTSUPP);
	assert_true(unit_contains(why, "not a 16550"));
	assert_int_equal(spcr_parse(mk_spcr(0, 1, 8, 1, 0, 7), 80, &u, &why),
			 -EINVAL);
	assert_true(unit_contains(why, "base address is 0"));
	assert_int_equal(spcr_parse(mk_spcr(0, 0, 16, 2, 0xfe000000, 7), 80,
				    &u, &why), -EOPNOTSUPP);
	assert_true(unit_contains(why, "neither 8- nor 32-bit"));
	assert_int_equal(spcr_parse(mk_spcr(0, 2, 8, 1, 0x1000, 7), 80, &u,
				    &why), -EOPNOTSUPP);
	assert_int_equal(spcr_parse(mk_spcr(0, 1, 8, 1, 0x2f8, 7), 40, &u,
				    &why), -EINVAL);
	assert_true(unit_contains(why, "too short"));
}

/* A fake PCI bus: a few functions with 64-dword configuration spaces. */
struct fake_fn {
	u32 bdf;
	u32 cfg[64];
};
static struct fake_fn fns[4];
static u32 nr_fns;
static u32 reads;

static struct fake_fn *fn_at(u32 bdf)
{
	for (u32 i = 0; i < nr_fns; i++)
		if (fns[i].bdf == bdf)
			return &fns[i];
	return NULL;
}

static u32 fake_read(void *ctx, u32 bdf, u32 off)
{
	struct fake_fn *f = fn_at(bdf);

	(void)ctx;
	reads++;
	return f ? f->cfg[off / 4] : 0xffffffff;
}

static void fake_write16(void *ctx, u32 bdf, u32 off, u16 val)
{
	struct fake_fn *f = fn_at(bdf);

	(void)ctx;
	assert_non_null(f);
	assert_int_equal(off, 4);
	f->cfg[1] = (f->cfg[1] & 0xffff0000) | val;
}

static struct fake_fn *add_fn(u32 bdf, u32 id, u32 class_rev, u32 hdr)
{
	struct fake_fn *f = &fns[nr_fns++];

	memset(f, 0, sizeof(*f));
	f->bdf = bdf;
	f->cfg[0] = id;
	f->cfg[2] = class_rev;
	f->cfg[3] = hdr << 16;
	return f;
}

static const struct serial_env pci_env = {
	.pci_read32 = fake_read, .pci_write16 = fake_write16,
};

static void cfg_with(struct cfg *c, enum cfg_serial s)
{
	cfg_defaults(c);
	c->serial = s;
}

static void test_pick_auto(void **state)
{
	struct serial_env env = pci_env;
	struct serial_choice ch;
	struct cfg c;

	(void)state;
	cfg_with(&c, CFG_SERIAL_AUTO);
	assert_int_equal(c.serial, CFG_SERIAL_AUTO);	/* the default */
	serial_pick(&c, &env, &ch);
	assert_int_equal(ch.uart.base, 0x3f8);
	assert_string_equal(ch.why, "COM1: no ACPI SPCR table");
	assert_string_equal(ch.what, "16550 at I/O 0x3f8, 115200 baud");

	env.spcr = mk_spcr(0x12, 0, 32, 3, 0xfe030000ULL, 4);
	env.spcr_len = 80;
	serial_pick(&c, &env, &ch);
	assert_int_equal(ch.uart.space, UART_SPACE_MMIO);
	assert_string_equal(ch.why, "the ACPI SPCR table");
	assert_string_equal(ch.what,
			    "16550 at MMIO 0xfe030000 (32-bit registers 4 bytes apart), 19200 baud");
	/* baud = in the config wins over the table's. */
	c.baud = 9600;
	c.baud_set = true;
	serial_pick(&c, &env, &ch);
	assert_int_equal(ch.uart.baud, 9600);

	cfg_with(&c, CFG_SERIAL_AUTO);
	env.spcr = mk_spcr(3, 0, 32, 3, 0x9000000, 7);
	serial_pick(&c, &env, &ch);
	assert_int_equal(ch.uart.base, 0x3f8);
	assert_true(unit_contains(ch.why, "COM1: the ACPI SPCR table is unusable: its interface type is not a 16550"));
}

static void test_pick_pci(void **state)
{
	struct serial_choice ch;
	struct cfg c;
	struct fake_fn *f;

	(void)state;
	cfg_with(&c, CFG_SERIAL_PCI);
	nr_fns = 0;
	serial_pick(&c, &pci_env, &ch);
	assert_int_equal(ch.uart.base, 0x3f8);
	assert_true(unit_contains(ch.why, "COM1: serial = pci but no PCI serial controller"));

	/* A multi-function bridge-less device whose function 2 is a modem
	 * (07/03, skipped), then a 16550 on bus 3 with a 64-bit memory BAR2. */
	add_fn(0x0008, 0x12348086, 0x06000001, 0x80);
	add_fn(0x000a, 0x56788086, 0x07030001, 0x00);
	f = add_fn(0x0300, 0x00021b36, 0x07000201, 0x00);
	f->cfg[4 + 2] = 0x4 | 0x0;	/* BAR2: 64-bit memory, low 0 */
	f->cfg[4 + 3] = 0x1;		/* BAR3: high dword: 0x1_0000_0000 */
	f->cfg[1] = 0x0000;		/* decoding off */
	reads = 0;
	serial_pick(&c, &pci_env, &ch);
	assert_int_equal(ch.uart.space, UART_SPACE_MMIO);
	assert_int_equal(ch.uart.base, 0x100000000ULL);
	assert_int_equal(ch.uart.width, 1);
	assert_string_equal(ch.why, "serial = pci: PCI 03:00.0 (1b36:0002) BAR2");
	assert_int_equal(f->cfg[1] & 3, 2);	/* memory decoding turned on */
	/* Absent devices cost one read each, not eight. */
	assert_true(reads < 256 * 32 + 64);

	/* An I/O BAR0 on an earlier function wins. */
	f = add_fn(0x0010, 0x00031b36, 0x07000200, 0x00);
	f->cfg[4] = 0xc001;
	serial_pick(&c, &pci_env, &ch);
	assert_int_equal(ch.uart.space, UART_SPACE_IO);
	assert_int_equal(ch.uart.base, 0xc000);
	assert_string_equal(ch.why, "serial = pci: PCI 00:02.0 (1b36:0003) BAR0");
	assert_int_equal(f->cfg[1] & 3, 1);
}

static void test_pick_port(void **state)
{
	struct serial_choice ch;
	struct cfg c;

	(void)state;
	cfg_with(&c, CFG_SERIAL_PORT);
	c.serial_port = 0x2e8;
	serial_pick(&c, &pci_env, &ch);
	assert_int_equal(ch.uart.base, 0x2e8);
	assert_string_equal(ch.why, "serial = 0x2e8 in perfvisor.cfg");
}

/* The driver on "MMIO" that is a buffer: registers 4 bytes apart. */
static void test_uart_mmio_access(void **state)
{
	static u32 regs[8];
	struct uart_desc d = {
		.space = UART_SPACE_MMIO, .base = (u64)(uintptr_t)regs,
		.shift = 2, .width = 4, .baud = 57600,
	};

	(void)state;
	memset(regs, 0, sizeof(regs));
	assert_int_equal(uart_setup(&d), 0);
	assert_int_equal(regs[0], 2);		/* divisor 115200 / 57600 (DLL) */
	assert_int_equal(regs[3], 0x03);	/* LCR 8N1 after DLAB */
	assert_int_equal(regs[4], 0x03);	/* MCR DTR|RTS */
	regs[5] = 0x20;				/* LSR: THRE */
	assert_true(uart_putc('x'));
	assert_int_equal(regs[0], 'x');
	regs[5] = 0x01;				/* LSR: data ready */
	regs[0] = 'y';
	assert_int_equal(uart_getc(), 'y');
	assert_int_equal(uart_current()->shift, 2);

	d.width = 2;
	assert_int_equal(uart_setup(&d), -EINVAL);
	d.space = UART_SPACE_IO;
	d.base = 0xfffc;
	d.shift = 0;
	assert_int_equal(uart_setup(&d), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spcr_io),
		cmocka_unit_test(test_spcr_mmio),
		cmocka_unit_test(test_spcr_refused),
		cmocka_unit_test(test_pick_auto),
		cmocka_unit_test(test_pick_pci),
		cmocka_unit_test(test_pick_port),
		cmocka_unit_test(test_uart_mmio_access),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
