# SPDX-License-Identifier: GPL-2.0
"""A big machine: two sockets of six cores with two threads each (24 CPUs,
sparse APIC IDs), 6 GiB of RAM, and a guest of 3584 MiB whose RAM above
3 GiB lies at guest-physical 4 GiB and above (guest-tests/mb_bigmem.c
checks its memory map and touches every page up there).

Boots one image made from tests/machines/bigmem.cfg in QEMU TCG, waits for
the guest's verdict and the shell, then checks the banner, `cpus` and
`mem`. Run with Debian's pytest: /usr/bin/python3 -m pytest tests/machines
"""
import os
import re
import subprocess

import pexpect
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMG = os.path.join(ROOT, "build", "machines-test.img")
LOG = os.path.join(ROOT, "build", "machines-test.log")
PROMPT = "perfvisor> "
SOCKETS, CORES, THREADS = 2, 6, 2
NR_CPUS = SOCKETS * CORES * THREADS
GUEST_MIB = 3584
# A last resort only: each wait ends at the event it waits for; this is
# far above a boot seen on a loaded host (about 30 s).
TIMEOUT = 900


def apic_id(pkg, core, thread):
    """QEMU's APIC IDs: 1 bit of thread, 3 of core (6 cores), package."""
    return pkg << 4 | core << 1 | thread


def expected_cpus():
    return [(apic_id(p, c, t), p, c, t) for p in range(SOCKETS)
            for c in range(CORES) for t in range(THREADS)]


@pytest.fixture(scope="module")
def machine():
    subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "-o", IMG,
                    "-e", os.path.join(ROOT, "build", "perfvisor.efi"),
                    "-c", os.path.join(ROOT, "tests", "machines", "bigmem.cfg")],
                   check=True, stdout=subprocess.DEVNULL)
    cmd = ("qemu-system-x86_64 -nodefaults -machine q35 -accel tcg -cpu max "
           "-m 6G -smp %d,sockets=%d,cores=%d,threads=%d "
           "-bios /usr/share/ovmf/OVMF.fd "
           "-drive format=raw,file=%s -chardev stdio,id=c,signal=off "
           "-serial chardev:c -display none -no-reboot"
           % (NR_CPUS, SOCKETS, CORES, THREADS, IMG))
    log = open(LOG, "w")
    p = pexpect.spawn(cmd, encoding="utf-8", timeout=TIMEOUT,
                      codec_errors="replace")
    p.logfile_read = log
    # The guest's last line, the hypervisor's and the prompt go through
    # separate rings: they may come in any order.
    seen = set()
    waits = [r"\[bigmem\] \d+ passed, \d+ failed", "no guest is running",
             re.escape(PROMPT)]
    # The big guest refused (a CPU missing, no memory): it never reports,
    # so every test fails at once with the reason, not at the timeout.
    refused = r"error: (vm bigmem: [^\r\n]*)"
    while len(seen) < len(waits):
        i = p.expect(waits + [refused])
        if i == len(waits):
            reason = p.match.group(1)
            p.terminate(force=True)
            log.close()
            pytest.fail("%s (banner: %s)" % (reason, LOG))
        seen.add(i)
    log.flush()
    yield p
    p.terminate(force=True)
    log.close()


def banner():
    return open(LOG, errors="replace").read()


def run(p, command):
    p.send(command + "\r")
    p.expect_exact(PROMPT)
    return p.before


def test_every_cpu_online(machine):
    text = banner()
    online = [int(m) for m in re.findall(r"cpu\d+: apic id (\d+) online", text)]
    assert "cpu0: apic id 0 (boot CPU)" in text
    assert sorted(online + [0]) == sorted(c[0] for c in expected_cpus())
    assert "%d CPUs online" % NR_CPUS in text
    # Parked at the hand-over, then started together (arch/x86/smp.c).
    assert "%d APs parked (INIT) until the start" % (NR_CPUS - 1) in text
    assert re.search(r"%d of %d APs started together: in ap_entry at \+\d+ ms"
                     % (NR_CPUS - 1, NR_CPUS - 1), text)
    assert "did not" not in text
    assert ("topology: %d packages, %d cores, %d threads"
            % (SOCKETS, SOCKETS * CORES, NR_CPUS)) in text


def test_host_memory_above_4g(machine):
    m = re.search(r"memory: (\d+) MiB usable", banner())
    assert m and int(m.group(1)) > 6000
    m = re.search(r"vm bigmem: %d MiB RAM at (0x[0-9a-f]+)" % GUEST_MIB,
                  banner())
    assert m, "the big guest was not created"
    assert int(m.group(1), 16) >= 1 << 32	# host RAM above 4 GiB


def test_big_guest_runs(machine):
    text = banner()
    assert "[bigmem] mmap 0x100000000-0x120000000 type 1" in text
    assert "[bigmem] touched 131072 pages above 4 GiB" in text
    assert re.search(r"\[bigmem\] \d+ passed, 0 failed", text)
    assert "FAIL" not in text
    assert "vm bigmem exited: debug-exit with status 0" in text
    # Logged before the guest shows as stopped (hv/vm.c), so the fixture's
    # wait for "no guest is running" covers it.
    assert (text.index("vm bigmem exited:") <
            text.index("no guest is running"))


def test_refusal_names_its_reason(machine):
    assert ("vm toobig: not started: not enough memory for 8192 MiB of RAM "
            "in one block") in banner()


def test_cpus_shows_topology(machine):
    machine.send("\x01h")
    machine.expect_exact(PROMPT)
    out = run(machine, "cpus")
    assert re.search(r"cpu\s+apic\s+package\s+core\s+thread", out)
    rows = {}
    for m in re.finditer(r"cpu(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+online", out):
        rows[int(m.group(2))] = tuple(int(m.group(i)) for i in (3, 4, 5))
    assert rows == {a: (p, c, t) for a, p, c, t in expected_cpus()}
    assert re.search(r"cpu23\s+27\s+1\s+5\s+1\s+online", out)


def test_mem(machine):
    out = run(machine, "mem")
    assert re.search(r"vm bigmem\s+%d MiB at host 0x1[0-9a-f]{8}" % GUEST_MIB, out)
