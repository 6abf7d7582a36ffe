# SPDX-License-Identifier: GPL-2.0
"""End to end: a guest that spins forever on quiet exits is stopped, reset
and started from the shell, and the others carry on meanwhile.

tests/console/quiet_stop.cfg, normal mode, on QEMU TCG (AMD SVM) and on
our Bochs (Intel VMX, $BOCHS_PMU, default build/bochs-pmu/bochs; skipped
when it is missing), 4 CPUs:
- `lsr` (cpu1, guest-tests/lsr_spin.c): a tight `in al, dx` loop on
  0x3fd. Each read is a quiet exit (hv/exit.h EXIT_QUIET): the vCPU loop
  enters again without its interrupt work, and the I/O handler skips the
  VM-state check for a pure read (hv/io.c).
- `spin` (cpu3, guest-tests/spin.c): spins without any exit at all, so
  only the kick a stop sends (hv/vm.c vm_stop -> sched_kick) gets it out of
  guest mode.
- `echo` (cpu2, guest-tests/echo.c): answers every line typed at it.

`stop`, `start` and `reset` of `lsr` and `spin`: after a stop the guest's
CPU holds no vCPU any more (`cpus`), its exit count stands still, and the
neighbour answers; `start` and `reset` boot it again (the restart line,
the new boot's first line with its boot count). Every wait is for an
event (a line, a shell answer); a bound is a count of shell round trips
or, as a last resort, pexpect's timeout.
Run with Debian's pytest: /usr/bin/python3 -m pytest tests/console
"""
import os
import pty
import re
import subprocess
import sys
import tty

import pexpect
import pexpect.fdpexpect
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
sys.path.insert(0, os.path.join(ROOT, "tests"))
import bochs_rc  # noqa: E402

PROMPT = "perfvisor> "
T = {"qemu": 120, "bochs": 900}	# last resorts, per expect
ROUNDS = 300			# shell round trips to wait for a CPU to let go


class Machine:
    def __init__(self, emu):
        self.emu = emu
        self.img = os.path.join(BUILD, "quiet-stop-%s.img" % emu)
        subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "-o",
                        self.img, "-e", os.path.join(BUILD, "perfvisor.efi"),
                        "-c", os.path.join(ROOT, "tests", "console",
                                           "quiet_stop.cfg")],
                       check=True, stdout=subprocess.DEVNULL)
        self.log = open(os.path.join(BUILD, "quiet-stop-%s.log" % emu), "w")
        self.proc = None
        if emu == "qemu":
            cmd = ("qemu-system-x86_64 -nodefaults -machine q35 -accel tcg "
                   "-cpu max -m 1024 -smp 4 -bios /usr/share/ovmf/OVMF.fd "
                   "-drive format=raw,file=%s -chardev stdio,id=c,signal=off "
                   "-serial chardev:c -display none -no-reboot" % self.img)
            self.p = pexpect.spawn(cmd, encoding="utf-8", timeout=T[emu],
                                   codec_errors="replace")
        else:
            # COM1 on a pty, as tests/linux/bochs.py does.
            master, self.slave = pty.openpty()
            tty.setraw(self.slave)
            tty.setraw(master)
            rc_path = os.path.join(BUILD, "quiet-stop-bochs.rc")
            with open(rc_path, "w") as f:
                f.write(bochs_rc.bochsrc(
                    "tests/console/test_quiet_stop.py", 256, 4, self.img,
                    os.path.join(BUILD, "quiet-stop-bochs-emu.log"),
                    "mode=term, dev=" + os.ttyname(self.slave)))
            bochs_rc.remove_locks(self.img)
            self.proc = subprocess.Popen(bochs_rc.command(rc_path),
                                         stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
            self.p = pexpect.fdpexpect.fdspawn(master, encoding="utf-8",
                                               timeout=T[emu],
                                               codec_errors="replace")
        self.p.logfile_read = self.log
        self.n = 0

    def boot(self):
        want = {r"\[lsr\] lsr spin: boot 0": 0, r"\[echo\] echo: ready": 1,
                r"\[spin\] spinning": 2}
        seen = set()
        while len(seen) < len(want):
            seen.add(self.p.expect(list(want)))
        self.p.send("\x01h")
        self.p.expect_exact(PROMPT)

    def run(self, command):
        """The output of a shell command, up to an unknown command typed
        after it (a guest's line or a log line may come in between)."""
        self.n += 1
        tag = "sync%d" % self.n
        self.p.send(command + "\r" + tag + "\r")
        self.p.expect_exact("unknown command '%s'" % tag)
        out = self.p.before.replace("\r", "")
        self.p.expect_exact(PROMPT)
        return out

    def holds(self, cpu):
        """The VM whose vCPU `cpus` says @cpu holds, or None."""
        out = self.run("cpus")
        m = re.search(r"^  cpu%d .*queued \d+(?:, running (\S+))?" % cpu,
                      out, re.M)
        assert m, out
        return m.group(1)

    def io_exits(self, vm):
        out = self.run("exits %s" % vm)
        m = re.search(r"^\s+io\s+(\d+)\s*$", out, re.M)
        return int(m.group(1)) if m else 0

    def echo(self, word):
        """The neighbour answers a line typed at it (a new word each time:
        attach replays the guest's earlier answers)."""
        self.n += 1
        word = "%s-%d" % (word, self.n)
        self.p.send("attach echo\r")
        self.p.expect_exact("[console: vm echo; Ctrl-A h for the hypervisor shell]")
        self.p.send(word + "\r")
        self.p.expect_exact("echo: got '%s'" % word)
        self.p.send("\x01h")
        self.p.expect_exact(PROMPT)

    def close(self):
        if self.proc:
            bochs_rc.stop(self.proc, self.img)
            os.close(self.slave)
        else:
            self.p.terminate(force=True)
        self.log.close()


def wait_released(m, cpu):
    """Shell round trips until @cpu holds no vCPU: a bounded count."""
    for _ in range(ROUNDS):
        if m.holds(cpu) is None:
            return
    pytest.fail("cpu%d still holds a vCPU after %d shell round trips"
                % (cpu, ROUNDS))


def wait_held(m, cpu, vm):
    for _ in range(ROUNDS):
        if m.holds(cpu) == vm:
            return
    pytest.fail("cpu%d does not run vm %s after %d shell round trips"
                % (cpu, vm, ROUNDS))


def wait_exits_grow(m, vm):
    first = m.io_exits(vm)
    for _ in range(ROUNDS):
        if m.io_exits(vm) > first:
            return
    pytest.fail("vm %s made no I/O exit in %d shell round trips" % (vm, ROUNDS))


def stop_and_check(m, vm, cpu):
    m.p.send("stop %s\r" % vm)
    m.p.expect_exact("vm %s stopped: stopped from the console" % vm)
    wait_released(m, cpu)		# (its first `cpus` syncs the shell)
    row = [l for l in m.run("vms").splitlines()
           if len(l.split()) > 2 and l.split()[1] == vm]
    assert row and "stopped" in row[0], row
    before = m.io_exits(vm)
    m.echo("while-%s-stopped" % vm)	# the neighbour runs meanwhile
    assert m.io_exits(vm) == before, "vm %s still exits after its stop" % vm


def boot_again(m, command, vm, cpu, restart, first_line):
    m.p.send("%s %s\r" % (command, vm))
    m.p.expect(r"vm %s: restarted \(restart %d\)" % (vm, restart))
    m.p.expect(r"\[%s\] %s" % (vm, first_line))
    wait_held(m, cpu, vm)


EMUS = ["qemu", "bochs"]


@pytest.mark.parametrize("emu", EMUS)
def test_quiet_spinner_stop_reset_start(emu):
    if emu == "bochs" and bochs_rc.missing():
        pytest.skip(bochs_rc.missing())
    m = Machine(emu)
    try:
        m.boot()
        assert m.holds(1) == "lsr" and m.holds(3) == "spin"
        wait_exits_grow(m, "lsr")		# it is in its loop of LSR reads
        m.echo("first")

        # The guest on quiet exits: stop, start, reset while it spins.
        stop_and_check(m, "lsr", 1)
        boot_again(m, "start", "lsr", 1, 1, "lsr spin: boot 1")
        wait_exits_grow(m, "lsr")
        boot_again(m, "reset", "lsr", 1, 2, "lsr spin: boot 2")
        wait_exits_grow(m, "lsr")

        # The guest without exits: only the kick gets it off its CPU.
        stop_and_check(m, "spin", 3)
        boot_again(m, "start", "spin", 3, 1, "spinning")

        stop_and_check(m, "lsr", 1)
        m.echo("last")
        assert "restart loop" not in m.run("vms")
    finally:
        m.close()
