# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build rules of a UEFI test program on the efitest harness (gnu-efi).
# The including Makefile sets, before including this:
#   EFITEST_PROG  the program's name: O/EFITEST_PROG.efi is built
#   EFITEST_SRCS  its C files, in the including Makefile's directory
# and is run as `make -C <its directory> O=<output directory>` (default
# O: that directory). Every object depends on every header there, on
# efitest.h and on the Makefiles.

EFITEST_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

O       ?= .
EFI_INC ?= /usr/include/efi
EFI_LIB ?= /usr/lib
CFLAGS  := -I$(EFI_INC) -I$(EFI_INC)/x86_64 -I$(EFI_INC)/protocol -fpic \
	-ffreestanding -fno-stack-protector -fno-stack-check -fshort-wchar \
	-mno-red-zone -maccumulate-outgoing-args -mgeneral-regs-only \
	-DGNU_EFI_USE_MS_ABI -Wall -Wextra -Wno-unused-parameter -Werror -O2 \
	-I$(EFITEST_DIR)
LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic \
	-T $(EFI_LIB)/elf_x86_64_efi.lds -L$(EFI_LIB) $(EFI_LIB)/crt0-efi-x86_64.o

EFITEST_OBJS := $(EFITEST_SRCS:%.c=$(O)/%.o) $(O)/efitest.o
EFITEST_DEPS := $(wildcard *.h) $(EFITEST_DIR)/efitest.h $(MAKEFILE_LIST)

$(O)/$(EFITEST_PROG).efi: $(O)/$(EFITEST_PROG).so
	objcopy -j .text -j .sdata -j .data -j .rodata -j .dynamic -j .dynsym \
		-j .rel -j .rela -j .rel.* -j .rela.* -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

$(O)/$(EFITEST_PROG).so: $(EFITEST_OBJS)
	ld $(LDFLAGS) $^ -o $@ -lgnuefi -lefi

$(O)/%.o: %.c $(EFITEST_DEPS)
	@mkdir -p $(O)
	gcc $(CFLAGS) -c $< -o $@

$(O)/efitest.o: $(EFITEST_DIR)/efitest.c $(EFITEST_DEPS)
	@mkdir -p $(O)
	gcc $(CFLAGS) -c $< -o $@
