/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_ELF_LOAD_H
#define HV_ELF_LOAD_H

#include <hv/types.h>

bool elf_is_elf64(const void *img, u64 size);
/*
 * Loads the PT_LOAD segments of an x86-64 ELF image into guest memory by
 * their physical addresses. Every field is checked against the file and
 * RAM sizes. Returns 0 and the entry point, or -ENOEXEC with *why set.
 */
int elf_load(const void *img, u64 size, u8 *ram, u64 ram_size, u64 *entry,
	     const char **why);
/*
 * The same, calling @ready(@ctx, paddr, memsz) before each segment is
 * written (a nonzero return fails the load with -EFAULT).
 */
int elf_load_ready(const void *img, u64 size, u8 *ram, u64 ram_size,
		   int (*ready)(void *ctx, u64 paddr, u64 memsz), void *ctx,
		   u64 *entry, const char **why);

#endif /* HV_ELF_LOAD_H */
