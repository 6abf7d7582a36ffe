# SPDX-License-Identifier: GPL-2.0
#
# libFuzzer harnesses (clang, ASan + UBSan). Included by the top-level
# Makefile; paths are relative to the repository root.
#
# Every tests/fuzz/fuzz_NAME.c becomes build/fuzz/NAME, linked with
# tests/fuzz/support.c, tests/unit/support.c and the hypervisor sources its
# first lines name, as the unit tests do:
#
#   /* sources: boot/config.c hv/lib/printf.c */
#   /* flags: -dict=tests/fuzz/config.dict -max_len=4096 */
#
# (flags: libFuzzer options for every run). Its seed corpus, committed, is
# tests/fuzz/corpus/NAME/.
#
#   make fuzz        each harness for FUZZ_TIME seconds (default 60; 0: no
#                    limit), new inputs in build/fuzz/corpus/NAME, crashes
#                    in build/fuzz/crashes/; FUZZ=NAME... picks harnesses,
#                    FUZZ_ARGS adds libFuzzer options (e.g. -runs=10000000)
#   make test-fuzz   each harness over the committed corpus, then
#                    FUZZ_SMOKE_RUNS mutations from it (a count, not a time)
#   make fuzz-cov    line and branch coverage of the hypervisor sources over
#                    the committed and the grown corpus (FUZZ=NAME... too)

FUZZ_CC     ?= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	       -fno-omit-frame-pointer -fno-builtin-strerror -I.
FUZZ_DIR    := build/fuzz
FUZZ_SRCS   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_ALL    := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
FUZZ        ?= $(FUZZ_ALL)
FUZZ_BINS   := $(FUZZ_ALL:%=$(FUZZ_DIR)/%)
FUZZ_TIME   ?= 60
FUZZ_SMOKE_RUNS ?= 10000
FUZZ_ARGS   ?=
FUZZ_HDRS   := $(wildcard hv/*.h hv/*/*.h arch/*/*.h boot/*.h drivers/*.h \
		 tests/fuzz/*.h)

$(B)/.deps-fuzz:
	@tools/install-deps.sh fuzz
	@mkdir -p $(B) && touch $@

define FUZZ_RULE
$(FUZZ_DIR)/$(1): tests/fuzz/fuzz_$(1).c tests/fuzz/support.c \
		tests/unit/support.c \
		$(call unit_sources,tests/fuzz/fuzz_$(1).c) $(FUZZ_HDRS) \
		| $(B)/.deps-fuzz
	@mkdir -p $(FUZZ_DIR)
	@echo "  FUZZCC  $$@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -o $$@ $$(filter %.c,$$^) \
		|| { rm -f $$@; exit 1; }
endef
$(foreach t,$(FUZZ_ALL),$(eval $(call FUZZ_RULE,$(t))))

.PHONY: fuzz fuzz-build fuzz-cov test-fuzz
fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ:%=$(FUZZ_DIR)/%)
	@tests/fuzz/run.sh fuzz $(FUZZ_TIME) "$(FUZZ_ARGS)" $(FUZZ)

test-fuzz: $(FUZZ_BINS)
	@tests/fuzz/run.sh smoke $(FUZZ_SMOKE_RUNS) "" $(FUZZ_ALL)

fuzz-cov: | $(B)/.deps-fuzz
	@tests/fuzz/coverage.sh $(FUZZ)
