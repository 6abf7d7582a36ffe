// SPDX-License-Identifier: GPL-2.0
/* Loading ELF64 guest images (System V gABI, "ELF header", "Program header"). */
#include <hv/elf_load.h>
#include <hv/errno.h>
#include <hv/string.h>

struct elf64_ehdr {
	u8 ident[16];
	u16 type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __packed;

struct elf64_phdr {
	u32 type, flags;
	u64 offset, vaddr, paddr, filesz, memsz, align;
} __packed;

#define PT_LOAD    1
#define EM_X86_64  62
#define ELFCLASS64 2

bool elf_is_elf64(const void *img, u64 size)
{
	const u8 *p = img;

	return size >= sizeof(struct elf64_ehdr) && p[0] == 0x7f &&
	       p[1] == 'E' && p[2] == 'L' && p[3] == 'F' && p[4] == ELFCLASS64;
}

int elf_load(const void *img, u64 size, u8 *ram, u64 ram_size, u64 *entry,
	     const char **why)
{
	return elf_load_ready(img, size, ram, ram_size, NULL, NULL, entry,
			      why);
}

int elf_load_ready(const void *img, u64 size, u8 *ram, u64 ram_size,
		   int (*ready)(void *ctx, u64 paddr, u64 memsz), void *ctx,
		   u64 *entry, const char **why)
{
	const struct elf64_ehdr *eh = img;
	u32 loaded = 0;

	if (!elf_is_elf64(img, size)) {
		*why = "not an ELF64 file";
		return -ENOEXEC;
	}
	if (eh->machine != EM_X86_64 || eh->ident[5] != 1) {
		*why = "not a little-endian x86-64 ELF";
		return -ENOEXEC;
	}
	if (eh->phentsize != sizeof(struct elf64_phdr) || !eh->phnum ||
	    eh->phoff > size ||
	    (u64)eh->phnum * sizeof(struct elf64_phdr) > size - eh->phoff) {
		*why = "program headers lie outside the file";
		return -ENOEXEC;
	}
	for (u32 i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph =
			(const void *)((const u8 *)img + eh->phoff +
				       i * sizeof(*ph));

		if (ph->type != PT_LOAD || !ph->memsz)
			continue;
		if (ph->filesz > ph->memsz || ph->offset > size ||
		    ph->filesz > size - ph->offset) {
			*why = "a segment's file data lies outside the file";
			return -ENOEXEC;
		}
		if (ph->paddr >= ram_size || ph->memsz > ram_size - ph->paddr) {
			*why = "a segment does not fit in the guest's RAM";
			return -ENOEXEC;
		}
		if (ready && ready(ctx, ph->paddr, ph->memsz)) {
			*why = "the guest's RAM for a segment could not be set up";
			return -EFAULT;
		}
		memcpy(ram + ph->paddr, (const u8 *)img + ph->offset,
		       ph->filesz);
		memset(ram + ph->paddr + ph->filesz, 0,
		       ph->memsz - ph->filesz);
		loaded++;
	}
	if (!loaded) {
		*why = "no loadable segment";
		return -ENOEXEC;
	}
	if (eh->entry >= ram_size) {
		*why = "the entry point is outside the guest's RAM";
		return -ENOEXEC;
	}
	*entry = eh->entry;
	return 0;
}
