# SPDX-License-Identifier: GPL-2.0
"""End to end: guests that misbehave must not stall the console or others.

- A guest flooding its UART next to a neighbour (tests/console/flood.cfg,
  test mode): the neighbour's checks pass and all its lines arrive, and
  both guests finish even while nobody reads the serial port at all.
- tests/console/isolation.cfg, normal mode, `escape = ^]`: a guest in a
  reboot loop (the shell answers while it is being reset; the loop is
  stopped with a message), a guest making the hypervisor log thousands of
  lines (the hypervisor's own log survives), a guest printing escape
  sequences (shown escaped in the shell's view, raw once attached), a VM
  pinned to a taken CPU (refused).

Run with Debian's pytest: /usr/bin/python3 -m pytest tests/console
"""
import fcntl
import os
import re
import subprocess
import tempfile
import time

import pexpect
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
PROMPT = "perfvisor> "
ESC = "\x1d"            # the configured escape key, Ctrl-]
F_SETPIPE_SZ = 1031     # fcntl.F_SETPIPE_SZ (Python 3.10+)
LINES = 200             # guest-tests/uart_neighbour.c


def make_image(cfg, img):
    subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "-o", img,
                    "-e", os.path.join(BUILD, "perfvisor.efi"),
                    "-c", os.path.join(ROOT, "tests", "console", cfg)],
                   check=True, stdout=subprocess.DEVNULL)


def qemu_cmd(img, serial):
    return ["qemu-system-x86_64", "-nodefaults", "-machine", "q35",
            "-accel", "tcg", "-cpu", "max", "-m", "2048", "-smp", "4",
            "-bios", "/usr/share/ovmf/OVMF.fd",
            "-drive", "format=raw,file=" + img] + serial + [
            "-display", "none", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def run_flood(read):
    """Boots flood.cfg with the serial port on a pipe of one page. With
    @read the pipe is read all along; without, never until QEMU has
    exited: the port is stuck once a page is out. Returns QEMU's exit
    status and what came out."""
    img = os.path.join(BUILD, "console-flood.img")
    make_image("flood.cfg", img)
    tmp = tempfile.mkdtemp(prefix="pv-flood-")
    base = os.path.join(tmp, "serial")
    os.mkfifo(base + ".in")
    os.mkfifo(base + ".out")
    rfd = os.open(base + ".out", os.O_RDONLY | os.O_NONBLOCK)
    fcntl.fcntl(rfd, F_SETPIPE_SZ, 4096)
    wfd = os.open(base + ".in", os.O_RDWR)
    proc = subprocess.Popen(qemu_cmd(img, ["-chardev", "pipe,id=c,path=" + base,
                                           "-serial", "chardev:c"]),
                            stdin=subprocess.DEVNULL)
    out = b""
    try:
        # The last resort, generous: the guests' own timeouts are 60 s.
        proc.wait(timeout=600) if not read else None
        while read and proc.poll() is None:
            try:
                out += os.read(rfd, 65536)
            except BlockingIOError:
                time.sleep(0.05)
        proc.wait(timeout=600)
        while True:
            try:
                chunk = os.read(rfd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            out += chunk
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(rfd)
        os.close(wfd)
        for s in (".in", ".out"):
            os.unlink(base + s)
        os.rmdir(tmp)
    text = out.decode("utf-8", "replace").replace("\r", "")
    with open(os.path.join(BUILD, "console-flood-%s.log"
                           % ("read" if read else "stuck")), "w") as f:
        f.write(text)
    return proc.returncode, text


def test_flood_neighbour_output_all_arrives():
    rc, text = run_flood(read=True)
    got = re.findall(r"^\[neighbour\] neighbour line (\d+) of %d$" % LINES,
                     text, re.M)
    assert got == ["%02d" % i for i in range(LINES)]
    assert "[neighbour] SUMMARY: 1 passed, 0 failed" in text
    assert "test neighbour: PASS" in text and "test flood: PASS" in text
    assert rc == 1        # isa-debug-exit: (0 << 1) | 1, every test passed


def test_flood_no_guest_waits_for_a_stuck_port():
    """Nobody reads the port: guests write into their rings and finish;
    a guest waiting for the port would time out (exit status 3)."""
    rc, _ = run_flood(read=False)
    assert rc == 1


@pytest.fixture(scope="module")
def machine():
    img = os.path.join(BUILD, "console-isolation.img")
    make_image("isolation.cfg", img)
    cmd = " ".join(qemu_cmd(img, ["-chardev", "stdio,id=c,signal=off",
                                  "-serial", "chardev:c"]))
    log = open(os.path.join(BUILD, "console-isolation.log"), "w")
    p = pexpect.spawn(cmd, encoding="utf-8", timeout=60,
                      codec_errors="replace")
    p.logfile_read = log
    p.expect_exact("perfvisor: Ctrl-] h for the hypervisor shell, Ctrl-] ? for keys")
    p.send("\r")
    p.expect_exact(PROMPT)
    yield p
    p.terminate(force=True)
    log.close()


def transcript():
    return open(os.path.join(BUILD, "console-isolation.log")).read()


def run(p, command):
    """The output of a shell command, up to an unknown command typed
    after it: a prompt the shell prints on its own (once no guest runs)
    cannot be mistaken for the end of the output."""
    run.n += 1
    tag = "sync%d" % run.n
    p.send(command + "\r" + tag + "\r")
    p.expect_exact("unknown command '%s'" % tag)
    out = p.before
    p.expect_exact(PROMPT)
    return out


run.n = 0


def vm_row(out, name):
    for line in out.splitlines():
        f = line.split()
        if len(f) > 2 and f[1] == name:
            return line
    return ""


def test_taken_cpu_refused(machine):
    assert ("vm taken: not started: vcpu0 pinned to cpu3, which runs vm "
            "esc's vcpu0" in transcript())
    assert vm_row(run(machine, "vms"), "taken") == ""


def test_escape_key_configured(machine):
    machine.send(ESC + "?")
    machine.expect_exact("[Ctrl-] then: h shell, 1-9 guest n, n next guest, "
                         "Ctrl-] a literal Ctrl-]]")
    assert "Keys: Ctrl-] h shell" in run(machine, "help")


def test_shell_answers_while_a_guest_restarts(machine):
    """`vms` keeps answering while the looping guest resets over and over:
    a reset runs on the guest's CPU and does not hold up the console.
    Each `vms` below is a full shell round trip while the guest restarts
    or after its loop was stopped; the test waits until three answers show
    three restart counts. Catching the guest in the middle of a reset is
    not required: how long a reset lasts depends on the machine's speed
    (zeroing is lazy now, so it is short: CI never caught one). The loop
    is stopped after 10 restarts; `start` begins another."""
    def restarts(row):
        # name, a state of one or two words, then memory ("64M"), vcpus,
        # exits, restarts
        f = row.split()
        m = next((i for i, x in enumerate(f) if x[:-1].isdigit() and
                  x.endswith("M")), None)
        if m is None or len(f) <= m + 3 or not f[m + 3].isdigit():
            return -1
        return int(f[m + 3])

    seen = set()
    starts = 0
    while True:
        row = vm_row(run(machine, "vms"), "loop")
        assert row, "vms lost the vm"
        seen.add(restarts(row))
        if len(seen - {-1}) >= 3:
            print("restart counts seen by vms:", sorted(seen))
            break
        if "restart loop" in row:
            assert starts < 3, "vms saw the restart count only at %s" % seen
            run(machine, "start loop")
            starts += 1


def test_restart_loop_stopped(machine):
    row = ""
    for _ in range(3000):           # each is a shell round trip
        row = vm_row(run(machine, "vms"), "loop")
        if "restart loop" in row:
            break
    assert "restart loop: 10 restarts within 100000 exits" in row
    assert ("vm loop: restart loop: 10 restarts within 100000 guest exits: "
            "stopped (`start loop` boots it again)" in transcript())


def test_guest_cannot_flush_the_log(machine):
    for _ in range(3000):
        if "exited" in vm_row(run(machine, "vms"), "logflood"):
            break
    out = run(machine, "log 5000")
    assert out.count("rdmsr 0xdead: #GP") > 100
    assert "took the machine" in out        # the first line of the log
    assert "cpu3: apic id 3 online" in out


def test_guest_escapes_shown_escaped(machine):
    forged = "[esc] \\e[1G\\e[2K[   1.000000] cpu0: forged line^G\n"
    red = "[esc] \\e[31mred\\e[0m\ttab \\xc3\\xa9 end"
    # Guest lines go out only when the host ring is empty: each shell
    # round trip gives the drainer a turn.
    for _ in range(3000):
        text = transcript()
        if forged in text.replace("\r", "") and red in text:
            break
        run(machine, "vms")
    assert forged in text.replace("\r", "")
    assert red in text
    assert "\x1b" not in text[text.index("took the machine"):]


def test_attached_guest_gets_raw_bytes(machine):
    machine.send("attach esc\r")
    machine.expect_exact("[console: vm esc; Ctrl-] h for the hypervisor shell]")
    machine.expect_exact("\x1b[31mred\x1b[0m\ttab \xe9 end")
    machine.send(ESC + "h")
    machine.expect_exact(PROMPT)
