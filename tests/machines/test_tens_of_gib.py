# SPDX-License-Identifier: GPL-2.0
"""Tens of GiB of host RAM: QEMU q35 with 64 GiB (2 GiB below the PCI hole,
62 GiB from 4 GiB up) and 4 CPUs. perfvisor must take all of it (the
firmware memory map, the identity map up to 64 GiB, the allocator) and
create a guest at the top, near 64 GiB, which runs to its debug-exit.

The RAM is QEMU's with reserve=off (MAP_NORESERVE): the host gives pages
only as they are touched (the firmware's, perfvisor's tables and the
guest's 64 MiB), so the test needs a few hundred MiB of host memory, not
64 GiB, and passes the kernel's overcommit heuristic.
Run with Debian's pytest: /usr/bin/python3 -m pytest tests/machines
"""
import os
import re
import subprocess

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMG = os.path.join(ROOT, "build", "tens-test.img")
LOG = os.path.join(ROOT, "build", "tens-test.log")
GIB = 64
TIMEOUT = 900	# a last resort: the waits end at their events


def test_guest_at_the_top_of_64_gib():
    subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "-o", IMG,
                    "-e", os.path.join(ROOT, "build", "perfvisor.efi"),
                    "-c", os.path.join(ROOT, "tests", "machines", "tens.cfg")],
                   check=True, stdout=subprocess.DEVNULL)
    cmd = ("qemu-system-x86_64 -nodefaults -accel tcg -cpu max -smp 4 "
           "-machine q35,memory-backend=ram -m %dG "
           "-object memory-backend-ram,id=ram,size=%dG,reserve=off "
           "-bios /usr/share/ovmf/OVMF.fd "
           "-drive format=raw,file=%s -chardev stdio,id=c,signal=off "
           "-serial chardev:c -display none -no-reboot" % (GIB, GIB, IMG))
    with open(LOG, "w") as log:
        p = pexpect.spawn(cmd, encoding="utf-8", timeout=TIMEOUT,
                          codec_errors="replace")
        p.logfile_read = log
        try:
            p.expect([r"vm high exited: [^\r\n]*", r"error: vm high[^\r\n]*"])
        finally:
            p.terminate(force=True)
    text = open(LOG, errors="replace").read()
    m = re.search(r"memory: (\d+) MiB usable", text)
    assert m and int(m.group(1)) > (GIB - 1) * 1024, m and m.group(0)
    m = re.search(r"vm high: 64 MiB RAM at (0x[0-9a-f]+)", text)
    assert m, "the guest was not created (banner: %s)" % LOG
    assert int(m.group(1), 16) >= (GIB - 2) << 30	# at the top
    assert "vm high exited: debug-exit with status 0" in text
    assert "4 CPUs online" in text
