# SPDX-License-Identifier: GPL-2.0
#
# Host unit tests (cmocka, ASan + UBSan). Included by the top-level
# Makefile; paths are relative to the repository root.
#
# Every tests/unit/test_*.c becomes build/unit/test_* linked with
# tests/unit/support.c and the hypervisor sources its first lines name:
#
#   /* sources: hv/mm/palloc.c boot/config.c */
#
# `make test-unit` builds and runs them all (a test that fails to build or
# crashes counts as a failure, the others still run) and prints
# "unit: N passed, M failed" counting cmocka test cases.

UNIT_CC     ?= cc
UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	       -fsanitize=address,undefined -fno-sanitize-recover=all \
	       -fno-omit-frame-pointer -I.
UNIT_LDLIBS := -lcmocka
UNIT_DIR    := build/unit
UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))
UNIT_NAMES  := $(UNIT_SRCS:tests/unit/%.c=%)
UNIT_BINS   := $(UNIT_NAMES:%=$(UNIT_DIR)/%)
UNIT_HDRS   := $(wildcard hv/*.h hv/*/*.h arch/*/*.h boot/*.h drivers/*.h \
		 tests/unit/*.h)

# The hypervisor sources named by a test's "/* sources: ... */" line.
unit_sources = $(shell sed -n '1,20{s|^/\* *sources:\(.*\)\*/.*|\1|p}' $(1))

define UNIT_RULE
$(UNIT_DIR)/$(1): tests/unit/$(1).c tests/unit/support.c \
		$(call unit_sources,tests/unit/$(1).c) $(UNIT_HDRS)
	@mkdir -p $(UNIT_DIR)
	@echo "  UNITCC  $$@"
	@$(UNIT_CC) $(UNIT_CFLAGS) -o $$@ $$(filter %.c,$$^) $(UNIT_LDLIBS) \
		|| { rm -f $$@; exit 1; }
endef
$(foreach t,$(UNIT_NAMES),$(eval $(call UNIT_RULE,$(t))))

.PHONY: test-unit unit-build
unit-build: $(UNIT_BINS)

test-unit:
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) -k unit-build; \
	pass=0; fail=0; \
	for t in $(UNIT_NAMES); do \
		bin=$(UNIT_DIR)/$$t; log=$(UNIT_DIR)/$$t.log; \
		if [ ! -x $$bin ]; then \
			echo "unit: $$t: did not build"; fail=$$((fail + 1)); \
			continue; \
		fi; \
		CMOCKA_MESSAGE_OUTPUT=stdout ASAN_OPTIONS=detect_leaks=1 \
			UBSAN_OPTIONS=print_stacktrace=1 ./$$bin >$$log 2>&1; \
		rc=$$?; cat $$log; \
		p=$$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' $$log | \
		     awk '{ s += $$1 } END { print s + 0 }'); \
		f=$$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' $$log | \
		     awk '{ s += $$1 } END { print s + 0 }'); \
		if [ $$rc -ne 0 ] && [ $$f -eq 0 ]; then \
			echo "unit: $$t: exited with status $$rc"; \
			if ! grep -q '^\[  PASSED  \]' $$log; then \
				p=$$(grep -c '^\[       OK \]' $$log); \
			fi; \
			f=$$(($$(grep -c '^\[  FAILED  \] [^0-9]' $$log) + 1)); \
		fi; \
		pass=$$((pass + p)); fail=$$((fail + f)); \
	done; \
	echo "unit: $$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ]
