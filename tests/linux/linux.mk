# SPDX-License-Identifier: GPL-2.0
#
# End-to-end Linux test under perfvisor (tests/linux/test_linux.py):
#
#   make test-linux   boot Debian's kernel + initramfs as a 2-vCPU guest of
#                     perfvisor in QEMU TCG (SVM), drive its shell, power off
#   make test-linux-bochs   the same kernel + initramfs under perfvisor on the
#                     Intel VMX backend in our Bochs 3.0 (tools/bochs-pmu,
#                     sapphire_rapids) + OVMF (2 vCPUs, 256 MiB, `quiet`):
#                     shell prompt, uname -a, nproc, poweroff.
#                     Slow: see docs/vmx.md for the measured time.
#
# Needs the guest payload (`make guest`, tools/guest/guest.mk) and pytest +
# pexpect for the system python.

LINUX_TEST_PYTHON ?= /usr/bin/python3

test-linux: $(B)/perfvisor.efi guest
	$(LINUX_TEST_PYTHON) -m pytest -p no:cacheprovider -v -s tests/linux

test-linux-bochs: $(B)/perfvisor.efi guest $(BOCHS_PMU_DEP)
	BOCHS_PMU=$(BOCHS_PMU) $(LINUX_TEST_PYTHON) tests/linux/bochs.py \
		--timeout 1200

# The same with our Intel PMU model on (bochsrc pmu=1): Linux's Intel PMU
# driver and perf stat instructions:u of pmuloop exact (docs/bochs-pmu.md).
# Not part of `make test` yet: the guest kernel oopses once perf counts
# (docs/bochs-pmu.md, "Open: Linux oopses under perf").
test-linux-bochs-pmu: $(B)/perfvisor.efi guest $(BOCHS_PMU_DEP)
	BOCHS_PMU=$(BOCHS_PMU) $(LINUX_TEST_PYTHON) tests/linux/bochs.py \
		--pmu on --timeout 1200

.PHONY: test-linux test-linux-bochs test-linux-bochs-pmu

# perf in two Linux guests under perfvisor, on our QEMU with the PMU model
# (tests/linux-pmu/test_linux_pmu.py; docs/qemu-pmu.md).
test-linux-pmu: $(B)/perfvisor.efi guest $(QEMU_PMU_DEP)
	QEMU_PMU=$(abspath $(QEMU_PMU)) $(LINUX_TEST_PYTHON) -m pytest \
		-p no:cacheprovider -v -s tests/linux-pmu

.PHONY: test-linux-pmu
