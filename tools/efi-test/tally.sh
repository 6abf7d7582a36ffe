# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced by the emulator models' test scripts (tools/qemu-pmu/tests/run.sh,
# tools/bochs-pmu/tests/model/run.sh): every check is one line, "PASS name"
# or "FAIL name[: detail]", counted in npass and nfail.

npass=0
nfail=0

# The PASS/FAIL lines of a log, prefixed with the suite name, counted.
tally() {	# suite log
	p=$(grep -c '^PASS ' "$2" || true)
	f=$(grep -c '^FAIL ' "$2" || true)
	sed -n "s/^\(PASS\|FAIL\) /\1 $1: /p" "$2"
	npass=$((npass + p))
	nfail=$((nfail + f))
}

# One check of the script itself.
result() {	# ok(0/1) name [detail]
	if [ "$1" = 0 ]; then
		echo "PASS $2"
		npass=$((npass + 1))
	else
		echo "FAIL $2${3:+: $3}"
		nfail=$((nfail + 1))
	fi
}
