#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Line and branch coverage of the hypervisor sources that each harness
# drives, over its committed seeds and the corpus `make fuzz` grew in
# build/fuzz/corpus/NAME (run from the repository root):
#
#   tests/fuzz/coverage.sh NAME...
#
# Builds build/fuzz/cov/NAME with clang's source-based coverage (no
# sanitizers), runs every corpus input once and prints llvm-cov's summary
# for the sources named on the harness's "sources:" line.

set -eu
dir=build/fuzz/cov
mkdir -p "$dir"
printf '%-12s %-22s %14s %16s\n' harness source lines branches
for name; do
	src=tests/fuzz/fuzz_$name.c
	hv=$(sed -n '1,20{s|^/\* *sources:\(.*\)\*/.*|\1|p}' "$src")
	# shellcheck disable=SC2086
	clang -std=gnu11 -g -O1 -fsanitize=fuzzer -fprofile-instr-generate \
		-fcoverage-mapping -fno-builtin-strerror -I. -o "$dir/$name" \
		"$src" tests/fuzz/support.c tests/unit/support.c $hv
	mkdir -p "build/fuzz/corpus/$name"
	rm -f "$dir/$name.profraw"
	LLVM_PROFILE_FILE="$dir/$name.profraw" "$dir/$name" -runs=0 \
		"build/fuzz/corpus/$name" "tests/fuzz/corpus/$name" \
		>"$dir/$name.log" 2>&1
	llvm-profdata merge -o "$dir/$name.profdata" "$dir/$name.profraw"
	for f in $hv; do
		case $f in hv/lib/*) continue ;; esac
		# Filename Regions Missed Cover Functions Missed Cover Lines
		# Missed Cover Branches Missed Cover
		# shellcheck disable=SC2046
		llvm-cov report "$dir/$name" -instr-profile="$dir/$name.profdata" \
			"$f" | awk -v h="$name" -v f="$f" '$1 == "TOTAL" {
				printf "%-12s %-22s %6s of %5s %7s of %5s\n", h, f,
				$10, $8, $13, $11 }'
	done
done
