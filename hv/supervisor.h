/* SPDX-License-Identifier: GPL-2.0 */
/* The boot CPU's control loop: console, PITs, test mode (hv/supervisor.c). */
#ifndef HV_SUPERVISOR_H
#define HV_SUPERVISOR_H

#include <hv/types.h>

__noreturn void supervisor_loop(void);

#endif /* HV_SUPERVISOR_H */
