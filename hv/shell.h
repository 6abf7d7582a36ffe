/* SPDX-License-Identifier: GPL-2.0 */
/* The hypervisor shell on the serial console (see `help`). */
#ifndef HV_SHELL_H
#define HV_SHELL_H

/* One byte of keyboard input while the shell has the console. */
void shell_input(char c);
void shell_prompt(void);
/* Runs one command line (also used by tests). */
void shell_exec(char *line);

#endif /* HV_SHELL_H */
