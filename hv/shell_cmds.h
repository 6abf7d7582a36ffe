/* SPDX-License-Identifier: GPL-2.0 */
/* The commands of the hypervisor shell (hv/shell.c holds the table). */
#ifndef HV_SHELL_CMDS_H
#define HV_SHELL_CMDS_H

struct vm;

void cmd_vms(int argc, char **argv);
void cmd_vcpus(int argc, char **argv);
void cmd_exits(int argc, char **argv);
void cmd_trace(int argc, char **argv);
void cmd_cpus(int argc, char **argv);
void cmd_mem(int argc, char **argv);
void cmd_pmu(int argc, char **argv);
void cmd_log(int argc, char **argv);
void cmd_loglevel(int argc, char **argv);
void cmd_attach(int argc, char **argv);
void cmd_stop(int argc, char **argv);
void cmd_reset(int argc, char **argv);
void cmd_start(int argc, char **argv);
/* hv/power.c */
void cmd_reboot(int argc, char **argv);
void cmd_poweroff(int argc, char **argv);
/* The VM a command's argument names: by name, else by index; or NULL. */
struct vm *shell_vm_arg(const char *arg);
/* hv/hw_report.c */
void cmd_hw(int argc, char **argv);

#endif /* HV_SHELL_CMDS_H */
