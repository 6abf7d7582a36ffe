/* sources: hv/elf_load.c */
/* flags: -max_len=16384 */
// SPDX-License-Identifier: GPL-2.0
/*
 * The ELF64 loader of the test guests (hv/elf_load.c) on any bytes, as
 * hv/vm_create.c calls it: into a guest RAM of its own buffer (ASan sees a
 * write past its end), with the entry point inside it.
 */
#include "fuzz.h"
#include <hv/elf_load.h>

#define RAM_SIZE   (2 * MiB)
#define SMALL_SIZE (64 * KiB)

FUZZ_NOCOV
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 *ram, *small;
	const char *why = NULL;
	u64 entry = ~0ull;
	int err;

	if (!ram) {
		ram = malloc(RAM_SIZE);
		small = malloc(SMALL_SIZE);
	}
	if (!elf_is_elf64(data, size))
		return 0;
	err = elf_load(data, size, ram, RAM_SIZE, &entry, &why);
	if (err) {
		CHECK(err == -ENOEXEC && why);
		return 0;
	}
	CHECK(entry < RAM_SIZE);
	/* A smaller guest: the same image either fits or is refused. */
	err = elf_load(data, size, small, SMALL_SIZE, &entry, &why);
	CHECK(!err || (err == -ENOEXEC && why));
	CHECK(err || entry < SMALL_SIZE);
	return 0;
}
