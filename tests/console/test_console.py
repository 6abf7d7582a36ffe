# SPDX-License-Identifier: GPL-2.0
"""End to end: perfvisor's serial console, driven like a person would.

Boots an image made from tests/console/console.cfg (two test guests)
in QEMU with 4 CPUs, then checks the boot banner and the shell commands.
Run with Debian's pytest: /usr/bin/python3 -m pytest tests/console
"""
import os
import re
import subprocess

import pexpect
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMG = os.path.join(ROOT, "build", "console-test.img")
PROMPT = "perfvisor> "


@pytest.fixture(scope="module")
def machine():
    subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "-o", IMG,
                    "-e", os.path.join(ROOT, "build", "perfvisor.efi"),
                    "-c", os.path.join(ROOT, "tests", "console", "console.cfg")],
                   check=True, stdout=subprocess.DEVNULL)
    cmd = ("qemu-system-x86_64 -nodefaults -machine q35 -accel tcg -cpu max "
           "-m 2048 -smp 4 -bios /usr/share/ovmf/OVMF.fd "
           "-drive format=raw,file=%s -chardev stdio,id=c,signal=off "
           "-serial chardev:c -display none -no-reboot" % IMG)
    log = open(os.path.join(ROOT, "build", "console-test.log"), "w")
    p = pexpect.spawn(cmd, encoding="utf-8", timeout=60, codec_errors="replace")
    p.logfile_read = log
    p.expect("no guest is running")
    p.expect_exact(PROMPT)	# the shell has the console when all is quiet
    yield p
    p.terminate(force=True)
    log.close()


def run(p, command):
    p.send(command + "\r")
    p.expect_exact(PROMPT)
    return p.before


def test_boot_banner(machine):
    text = open(os.path.join(ROOT, "build", "console-test.log")).read()
    assert "took the machine" in text
    assert "backend AMD SVM" in text
    for cpu in range(1, 4):
        assert "cpu%d: apic id %d online" % (cpu, cpu) in text
    assert "4 CPUs online" in text
    assert "[cpuid] SUMMARY: 11 passed, 0 failed" in text
    assert "vm hypercall exited: debug-exit with status 0" in text
    assert "[hypercall] rendezvous refused outside test mode" in text
    # Each stop is logged before the guest shows as stopped (hv/vm.c):
    # the supervisor's line comes after every guest's.
    done = text.index("no guest is running")
    assert text.index("vm hypercall exited:") < done
    assert text.index("vm cpuid exited:") < done


def test_shell_prompt(machine):
    machine.send("\x01h")
    machine.expect_exact(PROMPT)


def test_help_lists_commands(machine):
    out = run(machine, "help")
    for c in ("vms", "vcpus", "exits", "trace", "log", "attach", "stop"):
        assert c in out


def test_vms(machine):
    out = run(machine, "vms")
    assert "cpuid" in out and "hypercall" in out
    assert "debug-exit with status 0" in out


def test_vcpus_pinning(machine):
    out = run(machine, "vcpus")
    assert "cpuid" in out and "cpu1" in out
    assert "hypercall" in out and "cpu2" in out


def test_exit_counters(machine):
    out = run(machine, "exits hypercall")
    assert "hypercall" in out
    lines = [l.split() for l in out.splitlines() if l.strip().startswith("hypercall ")]
    assert lines and int(lines[0][1]) >= 100
    # The total is the sum of the kinds printed (one reading of each).
    total = int(re.search(r"vcpu0: (\d+) exits", out).group(1))
    kinds = [l.split() for l in out.splitlines()
             if re.match(r"^  [a-z][a-z0-9-]* +\d+$", l)]
    assert total == sum(int(k[1]) for k in kinds), out


def test_exit_trace(machine):
    out = run(machine, "trace cpuid")
    assert out.count(" io ") > 10
    assert "f40040" in out		# the debug-exit write ends the trace


def test_log(machine):
    out = run(machine, "log 3")
    assert "no guest is running" in out


def test_errors_are_clear(machine):
    assert "unknown command 'frobnicate'" in run(machine, "frobnicate")
    assert "no vm 'nosuch'" in run(machine, "exits nosuch")
    assert "usage: exits VM [VCPU]" in run(machine, "exits")
    assert "LINES at least 1" in run(machine, "log 0")


def test_prof_finds_the_vm(machine):
    assert "no vm 'nosuch' (see vms); prof" in run(machine, "prof nosuch")
    assert "vm cpuid, 1 vCPU:" in run(machine, "prof cpuid")
    assert "vm hypercall, 1 vCPU:" in run(machine, "prof 1")	# by index


def test_attach_replays_output(machine):
    machine.send("attach cpuid\r")
    machine.expect("console: vm cpuid")
    machine.expect("SUMMARY: 11 passed, 0 failed")
    machine.send("\x01h")
    machine.expect_exact(PROMPT)


def test_reboot_ends_qemu(machine):
    machine.send("reboot\r")
    machine.expect(pexpect.EOF, timeout=30)
