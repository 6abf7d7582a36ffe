# SPDX-License-Identifier: GPL-2.0-or-later
#
# Bochs 3.0 built from Debian's source with perfvisor's patches
# (docs/bochs-pmu.md): the Bochs of every Bochs test (VMX backend).
# Included by the top-level Makefile; paths are relative to the repository
# root.
#
#   make bochs-pmu        build build/bochs-pmu/bochs (cached)
#   make test-bochs-pmu   build it if needed, then run its tests
#
# Other rules use $(BOCHS_PMU). Setting BOCHS_PMU (environment or command
# line) uses another build of it, e.g. a worktree's:
# `make test-guests-bochs BOCHS_PMU=/path/to/bochs`.

BOCHS_PMU       ?= build/bochs-pmu/bochs
BOCHS_PMU_TESTS := tools/bochs-pmu/tests

.PHONY: bochs-pmu test-bochs-pmu

# build.sh decides freshness itself (source version + patch hash stamp).
bochs-pmu:
	@tools/bochs-pmu/build.sh

# The rules that run Bochs build it first, unless BOCHS_PMU names another.
ifeq ($(origin BOCHS_PMU),file)
BOCHS_PMU_DEP := bochs-pmu
endif

test-bochs-pmu: $(BOCHS_PMU_DEP) $(B)/perfvisor.efi $(GT_ELFS)
	@BOCHS_PMU=$(BOCHS_PMU) $(BOCHS_PMU_TESTS)/run.sh
