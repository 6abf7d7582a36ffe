// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 vendor backends and how one is chosen: from the CPUID vendor
 * string, VMX on Intel, SVM on AMD and Hygon. Generic code only sees the
 * `struct virt_ops` returned here.
 */
#include <hv/string.h>
#include <hv/virt.h>

extern const struct virt_ops svm_ops;
extern const struct virt_ops vmx_ops;

const struct virt_ops *virt_backend_for(const char *vendor)
{
	if (!strcmp(vendor, "AuthenticAMD") || !strcmp(vendor, "HygonGenuine"))
		return &svm_ops;
	if (!strcmp(vendor, "GenuineIntel"))
		return &vmx_ops;
	return NULL;
}
