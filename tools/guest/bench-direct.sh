#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Time-to-shell of the guest payload booted directly by QEMU TCG (no
# hypervisor): the baseline that the perfvisor boot is compared against.
#
# Each run starts QEMU, and measures wall time from the launch to the
# "perfvisor-guest: init done" marker and to the first shell prompt, then
# powers the guest off. Prints every run and the medians, and appends a
# summary line to build/guest/bench-direct.txt.
#
# Usage: tools/guest/bench-direct.sh [-n RUNS] [-k KERNEL] [-i INITRD]
#        [-s SMP] [-m MEM_MB]
#   defaults: 3 runs, build/guest/bzImage, build/guest/initramfs.cpio.gz,
#   2 vCPUs, 512 MB. Pass -k build/guest/vmlinux for the PVH boot.

set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
runs=3
kernel=$top/build/guest/bzImage
initrd=$top/build/guest/initramfs.cpio.gz
smp=2
mem=512
while getopts n:k:i:s:m: opt; do
	case $opt in
	n) runs=$OPTARG ;;
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	s) smp=$OPTARG ;;
	m) mem=$OPTARG ;;
	*) sed -n 's/^# Usage: //p; s/^#        //p' "$0" >&2; exit 2 ;;
	esac
done
for f in "$kernel" "$initrd"; do
	[ -f "$f" ] || { echo "missing $f: run 'make guest'" >&2; exit 1; }
done
qemu=${PV_QEMU:-$(command -v qemu-system-x86_64)}

# Debian's python3 has pexpect (a pyenv python3 earlier in PATH may not).
py=/usr/bin/python3
[ -x $py ] || py=python3

exec $py - "$qemu" "$kernel" "$initrd" "$smp" "$mem" "$runs" \
	"$top/build/guest/bench-direct.txt" <<'EOF'
import os, statistics, sys, time
import pexpect

qemu, kernel, initrd, smp, mem, runs, out = sys.argv[1:]
cmd = [qemu, '-accel', 'tcg', '-machine', 'q35', '-cpu', 'max',
       '-m', mem, '-smp', smp, '-nographic', '-no-reboot',
       '-kernel', kernel, '-initrd', initrd,
       '-append', 'console=ttyS0 panic=-1']
marks, shells = [], []
for i in range(int(runs)):
    t0 = time.monotonic()
    c = pexpect.spawn(cmd[0], cmd[1:], encoding='utf-8',
                      codec_errors='replace', timeout=300)
    c.expect_exact('perfvisor-guest: init done')
    t1 = time.monotonic() - t0
    c.expect(r'guest:[^\r\n]*# ')
    t2 = time.monotonic() - t0
    c.sendline('poweroff')
    c.expect(pexpect.EOF, timeout=60)
    c.close()
    marks.append(t1)
    shells.append(t2)
    print(f'run {i + 1}: marker {t1:.2f} s, shell {t2:.2f} s', flush=True)
load = os.getloadavg()[0]
line = (f'{time.strftime("%Y-%m-%dT%H:%M:%S")} kernel={os.path.basename(kernel)}'
        f' initrd={os.path.getsize(initrd)}B smp={smp} mem={mem}M'
        f' runs={runs} median_marker={statistics.median(marks):.2f}s'
        f' median_shell={statistics.median(shells):.2f}s load1={load:.2f}')
print(line)
with open(out, 'a') as f:
    f.write(line + '\n')
EOF
