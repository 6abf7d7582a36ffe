/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VM's guest-physical map (AMD nested page tables or Intel EPT: the
 * format is the backend's) with its tables in page_alloc() pages.
 */
#ifndef HV_MM_GPA_MAP_H
#define HV_MM_GPA_MAP_H

#include <hv/mm/paging.h>

/* Sets up @pt in @fmt with an empty root table; -ENOMEM without memory. */
int gpa_map_init(struct pt_ctx *pt, const struct pt_format *fmt,
		 void *opaque);

/* Frees every table of @pt. */
void gpa_map_destroy(struct pt_ctx *pt);

#endif /* HV_MM_GPA_MAP_H */
