#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bad input is reported and contained: boots tests/guests/bad-config.cfg.

The configuration names a missing file, a non-ELF image, impossible memory
sizes and pins, and bad values. Every problem must be reported on the
console with a clear message (the `#! ` lines of the file), the broken
guests skipped, and the hypervisor must go on to run the good guests.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
CFG = os.path.join(ROOT, "tests", "guests", "bad-config.cfg")


def main():
    expected = [l[3:].strip() for l in open(CFG) if l.startswith("#! ")]
    tmp = tempfile.mkdtemp(prefix="pv-badcfg-")
    try:
        # The image holds the good files only; the config names a missing one.
        d = os.path.join(tmp, "files", "guest-tests")
        os.makedirs(d)
        for f in ("cpuid.elf", "garbage.elf"):
            shutil.copy(os.path.join(BUILD, "guest-tests", f), d)
        shutil.copy(CFG, os.path.join(tmp, "files", "perfvisor.cfg"))
        mk_cfg = os.path.join(tmp, "mk.cfg")
        with open(mk_cfg, "w") as f:
            f.writelines(l for l in open(CFG) if "missing.elf" not in l)
        img = os.path.join(tmp, "bad.img")
        subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "-o", img,
                        "-e", os.path.join(BUILD, "perfvisor.efi"), "-c",
                        mk_cfg, "-d", os.path.join(tmp, "files")], check=True)
        # Put the real (broken) configuration in place of the filtered one.
        subprocess.run(["mcopy", "-o", "-i", img + "@@1M", CFG,
                        "::/perfvisor.cfg"], check=True)
        cmd = ["qemu-system-x86_64", "-nodefaults", "-machine", "q35",
               "-accel", "tcg", "-cpu", "max", "-m", "2048", "-smp", "4",
               "-bios", "/usr/share/ovmf/OVMF.fd", "-drive",
               "format=raw,file=" + img, "-serial", "stdio", "-display",
               "none", "-no-reboot", "-device",
               "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        start = time.time()
        try:
            out = subprocess.run(cmd, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, timeout=180,
                                 stdin=subprocess.DEVNULL).stdout
        except subprocess.TimeoutExpired as e:
            out = e.stdout or b""
        text = out.decode("utf-8", "replace")
        with open(os.path.join(BUILD, "guest-tests", "bad-config.log"), "w") as f:
            f.write(text)
    finally:
        shutil.rmtree(tmp)

    passed = failed = 0
    for pat in expected:
        if re.search(pat, text):
            passed += 1
            print("config-errors: PASS: %s" % pat)
        else:
            failed += 1
            print("config-errors: FAIL: not on the console: %s" % pat)
    if "PANIC" in text or "host exception" in text:
        failed += 1
        print("config-errors: FAIL: the hypervisor itself failed")
    print("config-errors: boot took %.1f s, log in build/guest-tests/bad-config.log"
          % (time.time() - start))
    print("config-errors: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
