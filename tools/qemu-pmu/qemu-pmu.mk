# SPDX-License-Identifier: GPL-2.0-or-later
#
# QEMU with perfvisor's TCG model of an AMD PerfMonV2 PMU (docs/qemu-pmu.md).
# Included by the top-level Makefile; paths are relative to the repository
# root.
#
#   make qemu-pmu        build build/qemu-pmu/qemu-system-x86_64 (cached)
#   make test-qemu-pmu   build it if needed, then run the model's tests
#
# Other rules use $(QEMU_PMU), with e.g. -cpu max,tcg-pmu=on. Setting
# QEMU_PMU (environment or command line) uses another build of it, e.g. a
# worktree's: `make test-guests QEMU_PMU=/path/to/qemu-system-x86_64`.

QEMU_PMU       ?= build/qemu-pmu/qemu-system-x86_64
QEMU_PMU_TESTS := tools/qemu-pmu/tests

.PHONY: qemu-pmu test-qemu-pmu

# build.sh decides freshness itself (source version + patch hash stamp).
qemu-pmu:
	@tools/qemu-pmu/build.sh

$(QEMU_PMU): tools/qemu-pmu/build.sh $(wildcard tools/qemu-pmu/patches/*.patch)
	@tools/qemu-pmu/build.sh

test-qemu-pmu: qemu-pmu
	@$(QEMU_PMU_TESTS)/run.sh
