/* SPDX-License-Identifier: GPL-2.0 */
/* Time from the TSC, whose rate the loader measured. */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <hv/types.h>

extern u64 tsc_hz;
extern u64 boot_tsc;

void time_init(u64 hz, u64 tsc_at_boot);
u64 tsc_to_us(u64 ticks);
u64 us_to_tsc(u64 us);
void udelay(u64 us);

#endif /* HV_TIME_H */
