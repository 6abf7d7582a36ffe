// SPDX-License-Identifier: GPL-2.0
/* Reading perfvisor.cfg and guest images from the boot volume. */
#include <boot/efi.h>
#include <hv/log.h>
#include <hv/string.h>

#define MAX_PATH_CHARS 256

EFI_STATUS efi_open_boot_volume(EFI_HANDLE image, EFI_FILE_HANDLE *root)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;
	EFI_FILE_IO_INTERFACE *fs;
	EFI_STATUS s;

	s = efi_bs->HandleProtocol(image, &li_guid, (void **)&li);
	if (EFI_ERROR(s))
		return s;
	s = efi_bs->HandleProtocol(li->DeviceHandle, &fs_guid, (void **)&fs);
	if (EFI_ERROR(s))
		return s;
	return fs->OpenVolume(fs, root);
}

void *efi_alloc_pages(u64 size, u64 max_addr)
{
	EFI_PHYSICAL_ADDRESS addr = max_addr ? max_addr : ~0ULL;
	UINTN pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	EFI_STATUS s;

	if (!pages)
		pages = 1;
	s = efi_bs->AllocatePages(max_addr ? AllocateMaxAddress :
					     AllocateAnyPages,
				  EfiLoaderData, pages, &addr);
	if (EFI_ERROR(s))
		return NULL;
	memset((void *)addr, 0, pages * PAGE_SIZE);
	return (void *)addr;
}

static bool to_efi_path(const char *path, CHAR16 *out, size_t max)
{
	size_t i = 0;

	if (*path != '/' && *path != '\\')
		out[i++] = L'\\';
	for (; *path; path++) {
		if (i + 1 >= max)
			return false;
		out[i++] = *path == '/' ? L'\\' : (CHAR16)(u8)*path;
	}
	out[i] = 0;
	return true;
}

EFI_STATUS efi_read_file(EFI_FILE_HANDLE root, const char *path, void **data,
			 u64 *size)
{
	EFI_GUID info_guid = EFI_FILE_INFO_ID;
	CHAR16 wpath[MAX_PATH_CHARS];
	union {
		EFI_FILE_INFO info;
		u8 raw[SIZE_OF_EFI_FILE_INFO + MAX_PATH_CHARS * 2];
	} fi;
	UINTN len = sizeof(fi);
	EFI_FILE_HANDLE f;
	EFI_STATUS s;
	void *buf;

	if (!to_efi_path(path, wpath, MAX_PATH_CHARS))
		return EFI_INVALID_PARAMETER;
	s = root->Open(root, &f, wpath, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(s))
		return s;
	s = f->GetInfo(f, &info_guid, &len, &fi);
	if (EFI_ERROR(s))
		goto out;
	if (fi.info.Attribute & EFI_FILE_DIRECTORY) {
		s = EFI_INVALID_PARAMETER;
		goto out;
	}
	/* One extra zeroed page so text files are NUL-terminated. */
	buf = efi_alloc_pages(fi.info.FileSize + 1, 0);
	if (!buf) {
		s = EFI_OUT_OF_RESOURCES;
		goto out;
	}
	len = fi.info.FileSize;
	s = f->Read(f, &len, buf);
	if (!EFI_ERROR(s) && len != fi.info.FileSize)
		s = EFI_END_OF_FILE;
	if (EFI_ERROR(s)) {
		efi_bs->FreePages((EFI_PHYSICAL_ADDRESS)buf,
				  (fi.info.FileSize + PAGE_SIZE) / PAGE_SIZE);
		goto out;
	}
	*data = buf;
	*size = fi.info.FileSize;
out:
	f->Close(f);
	return s;
}
