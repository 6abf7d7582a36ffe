/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest RAM zeroed on first touch (hv/ram_lazy.c).
 *
 * A guest's RAM is one host block of whatever the allocator held before
 * (other guests' data, the firmware's): it must read as zero. Zeroing it
 * all at creation costs time in proportion to its size (seconds for
 * 512 MiB under an emulator), while a guest that boots touches a fraction.
 * So the RAM is cut into 2 MiB chunks, each in one of three states:
 *
 *   RAM_RAW    not mapped in the nested page tables, contents undefined;
 *   RAM_BUSY   being zeroed (or filled by a loader) and mapped by one CPU;
 *   RAM_READY  zero or written since, mapped: the guest reaches it.
 *
 * A chunk becomes ready on the guest's first access (a nested page fault,
 * exit kind `ram-zero`) or when the hypervisor itself reaches it
 * (gpa_to_hva(), the image loaders). A loader that writes a whole chunk
 * skips its zeroing. Nothing maps a chunk before it is zero or written, so
 * the guest never sees what was there.
 */
#ifndef HV_RAM_LAZY_H
#define HV_RAM_LAZY_H

#include <hv/types.h>

struct vm;

#define RAM_CHUNK_SHIFT 21
#define RAM_CHUNK (1ULL << RAM_CHUNK_SHIFT)

enum { RAM_RAW = 0, RAM_BUSY = 1, RAM_READY = 2 };

/* The chunk states and the nested page tables (no chunk mapped yet). */
int ram_lazy_init(struct vm *vm);
/*
 * Makes the chunks of host offsets [off, off + len) ready; @fill bytes from
 * @off on are the caller's to write in full right after, so chunks inside
 * them are not zeroed. len 0 counts as 1.
 */
int ram_ready(struct vm *vm, u64 off, u64 len, u64 fill);
/*
 * A nested page fault at @gpa, which is guest RAM (guest_ram_offset()):
 * makes its chunk ready; the guest then runs the access again.
 */
int ram_lazy_fault(struct vm *vm, u64 gpa);
/* Every chunk raw and unmapped again (a reboot; no vCPU runs). */
void ram_lazy_reset(struct vm *vm);
/* Chunks ready, for the shell. */
u32 ram_ready_chunks(const struct vm *vm);

#endif /* HV_RAM_LAZY_H */
