# SPDX-License-Identifier: GPL-2.0
#
# perfvisor: one Makefile for the hypervisor, its images, guests and tests.
#
#   make              build/perfvisor.efi
#   make image        build/perfvisor.img (GPT disk, FAT ESP, config, guests)
#   make run          boot the image in QEMU (TCG, SVM, our PMU model; PMU=0:
#                     the system's QEMU), serial on the terminal
#   make test         unit tests, fuzz smoke, guest-tests, end-to-end tests
#   make fuzz         each libFuzzer harness for FUZZ_TIME seconds
#   make usb DEV=/dev/sdX   write the image to a USB stick (SIGN=key.pem
#                     CERT=cert.pem: signed for Secure Boot)
#
# Missing Debian packages are installed by tools/install-deps.sh.

CROSS_COMPILE ?= x86_64-linux-gnu-
CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NASM    ?= nasm
PYTHON  ?= python3

B       := build
EFI_INC ?= /usr/include/efi
EFI_LIB ?= /usr/lib
QEMU    ?= qemu-system-x86_64
OVMF    ?= /usr/share/ovmf/OVMF.fd
SMP     ?= 4
MEM     ?= 2048
CPU     ?= max
CFG     ?= tools/cfg/default.cfg

VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)

# ---------------------------------------------------------------------------
# The hypervisor

HV_SRCS := $(sort $(wildcard boot/*.c hv/*.c hv/lib/*.c hv/mm/*.c pmu/*.c \
			     arch/x86/*.c drivers/*.c))
HV_ASMS := $(sort $(wildcard arch/x86/*.asm))
HV_OBJS := $(HV_SRCS:%.c=$(B)/hv/%.o) $(HV_ASMS:%.asm=$(B)/hv/%.o)

HV_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-stack-protector \
	-fno-stack-check -fpic -fshort-wchar -mno-red-zone \
	-mgeneral-regs-only -maccumulate-outgoing-args \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-D__PERFVISOR__ -DPERFVISOR_VERSION='"$(VERSION)"' -I. -MMD -MP
# Only the UEFI loader sees gnu-efi's headers.
EFI_CFLAGS := -I$(EFI_INC) -I$(EFI_INC)/x86_64 -DGNU_EFI_USE_MS_ABI

all: $(B)/perfvisor.efi

$(B)/.deps-core:
	@tools/install-deps.sh core
	@mkdir -p $(B) && touch $@

$(B)/hv/boot/%.o: boot/%.c | $(B)/.deps-core
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(HV_CFLAGS) $(EFI_CFLAGS) -c $< -o $@

$(B)/hv/%.o: %.c | $(B)/.deps-core
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(HV_CFLAGS) -c $< -o $@

$(B)/hv/%.o: %.asm | $(B)/.deps-core
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -g -I./ -o $@ $<

$(B)/perfvisor.so: $(HV_OBJS) linker.ld
	@echo "  LD      $@"
	@$(LD) -nostdlib -znocombreloc -shared -Bsymbolic -T linker.ld \
		$(EFI_LIB)/crt0-efi-x86_64.o $(HV_OBJS) -L$(EFI_LIB) -lgnuefi \
		-o $@

$(B)/perfvisor.efi: $(B)/perfvisor.so
	@echo "  EFI     $@"
	@$(OBJCOPY) -j .text -j .reloc -j .data -j .dynamic -j .rela \
		-j .dynsym -j .dynstr --target efi-app-x86_64 --subsystem=10 \
		$< $@
	@echo "  perfvisor.efi: $$(stat -c %s $@) bytes"

-include $(HV_OBJS:.o=.d)

# The test build: build/perfvisor-hooks.efi is the product plus fault
# injection (the shell's `fault`, arch/x86/fault_hooks.c), for
# tests/console/test_faults.py. Only the files that look at PV_HOOKS are
# compiled again; the product binary never has the hooks.
HOOKS_SRCS := arch/x86/fault.c arch/x86/fault_hooks.c arch/x86/trap.c hv/shell.c
HOOKS_OBJS := $(HOOKS_SRCS:%.c=$(B)/hooks/%.o) \
	      $(filter-out $(HOOKS_SRCS:%.c=$(B)/hv/%.o),$(HV_OBJS))

$(B)/hooks/%.o: %.c | $(B)/.deps-core
	@mkdir -p $(dir $@)
	@echo "  CC      $< (hooks)"
	@$(CC) $(HV_CFLAGS) -DPV_HOOKS -c $< -o $@

$(B)/perfvisor-hooks.so: $(HOOKS_OBJS) linker.ld
	@echo "  LD      $@"
	@$(LD) -nostdlib -znocombreloc -shared -Bsymbolic -T linker.ld \
		$(EFI_LIB)/crt0-efi-x86_64.o $(HOOKS_OBJS) -L$(EFI_LIB) -lgnuefi \
		-o $@

$(B)/perfvisor-hooks.efi: $(B)/perfvisor-hooks.so
	@echo "  EFI     $@"
	@$(OBJCOPY) -j .text -j .reloc -j .data -j .dynamic -j .rela \
		-j .dynsym -j .dynstr --target efi-app-x86_64 --subsystem=10 \
		$< $@

-include $(HOOKS_SRCS:%.c=$(B)/hooks/%.d)

# ---------------------------------------------------------------------------
# Test guests (guest-tests/): freestanding ELF64 kernels, one behaviour each

GT_LIB_SRCS := $(sort $(wildcard guest-tests/lib/*.c))
GT_LIB_ASMS := $(sort $(wildcard guest-tests/lib/*.asm))
GT_LIB_OBJS := $(GT_LIB_SRCS:%.c=$(B)/%.o) $(GT_LIB_ASMS:%.asm=$(B)/%.o) \
	       $(B)/guest-tests/lib/hv-printf.o $(B)/guest-tests/lib/hv-string.o
# guest-tests/mb_*.c are 32-bit Multiboot kernels, built below.
GT_SRCS     := $(sort $(filter-out guest-tests/mb_%.c, \
			$(wildcard guest-tests/*.c)))
GT_ELFS     := $(GT_SRCS:guest-tests/%.c=$(B)/guest-tests/%.elf)

GT_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-stack-protector \
	-fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -Wall -Wextra -Werror \
	-Wno-unused-parameter -I. -Iguest-tests/lib -MMD -MP

$(B)/guest-tests/%.o: guest-tests/%.c | $(B)/.deps-core
	@mkdir -p $(dir $@)
	@echo "  GCC     $<"
	@$(CC) $(GT_CFLAGS) -c $< -o $@

# The guests share the hypervisor's printf and string functions.
$(B)/guest-tests/lib/hv-%.o: hv/lib/%.c | $(B)/.deps-core
	@mkdir -p $(dir $@)
	@echo "  GCC     $< (guest)"
	@$(CC) $(GT_CFLAGS) -c $< -o $@

$(B)/guest-tests/%.o: guest-tests/%.asm | $(B)/.deps-core
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -I./ -o $@ $<

$(B)/guest-tests/%.elf: $(B)/guest-tests/%.o $(GT_LIB_OBJS) \
		guest-tests/lib/guest.ld
	@echo "  LD      $@"
	@$(LD) -nostdlib -static -z max-page-size=4096 \
		-T guest-tests/lib/guest.ld -o $@ $< $(GT_LIB_OBJS)

# Multiboot test kernels (guest-tests/mb_*.c): 32-bit ELF, entered by the
# Multiboot protocol in protected mode; their own entry, library and linker
# script (guest-tests/lib32/). Their .elf joins GT_ELFS.
MB_SRCS     := $(sort $(wildcard guest-tests/mb_*.c))
MB_ELFS     := $(MB_SRCS:guest-tests/%.c=$(B)/guest-tests/%.elf)
MB_LIB_OBJS := $(B)/guest-tests/lib32/entry.o $(B)/guest-tests/lib32/gt32.o

MB_CFLAGS := -std=gnu11 -O2 -g -m32 -march=i686 -ffreestanding \
	-fno-stack-protector -fno-pic -fno-pie -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -Wall -Wextra -Werror \
	-Wno-unused-parameter -I. -Iguest-tests/lib32 -MMD -MP

$(B)/guest-tests/mb_%.o: guest-tests/mb_%.c | $(B)/.deps-core
	@mkdir -p $(dir $@)
	@echo "  GCC32   $<"
	@$(CC) $(MB_CFLAGS) -c $< -o $@

$(B)/guest-tests/lib32/%.o: guest-tests/lib32/%.c | $(B)/.deps-core
	@mkdir -p $(dir $@)
	@echo "  GCC32   $<"
	@$(CC) $(MB_CFLAGS) -c $< -o $@

$(B)/guest-tests/lib32/%.o: guest-tests/lib32/%.asm | $(B)/.deps-core
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf32 -o $@ $<

$(B)/guest-tests/mb_%.elf: $(B)/guest-tests/mb_%.o $(MB_LIB_OBJS) \
		guest-tests/lib32/mb.ld
	@echo "  LD32    $@"
	@$(LD) -m elf_i386 -nostdlib -static -z max-page-size=4096 \
		-T guest-tests/lib32/mb.ld -o $@ $< $(MB_LIB_OBJS)

GT_ELFS += $(MB_ELFS)

guest-tests: $(GT_ELFS)

-include $(GT_LIB_OBJS:.o=.d) $(GT_ELFS:.elf=.d) $(MB_LIB_OBJS:.o=.d)

# ---------------------------------------------------------------------------
# Boot image and running it

# The files the config names (image = / initrd = lines) are build products:
# guest-tests/*.elf, or guest/* from `make guest` (tools/guest/guest.mk).
CFG_FILES := $(addprefix $(B)/,$(shell sed -n \
	's/^[[:space:]]*\(image\|initrd\)[[:space:]]*=[[:space:]]*\([^[:space:]\#;]*\).*/\2/p' \
	$(CFG) 2>/dev/null))

$(B)/perfvisor.img: $(B)/perfvisor.efi $(GT_ELFS) $(CFG_FILES) $(CFG) \
		tools/mkimage.sh
	@tools/mkimage.sh -o $@ -e $(B)/perfvisor.efi -c $(CFG)

image: $(B)/perfvisor.img

QEMU_FLAGS = -nodefaults -machine q35 -accel tcg -cpu $(CPU)$(CPU_PMU) \
	-m $(MEM) -smp $(SMP) -bios $(OVMF) \
	-drive format=raw,file=$(B)/perfvisor.img \
	-chardev stdio,id=console,signal=off -serial chardev:console \
	-display none -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04

# `make run` runs on our QEMU with the AMD PerfMonV2 model
# (docs/qemu-pmu.md), so perf in the guest has a PMU: built by
# tools/qemu-pmu/build.sh on the first run (5-8 minutes on 2 cores), then
# cached. PMU=0: the system's QEMU, no PMU, nothing to build.
# QEMU_PMU=path on the command line: a PMU-model QEMU built elsewhere, used
# as it is.
PMU ?= 1
ifneq ($(PMU),0)
run: QEMU = $(QEMU_PMU)
run: CPU_PMU = ,tcg-pmu=on
ifneq ($(origin QEMU_PMU),command line)
run: qemu-pmu
endif
endif
# Its build installs packages: not at the same time as the core ones (make -j).
qemu-pmu: | $(B)/.deps-core
bochs-pmu: | $(B)/.deps-core
run: $(B)/perfvisor.img
	$(QEMU) $(QEMU_FLAGS)

# Secure Boot: SIGN=key.pem CERT=cert.pem signs BOOTX64.EFI (sbsigntool)
# and `make usb` writes build/perfvisor-signed.img instead
# (docs/bare-metal.md says how to enrol the certificate).
$(B)/perfvisor.signed.efi: $(B)/perfvisor.efi $(SIGN) $(CERT) tools/sign-efi.sh
	@tools/sign-efi.sh "$(SIGN)" "$(CERT)" $< $@

$(B)/perfvisor-signed.img: $(B)/perfvisor.signed.efi $(GT_ELFS) $(CFG_FILES) \
		$(CFG) tools/mkimage.sh
	@tools/mkimage.sh -o $@ -e $(B)/perfvisor.signed.efi -c $(CFG)

signed-image: $(B)/perfvisor-signed.img

USB_IMG := $(if $(SIGN),$(B)/perfvisor-signed.img,$(B)/perfvisor.img)
usb: $(USB_IMG)
	@tools/write-usb.sh "$(DEV)" "$(USB_IMG)" "$(FORCE)"

# ---------------------------------------------------------------------------
# Tests

include tests/unit/unit.mk
test-unit: | $(B)/.deps-core
include tests/fuzz/fuzz.mk
-include tools/guest/guest.mk
# Before linux.mk, whose rules name $(BOCHS_PMU_DEP).
-include tools/bochs-pmu/bochs-pmu.mk
# Our QEMU with the PMU model, built by `qemu-pmu` (cached) for the rules
# that need it, unless QEMU_PMU (command line or environment) names
# another build. Before linux.mk, whose rules name it.
ifeq ($(filter command line environment,$(origin QEMU_PMU)),)
QEMU_PMU_DEP := qemu-pmu
endif
-include tests/linux/linux.mk
-include tools/qemu-pmu/qemu-pmu.mk

# Under QEMU the guest-tests run on our QEMU with the PMU model, built by
# `qemu-pmu` (cached) unless QEMU_PMU names another build.
ifeq ($(origin QEMU_PMU),file)
TEST_GUESTS_QEMU := qemu-pmu
endif
# EMU=bochs: the same as test-guests-bochs (our Bochs is built first).
test-guests: $(B)/perfvisor.efi $(GT_ELFS) \
		$(if $(filter bochs,$(EMU)),$(BOCHS_PMU_DEP),$(TEST_GUESTS_QEMU))
	@QEMU_PMU=$(QEMU_PMU) BOCHS_PMU=$(BOCHS_PMU) \
		$(PYTHON) tests/guests/run.py --emu $(or $(EMU),qemu)

# The same guest-tests on the Intel VMX backend, under our Bochs 3.0 + OVMF
# (tools/bochs-pmu, Sapphire Rapids model).
test-guests-bochs: $(B)/perfvisor.efi $(GT_ELFS) $(BOCHS_PMU_DEP)
	@BOCHS_PMU=$(BOCHS_PMU) $(PYTHON) tests/guests/run.py --emu bochs

test-config-errors: $(B)/perfvisor.efi $(GT_ELFS)
	@$(PYTHON) tests/guests/config_errors.py

# Benchmarks (docs/benchmarks.md, kept by hand from one run): boot time to
# the first guest output (the two test guests of tools/cfg/tests.cfg), then
# Linux time to shell under perfvisor against a direct QEMU boot,
# interleaved, with the exits by kind of the boot; then the PMU figures on
# our QEMU with the PMU model (tools/bench-pmu.py).
bench: $(B)/perfvisor.efi $(GT_ELFS) guest $(QEMU_PMU_DEP)
	@mkdir -p $(B)/bench
	@tools/mkimage.sh -o $(B)/bench/tests.img -e $(B)/perfvisor.efi \
		-c tools/cfg/tests.cfg
	@$(PYTHON) tools/bench-boot.py -n 5 --image $(B)/bench/tests.img
	@$(LINUX_TEST_PYTHON) tools/bench-linux.py -n 3
	@$(LINUX_TEST_PYTHON) tools/bench-create.py -n 3
	@QEMU_PMU=$(abspath $(QEMU_PMU)) $(LINUX_TEST_PYTHON) tools/bench-pmu.py
	@QEMU_PMU=$(abspath $(QEMU_PMU)) /usr/bin/python3 tests/perf/check.py

# The exit-path regression check (docs/profile.md): hypervisor instructions
# per exit round trip of guest-tests/perf_exits.c on the PMU model against
# tests/perf/baseline.txt; profile-baseline rewrites that file.
test-perf: $(B)/perfvisor.efi $(GT_ELFS) $(TEST_GUESTS_QEMU)
	@QEMU_PMU=$(abspath $(QEMU_PMU)) /usr/bin/python3 tests/perf/check.py

profile-baseline: $(B)/perfvisor.efi $(GT_ELFS) $(TEST_GUESTS_QEMU)
	@QEMU_PMU=$(abspath $(QEMU_PMU)) /usr/bin/python3 tests/perf/check.py --update

# The same on the Intel VMX backend (our Bochs with the Intel PMU model):
# profile = on's Intel path, against tests/perf/baseline-bochs.txt.
test-perf-bochs: $(B)/perfvisor.efi $(GT_ELFS) $(BOCHS_PMU_DEP)
	@BOCHS_PMU=$(BOCHS_PMU) /usr/bin/python3 tests/perf/check.py --emu bochs

profile-baseline-bochs: $(B)/perfvisor.efi $(GT_ELFS) $(BOCHS_PMU_DEP)
	@BOCHS_PMU=$(BOCHS_PMU) /usr/bin/python3 tests/perf/check.py --emu bochs --update

# test_hw.py also boots our PMU-model QEMU (built as for test-guests);
# test_quiet_stop.py also runs on our Bochs, if it is there (else skipped).
test-console: $(B)/perfvisor.efi $(B)/perfvisor-hooks.efi $(GT_ELFS) $(TEST_GUESTS_QEMU)
	@QEMU_PMU=$(abspath $(QEMU_PMU)) BOCHS_PMU=$(BOCHS_PMU) \
		/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/console

# Console UART discovery (SPCR, PCI, COM1) and Secure Boot under OVMF.
test-firmware: $(B)/perfvisor.efi $(GT_ELFS)
	@tools/install-deps.sh secureboot
	@/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/firmware

# A 2-socket SMT machine with 6 GiB and a guest of more than 3 GiB; a
# 64 GiB machine (RAM reserve=off) with a guest at the top.
test-machines: $(B)/perfvisor.efi $(GT_ELFS)
	@/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/machines

test: test-unit test-fuzz test-guests test-perf test-guests-bochs test-perf-bochs \
	test-config-errors test-console \
	test-firmware test-machines \
	test-linux test-qemu-pmu test-linux-pmu test-bochs-pmu test-linux-bochs \
	test-linux-bochs-pmu

clean:
	rm -rf $(B)/hv $(B)/hooks $(B)/guest-tests $(B)/unit $(B)/fuzz $(B)/perfvisor.*

# Keep the guest objects between runs (make would treat them as intermediate).
.SECONDARY:

.PHONY: all image run usb guest-tests test test-guests test-guests-bochs \
	test-perf-bochs profile-baseline-bochs \
	test-config-errors test-perf profile-baseline \
	test-console test-firmware test-machines signed-image bench clean
