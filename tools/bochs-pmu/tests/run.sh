#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Tests of our Bochs (make test-bochs-pmu), run directly on
# build/bochs-pmu/bochs (or $BOCHS_PMU):
#
#   smoke  smoke.py: OVMF and perfvisor boot to the hypervisor's banner on
#          sapphire_rapids and corei7_haswell_4770, headless, no debugger
#   NAME   every tools/bochs-pmu/tests/NAME/run.sh (e.g. the PMU model's EFI
#          tests), run from the repository root; each prints PASS/FAIL
#          lines and exits non-zero on a failure
#
# Every check prints one line; the last line is "bochs-pmu: N passed, M failed"
# and the exit status is non-zero if M > 0 (or a suite failed).
#
# Usage: tools/bochs-pmu/tests/run.sh [SUITE...]   (default: all)

set -eu

top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
here=tools/bochs-pmu/tests
out=build/bochs-pmu/tests
mkdir -p "$out"

all=smoke
for d in "$here"/*/; do
	if [ -x "$d/run.sh" ]; then
		all="$all $(basename "$d")"
	fi
done
suites=${*:-$all}

npass=0
nfail=0
for s in $suites; do
	log=$out/$s.log
	if [ "$s" = smoke ]; then
		cmd="/usr/bin/python3 $here/smoke.py"
	elif [ -x "$here/$s/run.sh" ]; then
		cmd="$here/$s/run.sh"
	else
		echo "bochs-pmu: no test suite '$s'" >&2
		exit 2
	fi
	rc=0
	$cmd >"$log" 2>&1 || rc=$?
	grep -v '^PASS \|^FAIL ' "$log" | sed "s/^/$s: /" | tail -20
	grep '^PASS \|^FAIL ' "$log" || true
	p=$(grep -c '^PASS ' "$log" || true)
	f=$(grep -c '^FAIL ' "$log" || true)
	if [ $rc != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL $s: exited with status $rc (log: $log)"
		f=1
	fi
	npass=$((npass + p))
	nfail=$((nfail + f))
done
echo "bochs-pmu: $npass passed, $nfail failed"
[ $nfail = 0 ]
