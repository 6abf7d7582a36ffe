// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX backend: not written yet. The probe says so, so that an Intel
 * machine gets a clear message instead of a crash.
 */
#include <hv/errno.h>
#include <hv/string.h>
#include <hv/virt.h>

static int vmx_probe(struct virt_caps *caps)
{
	strlcpy(caps->missing, "a VMX backend (not implemented yet)",
		sizeof(caps->missing));
	return -ENODEV;
}

const struct virt_ops vmx_ops = {
	.name = "Intel VMX",
	.probe = vmx_probe,
};
