#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot-time benchmark: wall time from QEMU start to the first guest output.

Boots build/perfvisor.img (make image) N times under QEMU TCG + OVMF and
reports, per run, when the hypervisor's first log line appeared (UEFI
firmware done) and when the first guest printed (first guest entry), then
the medians. Usage: tools/bench-boot.py [-n RUNS] [--smp N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def one_run(img, smp, limit):
    cmd = ["qemu-system-x86_64", "-nodefaults", "-machine", "q35", "-accel",
           "tcg", "-cpu", "max", "-m", "2048", "-smp", str(smp), "-bios",
           "/usr/share/ovmf/OVMF.fd", "-drive", "format=raw,file=" + img,
           "-serial", "stdio", "-display", "none", "-no-reboot", "-device",
           "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    start = time.time()
    hv = guest = None
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL)
    try:
        for raw in p.stdout:
            line = raw.decode("utf-8", "replace")
            now = time.time() - start
            if hv is None and "perfvisor" in line and "UEFI loader" in line:
                hv = now
            if guest is None and line.startswith("["):
                if not line[1:2].isspace() and not line[1:2].isdigit():
                    guest = now
                    break
            if now > limit:
                break
    finally:
        p.kill()
        p.wait()
    return hv, guest


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--image", default=os.path.join(ROOT, "build", "perfvisor.img"))
    args = ap.parse_args()
    hvs, guests = [], []
    for i in range(args.n):
        hv, guest = one_run(args.image, args.smp, 60)
        print("run %d: hypervisor start %.2f s, first guest output %.2f s"
              % (i + 1, hv or -1, guest or -1))
        if hv and guest:
            hvs.append(hv)
            guests.append(guest)
    if not guests:
        print("no complete run")
        return 1
    print("median of %d: hypervisor start %.2f s, first guest output %.2f s "
          "(hypervisor bring-up %.2f s)" % (len(guests), statistics.median(hvs),
                                            statistics.median(guests),
                                            statistics.median(guests) - statistics.median(hvs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
