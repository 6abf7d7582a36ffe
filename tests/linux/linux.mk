# SPDX-License-Identifier: GPL-2.0
#
# End-to-end Linux test under perfvisor (tests/linux/test_linux.py):
#
#   make test-linux   boot Debian's kernel + initramfs as a 2-vCPU guest of
#                     perfvisor in QEMU TCG (SVM), drive its shell, power off
#
# Needs the guest payload (`make guest`, tools/guest/guest.mk) and pytest +
# pexpect for the system python.

LINUX_TEST_PYTHON ?= /usr/bin/python3

test-linux: $(B)/perfvisor.efi guest
	$(LINUX_TEST_PYTHON) -m pytest -p no:cacheprovider -v -s tests/linux

.PHONY: test-linux
