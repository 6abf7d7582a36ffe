// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's guest-physical map in page_alloc() pages (see hv/mm/gpa_map.h):
 * the table callbacks of hv/mm/paging.c for both backends.
 */
#include <hv/mm/gpa_map.h>
#include <hv/mm/page_alloc.h>

static void *table_alloc(void *opaque, u64 *phys)
{
	void *p = page_alloc(PAGE_SIZE);

	(void)opaque;
	if (p)
		*phys = virt_to_phys(p);
	return p;
}

static void *table_virt(void *opaque, u64 phys)
{
	(void)opaque;
	return phys_to_virt(phys);
}

static void table_free(void *opaque, u64 phys)
{
	(void)opaque;
	page_free(phys_to_virt(phys), PAGE_SIZE);
}

int gpa_map_init(struct pt_ctx *pt, const struct pt_format *fmt,
		 void *opaque)
{
	pt->fmt = fmt;
	pt->alloc_table = table_alloc;
	pt->phys_to_virt = table_virt;
	pt->opaque = opaque;
	return pt_init(pt);
}

void gpa_map_destroy(struct pt_ctx *pt)
{
	pt_destroy(pt, table_free);
}
