# SPDX-License-Identifier: GPL-2.0
#
# Guest payload: Debian's stock kernel and our initramfs (busybox, perf,
# test programs). Included by the top-level Makefile; paths are relative to
# the repository root. See docs/guest-payload.md.
#
#   make guest               kernel + initramfs (cached, cheap when current)
#   make test-linux-direct   boot them directly in QEMU TCG, drive the shell
#   make bench-direct        direct-boot time-to-shell, median of 3

GUEST_DIR     := build/guest
GUEST_KERNEL  := $(GUEST_DIR)/bzImage
GUEST_VMLINUX := $(GUEST_DIR)/vmlinux
GUEST_INITRD  := $(GUEST_DIR)/initramfs.cpio.gz
# Debian's python3 carries pytest and pexpect.
GUEST_PYTHON  ?= /usr/bin/python3

.PHONY: guest guest-kernel guest-initramfs test-linux-direct bench-direct

# The scripts decide freshness themselves (apt candidate versions, input
# hashes), so these always run them.
guest: guest-kernel guest-initramfs

guest-kernel:
	@tools/guest/fetch-kernel.sh

guest-initramfs:
	@tools/guest/mkinitramfs.sh

# File targets, for rules that need the payload to exist.
$(GUEST_KERNEL) $(GUEST_VMLINUX) &:
	@tools/guest/fetch-kernel.sh

$(GUEST_INITRD): tools/guest/mkinitramfs.sh tools/guest/init \
		$(wildcard tools/guest/progs/*.c)
	@tools/guest/mkinitramfs.sh

test-linux-direct: guest
	$(GUEST_PYTHON) -m pytest -p no:cacheprovider -v tests/linux-direct

bench-direct: guest
	tools/guest/bench-direct.sh
