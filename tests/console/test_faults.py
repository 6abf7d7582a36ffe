# SPDX-License-Identifier: GPL-2.0
"""End to end: machine faults, power-off and reboot (arch/x86/fault.c,
arch/x86/mce.c, hv/power.c).

Five QEMU runs (4 CPUs, q35, OVMF) of tests/console/faults.cfg: a guest
spinning in guest mode on cpu1, a short one on cpu2, cpu3 idle.

1. QEMU's monitor `nmi` (the platform NMI, through every CPU's LINT1):
   each CPU reports an unexpected NMI with its registers and carries on,
   and the shell's `log` has the reports afterwards;
   then `reboot` (the FADT reset register) boots the firmware and
   perfvisor again, and `poweroff` there ends QEMU through ACPI S5.
2. The test build (build/perfvisor-hooks.efi) raises #UD on cpu2: the
   report names the vector and cpu2 with its registers, every other CPU
   says it stopped.
3. The test build sends cpu3 an NMI for which port 0x61 reads 0xff (no
   reason port, as on a legacy-free chipset): reported, and the machine
   carries on; then one for which it reads as PCI SERR#: a hardware
   error, the report and every other CPU stop.
4. The monitor's `mce` on the idle cpu3 (a fatal machine check: PCC,
   RIPV clear): the report has MCG_STATUS, the bank and the registers,
   every other CPU stops. (Not on cpu1 in its guest: QEMU TCG then looks
   at the guest's CR4.MCE and resets the machine, and it has no #MC
   intercept for an injected one; the guest route, EXIT_MACHINE_CHECK,
   is not exercised by any emulator here.)
5. The test build raises #UD on cpu2 and then panics on cpu2 while it
   stops the machine (a second fatal event on the stopping CPU): both are
   reported, every other CPU stops, and the stop ends with its one
   "machine stopped" line.

Every wait is for an event; the timeouts are last resorts.
Run with Debian's pytest: /usr/bin/python3 -m pytest tests/console
"""
import os
import re
import socket
import subprocess
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
PROMPT = "perfvisor> "
T = 120		# a last resort: QEMU TCG on a loaded 2-core host


class Machine:
    def __init__(self, name, efi, reboot=True):
        self.img = os.path.join(BUILD, "faults-%s.img" % name)
        self.mon = os.path.join(BUILD, "faults-%s.mon" % name)
        subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "-o", self.img,
                        "-e", os.path.join(BUILD, efi),
                        "-c", os.path.join(ROOT, "tests", "console", "faults.cfg")],
                       check=True, stdout=subprocess.DEVNULL)
        if os.path.exists(self.mon):
            os.unlink(self.mon)
        cmd = ("qemu-system-x86_64 -nodefaults -machine q35 -accel tcg -cpu max "
               "-m 1024 -smp 4 -bios /usr/share/ovmf/OVMF.fd "
               "-drive format=raw,file=%s -chardev stdio,id=c,signal=off "
               "-serial chardev:c -display none -monitor unix:%s,server=on,wait=off%s"
               % (self.img, self.mon, "" if reboot else " -no-reboot"))
        self.log = open(os.path.join(BUILD, "faults-%s.log" % name), "w")
        self.p = pexpect.spawn(cmd, encoding="utf-8", timeout=T,
                               codec_errors="replace")
        self.p.logfile_read = self.log

    def boot(self):
        """Waits for perfvisor's shell."""
        self.p.expect("took the machine")
        self.banner_start = len(self.p.before)
        # Two guests' rings: their lines come in either order.
        waits = [r"\[spin\] spinning", r"\[cpuid\] SUMMARY: \d+ passed, 0 failed"]
        seen = set()
        while len(seen) < len(waits):
            seen.add(self.p.expect(waits))
        self.p.send("\x01h")
        self.p.expect_exact(PROMPT)

    def run(self, command):
        self.p.send(command + "\r")
        self.p.expect_exact(PROMPT)
        return self.p.before

    def monitor(self, command):
        """One HMP command on the monitor socket; returns its answer."""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for _ in range(100):
            try:
                s.connect(self.mon)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                time.sleep(0.1)
        out = b""
        s.settimeout(T)
        while not out.endswith(b"(qemu) "):
            out += s.recv(4096)
        s.sendall(command.encode() + b"\n")
        out = b""
        while not out.endswith(b"(qemu) "):
            out += s.recv(4096)
        s.close()
        return out.decode(errors="replace")

    def close(self):
        self.p.terminate(force=True)
        self.log.close()


def expect_stopped(m, cpus):
    """Each of @cpus says it stopped, then the machine-stopped line."""
    seen = set()
    while seen != set(cpus):
        m.p.expect(r"cpu(\d+): stopped")
        seen.add(int(m.p.match.group(1)))
    m.p.expect(r"machine stopped \((\d+) of (\d+) other CPUs stopped\)")
    assert m.p.match.group(1) == m.p.match.group(2) == str(len(cpus))


def test_nmi_report_reboot_poweroff():
    m = Machine("nmi", "perfvisor.efi")
    try:
        m.boot()
        text = open(m.log.name).read()
        assert "platform NMI: LINT pins as the MADT's NMI structures say" in text
        assert re.search(r"machine checks: \d+ banks, CR4.MCE on", text)
        assert "cpu0: cpu0:" not in text

        m.monitor("nmi")
        # Every line names its CPU; two CPUs' reports may interleave (a
        # report waits for another only so long: fault_lock), so the lines
        # are sorted by CPU, each report ending with its "holding" line.
        reports, lines = {}, {}
        while len(reports) < 4:
            m.p.expect(r"cpu(\d): ([^\r\n]*)\r*\n")	# whole lines
            cpu = int(m.p.match.group(1))
            lines.setdefault(cpu, []).append(m.p.match.group(2))
            held = re.match(r"  holding (vm \w+ vcpu \d|no vCPU)",
                            m.p.match.group(2))
            if held:
                reports[cpu] = held.group(1)
        for cpu, said in lines.items():
            report = "\n".join(said)
            assert re.search(r"unexpected NMI on cpu%d \(apic id %d\), "
                             r"port 0x61 = (?:0|0x[0-9a-f]+): no SERR/IOCHK"
                             r"(?:.*\n)*  rip [0-9a-f]{16} cs 0008"
                             r"(?:.*\n)*  cr0 [0-9a-f]{16} cr2 [0-9a-f]{16} cr3"
                             % (cpu, cpu), report), report
        assert reports[1] == "vm spin vcpu 0"
        # The machine carries on: the shell answers, the guest still runs.
        m.p.send("\r")
        m.p.expect_exact(PROMPT)
        out = m.run("vms")
        assert re.search(r"spin\s.*running", out), out
        out = m.run("cpus")
        for cpu in range(4):
            assert re.search(r"cpu%d .*, 1 unexpected NMI\r*$" % cpu, out, re.M), out
        # The reports the machine survived are in the log too.
        out = m.run("log 100")
        for cpu in range(4):
            assert re.search(r"cpu%d: unexpected NMI on cpu%d " % (cpu, cpu), out), out
            assert re.search(r"cpu%d:   holding (vm \w+ vcpu \d|no vCPU)" % cpu, out), out

        m.p.send("reboot\r")
        m.p.expect(r"rebooting: the FADT reset register \(port 0xcf9 <- 0x[0-9a-f]+\)")
        m.boot()		# the firmware and perfvisor start again
        m.p.send("poweroff\r")
        m.p.expect(r"powering off: ACPI S5, SLP_TYPa 0 into PM1a_CNT \(port 0x604\)")
        m.p.expect(pexpect.EOF)
        m.p.close()
        assert m.p.exitstatus == 0
    finally:
        m.close()


def test_host_exception_stops_the_others():
    m = Machine("exc", "perfvisor-hooks.efi", reboot=False)
    try:
        m.boot()
        m.p.send("fault ud 2\r")
        m.p.expect(r"cpu2: host exception 6 \(#UD invalid opcode\) error 0 "
                   r"on cpu2 \(apic id 2\)")
        m.p.expect(r"cpu2:   rip ([0-9a-f]{16}) cs 0008 rflags [0-9a-f]{8} rsp")
        rip = int(m.p.match.group(1), 16)
        m.p.expect(r"cpu2:   rax [0-9a-f]{16} rbx")
        m.p.expect(r"cpu2:   cr0 [0-9a-f]{16} cr2 [0-9a-f]{16} cr3 [0-9a-f]{16} cr4")
        m.p.expect(r"cpu2:   backtrace \[0\]")
        m.p.expect(r"cpu2:   perfvisor loaded at ([0-9a-f]{16}): addr2line")
        base = int(m.p.match.group(1), 16)
        expect_stopped(m, [0, 1, 3])
        # The report's recipe names the faulting function (docs/bare-metal.md).
        where = subprocess.run(["addr2line", "-f", "-i", "-e",
                                os.path.join(BUILD, "perfvisor-hooks.so"),
                                "%x" % (rip - base)],
                               check=True, capture_output=True, text=True).stdout
        assert "fault_hooks.c" in where, where
    finally:
        m.close()


def test_serr_nmi_stops_the_others():
    m = Machine("serr", "perfvisor-hooks.efi", reboot=False)
    try:
        m.boot()
        m.p.send("fault noport 3\r")
        m.p.expect(r"cpu3: unexpected NMI on cpu3 \(apic id 3\), port 0x61 = 0xff: "
                   r"no NMI reason port")
        m.p.expect(r"cpu3:   holding no vCPU")
        # The machine carries on. (The report may come before or after
        # the prompt of `fault`: wait for what `cpus` says, not prompts.)
        m.p.send("cpus\r")
        m.p.expect(r"cpu3 .*, 1 unexpected NMI\r*\n")
        m.p.expect_exact(PROMPT)
        m.p.send("fault serr 3\r")
        m.p.expect(r"cpu3: NMI: PCI system error \(SERR#, bit 7\) \(port 0x61 = 0x80\): "
                   r"a hardware error, stopping the machine")
        m.p.expect(r"cpu3:   rip [0-9a-f]{16} cs 0008")
        m.p.expect(r"cpu3:   holding no vCPU")
        expect_stopped(m, [0, 1, 2])
    finally:
        m.close()


def test_machine_check_stops_the_others():
    m = Machine("mce", "perfvisor.efi", reboot=False)
    try:
        m.boot()
        # VAL | UC | EN | PCC in bank 1; MCG_STATUS: MCIP, RIPV clear.
        ans = m.monitor("mce 3 1 0xb600000000000000 0x4 0x1234000 0x0")
        assert "ignored" not in ans.lower(), ans
        m.p.expect(r"cpu3: MACHINE CHECK on cpu3 \(apic id 3\): "
                   r"MCG_STATUS 0x4 \(RIPV 0 EIPV 0 MCIP 1\), 1 of \d+ banks logged")
        m.p.expect(r"cpu3:   bank 1: status b600000000000000 \[VAL UC EN ADDRV PCC\] "
                   r"addr 0000000001234000")
        m.p.expect(r"cpu3:   rip [0-9a-f]{16} cs 0008")
        m.p.expect(r"cpu3:   holding no vCPU")
        m.p.expect(r"cpu3:   unrecoverable: MCG_STATUS.RIPV clear")
        expect_stopped(m, [0, 1, 2])
    finally:
        m.close()


def test_panic_while_stopping_still_stops_once():
    m = Machine("nested", "perfvisor-hooks.efi", reboot=False)
    try:
        m.boot()
        m.p.send("fault nested 2\r")
        m.p.expect(r"cpu2: host exception 6 \(#UD invalid opcode\) error 0 "
                   r"on cpu2 \(apic id 2\)")
        m.p.expect(r"cpu2:   perfvisor loaded at")
        m.p.expect(r"cpu2: a second fatal event on this CPU while it stops the machine:")
        m.p.expect(r"cpu2: PANIC: test build: a panic after the report of a host exception")
        expect_stopped(m, [0, 1, 3])
    finally:
        m.close()
