// SPDX-License-Identifier: GPL-2.0
#include <arch/x86/cpu.h>
#include <hv/errno.h>
#include <hv/gmem.h>
#include <hv/guest_ram.h>
#include <hv/mm/page_alloc.h>
#include <hv/ram_lazy.h>
#include <hv/string.h>

void *gpa_to_hva_fill(struct vm *vm, gpa_t gpa, u64 len, u64 fill)
{
	u64 off, c;

	if (!guest_ram_offset(vm->ram_size, gpa, len, &off))
		return NULL;
	/* The exit paths' case: a few bytes in a chunk that is ready. */
	c = off >> RAM_CHUNK_SHIFT;
	if (unlikely(((off + len - !!len) >> RAM_CHUNK_SHIFT) != c ||
		     __atomic_load_n(&vm->ram_state[c], __ATOMIC_ACQUIRE) !=
			     RAM_READY) &&
	    ram_ready(vm, off, len, fill))
		return NULL;
	return phys_to_virt(vm->ram_hpa + off);
}

void *gpa_to_hva(struct vm *vm, gpa_t gpa, u64 len)
{
	return gpa_to_hva_fill(vm, gpa, len, 0);
}

int gpa_read(struct vm *vm, gpa_t gpa, void *buf, u64 len)
{
	void *p = gpa_to_hva(vm, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

int gpa_write(struct vm *vm, gpa_t gpa, const void *buf, u64 len)
{
	void *p = gpa_to_hva(vm, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

/* A paging entry: naturally aligned, so read whole (no tearing). */
static int read_entry(struct vm *vm, gpa_t table, u32 index, u32 size,
		      u64 *entry)
{
	const void *p = gpa_to_hva(vm, table + (u64)index * size, size);

	*entry = 0;
	if (!p)
		return -EFAULT;
	*entry = size == 8 ? __atomic_load_n((const u64 *)p, __ATOMIC_RELAXED) :
			     __atomic_load_n((const u32 *)p, __ATOMIC_RELAXED);
	return 0;
}

int gva_to_gpa(struct vm *vm, const struct vcpu_sregs *s, u64 gva,
	       gpa_t *gpa)
{
	u64 e, table = s->cr3 & PT_ADDR_MASK;

	if (!(s->cr0 & X86_CR0_PG)) {
		*gpa = gva;
		return 0;
	}
	if (s->efer & X86_EFER_LMA) {
		/* 4-level: PML4, PDPT, PD, PT; 1 GiB and 2 MiB leaves. */
		for (int level = 3; level >= 0; level--) {
			u32 idx = (gva >> (12 + 9 * level)) & 0x1ff;

			if (read_entry(vm, table, idx, 8, &e) || !(e & 1))
				return -EFAULT;
			if (level == 0 || ((e & BIT(7)) && level <= 2)) {
				u64 mask = (1ULL << (12 + 9 * level)) - 1;

				*gpa = (e & PT_ADDR_MASK & ~mask) | (gva & mask);
				return 0;
			}
			table = e & PT_ADDR_MASK;
		}
		return -EFAULT;
	}
	if (s->cr4 & X86_CR4_PAE) {
		/* PAE: 4 PDPTEs from CR3[31:5], then PD and PT. */
		if (read_entry(vm, s->cr3 & 0xffffffe0, (gva >> 30) & 3, 8, &e) ||
		    !(e & 1))
			return -EFAULT;
		table = e & PT_ADDR_MASK;
		if (read_entry(vm, table, (gva >> 21) & 0x1ff, 8, &e) ||
		    !(e & 1))
			return -EFAULT;
		if (e & BIT(7)) {
			*gpa = (e & PT_ADDR_MASK & ~0x1fffffULL) |
			       (gva & 0x1fffff);
			return 0;
		}
		table = e & PT_ADDR_MASK;
		if (read_entry(vm, table, (gva >> 12) & 0x1ff, 8, &e) ||
		    !(e & 1))
			return -EFAULT;
		*gpa = (e & PT_ADDR_MASK) | (gva & 0xfff);
		return 0;
	}
	/* 32-bit paging: PD and PT of 1024 entries, 4 MiB pages with PSE. */
	if (read_entry(vm, s->cr3 & 0xfffff000, (gva >> 22) & 0x3ff, 4, &e) ||
	    !(e & 1))
		return -EFAULT;
	if ((e & BIT(7)) && (s->cr4 & BIT(4))) {
		*gpa = (e & 0xffc00000) | (gva & 0x3fffff);
		return 0;
	}
	table = e & 0xfffff000;
	if (read_entry(vm, table, (gva >> 12) & 0x3ff, 4, &e) || !(e & 1))
		return -EFAULT;
	*gpa = (e & 0xfffff000) | (gva & 0xfff);
	return 0;
}

enum insn_mode gmem_insn_mode(const struct vcpu_sregs *s)
{
	if ((s->efer & X86_EFER_LMA) && (s->cs.attr & SEG_ATTR_L))
		return INSN_MODE_64;
	if ((s->cr0 & X86_CR0_PE) && (s->cs.attr & SEG_ATTR_DB))
		return INSN_MODE_32;
	return INSN_MODE_16;
}

int gva_fetch(struct vcpu *vcpu, const struct vcpu_sregs *s, u64 rip,
	      u8 *buf, int len)
{
	u64 lin = rip;
	int n = 0;

	if (gmem_insn_mode(s) != INSN_MODE_64)
		lin = (u32)(s->cs.base + rip);
	/*
	 * One translation per guest page: an instruction may cross a page
	 * boundary, and the two pages need not be adjacent in guest-physical
	 * space. A guest page lies wholly in RAM or wholly outside it (RAM's
	 * parts are 2 MiB aligned), so a page's bytes are all read or none.
	 */
	while (n < len) {
		u64 at = lin + n;
		int chunk = (int)(PAGE_SIZE - (at & (PAGE_SIZE - 1)));
		gpa_t gpa;

		if (chunk > len - n)
			chunk = len - n;
		if (gva_to_gpa(vcpu->vm, s, at, &gpa) ||
		    gpa_read(vcpu->vm, gpa, &buf[n], chunk))
			break;
		n += chunk;
	}
	return n;
}
