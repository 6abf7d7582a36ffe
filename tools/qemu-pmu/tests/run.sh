#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Tests of the QEMU TCG PMU model (make test-qemu-pmu), run directly on
# build/qemu-pmu/qemu-system-x86_64, no hypervisor:
#
#   efi    tests/efi/pmutest.c under OVMF at CPL 0, -cpu max,tcg-pmu=on:
#          CPUID, MSRs and #GP, exact counts, events, CMASK/INV/EDGE,
#          RDPMC, overflow/PMI (NMI and fixed, exact position), nested SVM
#          (Host/Guest-Only, exceptions, REP, RDPMC intercept)
#   off    the same program with -cpu max (model off) prints its PROBE lines
#          (CPUID leaves, PMU MSR and RDPMC behaviour) on our QEMU and on
#          Debian's /usr/bin/qemu-system-x86_64: they must be identical
#   linux  Debian's kernel + an initramfs with perf (tools/guest) and
#          tests/linux/init: perf stat, perf record, user-space RDPMC
#   migrate  the same guest migrated to a file in the middle of a counted
#          loop and resumed by a new QEMU (tests/migrate.py): exact count
#
# Every check prints one line; the last line is "qemu-pmu: N passed, M failed"
# and the exit status is non-zero if M > 0.
#
# Usage: tools/qemu-pmu/tests/run.sh [efi] [off] [linux] [migrate]
#        (default: all)
# Environment: QEMU_PMU (default build/qemu-pmu/qemu-system-x86_64)

set -eu

top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
here=tools/qemu-pmu/tests
out=build/qemu-pmu/tests
qemu=${QEMU_PMU:-build/qemu-pmu/qemu-system-x86_64}
stock=/usr/bin/qemu-system-x86_64
ovmf=/usr/share/ovmf/OVMF.fd
what=${*:-efi off linux migrate}
mkdir -p "$out"

. "$top/tools/efi-test/tally.sh"

[ -x "$qemu" ] || { echo "qemu-pmu: $qemu missing (make qemu-pmu)" >&2; exit 1; }

efi_image() {
	make -s -C "$here/efi" O="$top/$out/efi" >/dev/null
	rm -f "$out/esp.img"
	mkfs.vfat -C "$out/esp.img" 4096 >/dev/null
	mmd -i "$out/esp.img" ::/EFI ::/EFI/BOOT
	mcopy -i "$out/esp.img" "$out/efi/pmutest.efi" ::/EFI/BOOT/BOOTX64.EFI
}

run_efi() {	# qemu cpu log
	rc=0
	timeout 120 "$1" -nodefaults -machine q35 -accel tcg -cpu "$2" -m 256 \
		-bios "$ovmf" -drive format=raw,file="$out/esp.img",if=virtio \
		-serial file:"$3" -display none -monitor none \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null \
		>/dev/null 2>&1 || rc=$?
	tr -d '\r' <"$3" >"$3.txt"
	return $rc
}

case " $what " in *" efi "*|*" off "*) efi_image ;; esac

case " $what " in *" efi "*)
	rc=0
	run_efi "$qemu" max,tcg-pmu=on "$out/efi.log" || rc=$?
	tally efi "$out/efi.log.txt"
	# 33: isa-debug-exit with the pass value
	result $([ $rc = 33 ] && echo 0 || echo 1) "efi: pmutest completes and passes" "exit $rc"
	# A smaller PMU: CPUID and the #GP range follow tcg-pmu-counters.
	rc=0
	run_efi "$qemu" max,tcg-pmu=on,tcg-pmu-counters=4 "$out/efi4.log" || rc=$?
	result $([ $rc = 33 ] && echo 0 || echo 1) "efi: pmutest passes with tcg-pmu-counters=4" \
		"exit $rc, see $out/efi4.log.txt"
esac

case " $what " in *" off "*)
	rc1=0; rc2=0
	run_efi "$qemu" max "$out/off-ours.log" || rc1=$?
	run_efi "$stock" max "$out/off-debian.log" || rc2=$?
	grep '^PROBE ' "$out/off-ours.log.txt" >"$out/off-ours.probe" || true
	grep '^PROBE ' "$out/off-debian.log.txt" >"$out/off-debian.probe" || true
	n=$(wc -l <"$out/off-ours.probe")
	if [ "$n" -gt 10 ] && cmp -s "$out/off-ours.probe" "$out/off-debian.probe"; then
		result 0 "off: model off = Debian's QEMU ($n CPUID/MSR/RDPMC probes)"
	else
		result 1 "off: model off = Debian's QEMU" \
			"$(diff "$out/off-debian.probe" "$out/off-ours.probe" | head -5 | tr '\n' ' ')"
	fi
	# The probe of the model, for the record: it must differ.
	if grep -q 'cpuid.80000022.eax 0x1' "$out/off-ours.probe"; then
		result 1 "off: model off hides PerfMonV2"
	else
		result 0 "off: model off hides PerfMonV2"
	fi
esac

case " $what " in *" linux "*|*" migrate "*)
	tools/guest/fetch-kernel.sh >&2
	gcc -static -O2 -Wall -Werror -o "$out/pmuguest" "$here/linux/pmuguest.c"
	tools/guest/mkinitramfs.sh -o "$out/initramfs.cpio.gz" \
		--init "$here/linux/init" \
		--add "$top/$out/pmuguest:/usr/local/bin/pmuguest" >&2
esac

case " $what " in *" linux "*)
	rc=0
	timeout 300 "$qemu" -nodefaults -machine q35 -accel tcg \
		-cpu max,tcg-pmu=on -m 1024 -smp 1 \
		-kernel build/guest/vmlinux -initrd "$out/initramfs.cpio.gz" \
		-append 'console=ttyS0 panic=-1 quiet' \
		-serial file:"$out/linux.log" -display none -monitor none \
		-no-reboot </dev/null >/dev/null 2>&1 || rc=$?
	tr -d '\r' <"$out/linux.log" >"$out/linux.log.txt"
	tally linux "$out/linux.log.txt"
	ok=1
	grep -q '^pmuguest: done' "$out/linux.log.txt" && ok=0
	result $ok "linux: guest ran all checks" "exit $rc, see $out/linux.log.txt"
esac

case " $what " in *" migrate "*)
	ok=0
	python3 "$here/migrate.py" "$qemu" build/guest/vmlinux \
		"$out/initramfs.cpio.gz" "$out" >"$out/migrate.txt" 2>&1 || ok=1
	tally migrate "$out/migrate.txt"
	result $ok "migrate: both QEMUs ran" "see $out/migrate.txt"
esac

echo "qemu-pmu: $npass passed, $nfail failed"
[ "$nfail" = 0 ]
