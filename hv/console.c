// SPDX-License-Identifier: GPL-2.0
/*
 * The physical serial console, shared by the hypervisor shell and the
 * guests. The console has one focus: the shell, or one guest.
 *
 * - A focused guest's UART output passes raw and it gets the keyboard.
 * - With the shell in focus, guest output is shown line by line with the
 *   guest's name in front and control bytes escaped, so several guests
 *   stay readable and none can forge the hypervisor's lines.
 * - Every guest's output is also kept in a ring, replayed when it gains
 *   the focus (hv/console_out_drain.c).
 * - The escape key (`escape =`, default Ctrl-A): then h (or 0) the shell,
 *   1..9 the n-th guest, n the next guest, the escape key again a literal
 *   one for the guest, ? help.
 */
#include <drivers/uart16550.h>
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/console_text.h>
#include <hv/log.h>
#include <hv/shell.h>
#include <hv/string.h>
#include <hv/vm.h>
#include <hv/vuart.h>

static bool escape_pending;
static char key_name[8];

u8 console_escape_key(void)
{
	return boot_info->cfg.escape;
}

const char *console_escape_name(void)
{
	if (!key_name[0])
		console_key_name(console_escape_key(), key_name);
	return key_name;
}

void console_focus(struct vm *vm)
{
	if (vm)
		console_printf("\n[console: vm %s; %s h for the hypervisor shell]\n",
			       vm->name, console_escape_name());
	else
		console_printf("\n[console: hypervisor shell; %s ? for keys]\n",
			       console_escape_name());
	console_out_focus(vm);
	if (!vm)
		shell_prompt();
}

static void escape_key(int c)
{
	struct vm *focus = console_focused();

	escape_pending = false;
	if (c == console_escape_key()) {
		if (focus && focus->state == VM_RUNNING)
			vuart_receive(focus, (u8)c);
		return;
	}
	if (c == 'h' || c == '0') {
		console_focus(NULL);
	} else if (c >= '1' && c <= '9') {
		u32 i = c - '1';

		if (i < nr_vms)
			console_focus(vms[i]);
	} else if (c == 'n' && nr_vms) {
		u32 next = 0;

		for (u32 i = 0; i < nr_vms; i++)
			if (vms[i] == focus)
				next = (i + 1) % nr_vms;
		console_focus(vms[next]);
	} else if (c == '?') {
		const char *k = console_escape_name();

		console_printf("\n[%s then: h shell, 1-9 guest n, n next guest, %s a literal %s]\n",
			       k, k, k);
	}
}

void console_poll_input(void)
{
	int c;

	while ((c = uart_getc()) >= 0) {
		struct vm *focus = console_focused();

		if (escape_pending)
			escape_key(c);
		else if (c == console_escape_key())
			escape_pending = true;
		else if (focus)
			vuart_receive(focus, (u8)c);
		else
			shell_input((char)c);
	}
}

static void attach_configured(void)
{
	const char *want = boot_info->cfg.console;

	if (!*want)
		return;
	for (u32 i = 0; i < nr_vms; i++) {
		if (!strcmp(vms[i]->name, want)) {
			console_focus(vms[i]);
			return;
		}
	}
	pr_warn("console: no running vm named '%s'\n", want);
}

void console_start(void)
{
	if (boot_info->cfg.mode == CFG_MODE_TEST)
		return;
	console_printf("perfvisor: %s h for the hypervisor shell, %s ? for keys\n",
		       console_escape_name(), console_escape_name());
	attach_configured();
}
