#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs libFuzzer harnesses built by tests/fuzz/fuzz.mk (from the repository
# root):
#
#   tests/fuzz/run.sh smoke RUNS "" NAME...
#       every committed seed of tests/fuzz/corpus/NAME once, as it is, then
#       RUNS executions (a count, so machine speed does not matter) with a
#       fixed seed, mutating from those seeds; nothing is added to the
#       committed corpus
#   tests/fuzz/run.sh fuzz SECONDS "ARGS" NAME...
#       each harness for SECONDS (0: until ARGS, e.g. -runs=N, ends it),
#       growing build/fuzz/corpus/NAME from the seeds
#
# A crash, sanitizer report, failed check or hang (-timeout) fails that
# harness; its input is kept in build/fuzz/crashes/. Prints one line per
# harness (executions, time, coverage) and "fuzz: N passed, M failed".

set -u
mode=$1 n=$2 extra=$3
shift 3
dir=build/fuzz
mkdir -p "$dir/crashes"
export UBSAN_OPTIONS=print_stacktrace=1
pass=0 fail=0

for name; do
	bin=$dir/$name
	seeds=tests/fuzz/corpus/$name
	log=$dir/$name.$mode.log
	flags=$(sed -n '1,20{s|^/\* *flags:\(.*\)\*/.*|\1|p}' \
		"tests/fuzz/fuzz_$name.c")
	common="-artifact_prefix=$dir/crashes/$name- -print_final_stats=1"
	start=$(date +%s)
	case $mode in
	smoke)
		work=$dir/smoke/$name
		rm -rf "$work" && mkdir -p "$work"
		# shellcheck disable=SC2086
		{ "$bin" $common "$seeds"/* &&
		  "$bin" $flags $common -seed=1 -runs="$n" -timeout=60 \
			"$work" "$seeds"; } >"$log" 2>&1
		rc=$?
		;;
	fuzz)
		work=$dir/corpus/$name
		mkdir -p "$work"
		# shellcheck disable=SC2086
		"$bin" $flags $common -max_total_time="$n" -timeout=10 $extra \
			"$work" "$seeds" >"$log" 2>&1
		rc=$?
		;;
	*)
		echo "usage: $0 smoke|fuzz N ARGS NAME..." >&2
		exit 2
		;;
	esac
	secs=$(($(date +%s) - start))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		echo "fuzz: $name: ok, ${execs:-?} executions in ${secs} s, ${cov:-cov: ?}"
	else
		fail=$((fail + 1))
		tail -40 "$log"
		echo "fuzz: $name: FAILED (status $rc) after ${execs:-?} executions in ${secs} s; log $log, input in $dir/crashes/"
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
