/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_MM_HOST_MAP_H
#define HV_MM_HOST_MAP_H

#include <hv/types.h>

struct boot_info;

/* Builds the host identity map; returns the CR3 value (below 4 GiB). */
u64 host_map_init(const struct boot_info *bi);

#endif /* HV_MM_HOST_MAP_H */
