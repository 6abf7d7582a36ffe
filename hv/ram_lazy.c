// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM zeroed on first touch: the chunk states of hv/ram_lazy.h.
 *
 * The nested page tables are built in full at creation, every chunk's
 * 2 MiB leaf left empty, so that making a chunk ready only writes its own
 * leaf: no table is allocated, and CPUs may ready different chunks at
 * once (each leaf is one 8-byte store the walker sees whole). A chunk is
 * claimed RAW -> BUSY by one CPU, zeroed, mapped and published READY;
 * whoever finds it BUSY waits for READY (a few milliseconds at most).
 * An empty leaf is never cached as a translation, so mapping one needs
 * no TLB flush; unmapping (a reboot) is followed by the flush every
 * vCPU's reset asks for.
 */
#include <arch/x86/cpu.h>
#include <hv/errno.h>
#include <hv/guest_ram.h>
#include <hv/mm/page_alloc.h>
#include <hv/mm/paging.h>
#include <hv/ram_lazy.h>
#include <hv/vm.h>

static u64 chunk_gpa(const struct vm *vm, u32 c)
{
	u64 off = (u64)c << RAM_CHUNK_SHIFT;
	u64 low = guest_ram_low(vm->ram_size);

	/* low is a multiple of the chunk: no chunk straddles the hole. */
	return off < low ? off : GUEST_RAM_HIGH_BASE + (off - low);
}

static u64 chunk_len(const struct vm *vm, u32 c)
{
	u64 off = (u64)c << RAM_CHUNK_SHIFT;

	return MIN(RAM_CHUNK, vm->ram_size - off);
}

int ram_lazy_init(struct vm *vm)
{
	u32 n = (vm->ram_size + RAM_CHUNK - 1) >> RAM_CHUNK_SHIFT;
	int err = 0;

	vm->ram_state = page_alloc(n);		/* zeroed: all RAM_RAW */
	if (!vm->ram_state)
		return -ENOMEM;
	vm->ram_chunks = n;
	for (u32 c = 0; c < n && !err; c++) {
		u64 gpa = chunk_gpa(vm, c);

		err = virt->vm_map(vm, gpa, vm->ram_hpa +
				   ((u64)c << RAM_CHUNK_SHIFT), chunk_len(vm, c));
		if (!err)
			err = pt_unmap(&vm->gpa_map, gpa, chunk_len(vm, c));
	}
	return err;
}

static int make_ready(struct vm *vm, u32 c, bool zero)
{
	u8 *st = &vm->ram_state[c];
	u64 off = (u64)c << RAM_CHUNK_SHIFT;
	int err;

	for (;;) {
		u8 s = __atomic_load_n(st, __ATOMIC_ACQUIRE);

		if (s == RAM_READY)
			return 0;
		if (s == RAM_RAW &&
		    __atomic_compare_exchange_n(st, &s, RAM_BUSY, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			break;
		cpu_relax();
	}
	if (zero)
		zero_pages(phys_to_virt(vm->ram_hpa + off), chunk_len(vm, c));
	err = virt->vm_map(vm, chunk_gpa(vm, c), vm->ram_hpa + off,
			   chunk_len(vm, c));
	__atomic_store_n(st, err ? RAM_RAW : RAM_READY, __ATOMIC_RELEASE);
	return err;
}

int ram_ready(struct vm *vm, u64 off, u64 len, u64 fill)
{
	u64 end = off + (len ? len : 1), fill_end = off + MIN(fill, len);

	if (off >= vm->ram_size || end > vm->ram_size)
		return -EFAULT;
	for (u32 c = off >> RAM_CHUNK_SHIFT;
	     c <= (end - 1) >> RAM_CHUNK_SHIFT; c++) {
		u64 start = (u64)c << RAM_CHUNK_SHIFT;
		bool written = start >= off &&
			       start + chunk_len(vm, c) <= fill_end;
		int err = make_ready(vm, c, !written);

		if (err)
			return err;
	}
	return 0;
}

int ram_lazy_fault(struct vm *vm, u64 gpa)
{
	u64 off;

	if (!guest_ram_offset(vm->ram_size, gpa, 1, &off))
		return -EFAULT;
	/*
	 * READY already: another vCPU mapped it since this one faulted;
	 * the access succeeds when the guest runs again.
	 */
	return make_ready(vm, off >> RAM_CHUNK_SHIFT, true);
}

void ram_lazy_reset(struct vm *vm)
{
	for (u32 c = 0; c < vm->ram_chunks; c++) {
		if (vm->ram_state[c] == RAM_RAW)
			continue;
		pt_unmap(&vm->gpa_map, chunk_gpa(vm, c), chunk_len(vm, c));
		vm->ram_state[c] = RAM_RAW;
	}
}

u32 ram_ready_chunks(const struct vm *vm)
{
	u32 n = 0;

	for (u32 c = 0; c < vm->ram_chunks; c++)
		n += __atomic_load_n(&vm->ram_state[c], __ATOMIC_RELAXED) ==
		     RAM_READY;
	return n;
}
