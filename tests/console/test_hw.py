# SPDX-License-Identifier: GPL-2.0
"""End to end: the hardware readiness report, at boot and with `hw`.

Boots perfvisor (tests/console/console.cfg) twice in QEMU TCG with
-cpu max: on the system's QEMU, which has no PMU, and on our PMU-model
QEMU ($QEMU_PMU, default build/qemu-pmu/qemu-system-x86_64, with
tcg-pmu=on: AMD PerfMonV2). Checks the banner's summary and verdict
lines, and that `hw` prints the table and the verdicts, and `hw raw` the
record, as the unit tests' data files hold it (tests/unit/data/hw/).
Run with Debian's pytest: /usr/bin/python3 -m pytest tests/console
"""
import os
import re
import subprocess

import pexpect
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMG = os.path.join(ROOT, "build", "hw-test.img")
PROMPT = "perfvisor> "
QEMU_PMU = os.environ.get("QEMU_PMU") or os.path.join(
    ROOT, "build", "qemu-pmu", "qemu-system-x86_64")


def boot(qemu, cpu, name):
    subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "-o", IMG,
                    "-e", os.path.join(ROOT, "build", "perfvisor.efi"),
                    "-c", os.path.join(ROOT, "tests", "console", "console.cfg")],
                   check=True, stdout=subprocess.DEVNULL)
    cmd = ("%s -nodefaults -machine q35 -accel tcg -cpu %s "
           "-m 2048 -smp 4 -bios /usr/share/ovmf/OVMF.fd "
           "-drive format=raw,file=%s -chardev stdio,id=c,signal=off "
           "-serial chardev:c -display none -no-reboot" % (qemu, cpu, IMG))
    logname = os.path.join(ROOT, "build", "hw-test-%s.log" % name)
    log = open(logname, "w")
    p = pexpect.spawn(cmd, encoding="utf-8", timeout=120, codec_errors="replace")
    p.logfile_read = log
    p.expect("no guest is running")
    p.expect_exact(PROMPT)
    banner = open(logname).read()
    return p, log, banner


def run(p, command):
    p.send(command + "\r")
    p.expect_exact(PROMPT)
    return p.before.replace("\r", "")


@pytest.fixture(scope="module")
def plain():
    p, log, banner = boot("qemu-system-x86_64", "max", "plain")
    yield p, banner
    p.terminate(force=True)
    log.close()


@pytest.fixture(scope="module")
def pmu():
    assert os.access(QEMU_PMU, os.X_OK), \
        "%s: no PMU-model QEMU (make qemu-pmu, or set QEMU_PMU)" % QEMU_PMU
    p, log, banner = boot(QEMU_PMU, "max,tcg-pmu=on", "pmu")
    yield p, banner
    p.terminate(force=True)
    log.close()


def row(table, name):
    """The 'offered' column of a table row."""
    m = re.search(r"^  %s +(\S.*?)\s{2,}" % re.escape(name), table, re.M)
    assert m, "no row %r in:\n%s" % (name, table)
    return m.group(1)


def test_banner_summary_and_verdicts(plain):
    _, banner = plain
    assert re.search(r"hw: QEMU TCG CPU .*\(AuthenticAMD .*microcode 0x[0-9a-f]+\): "
                     r"SVM usable, nested paging yes, ASIDs yes, vNMI no", banner)
    assert "hw: guests: yes (SVM, nested paging, ASIDs)" in banner
    assert ("hw: perf in guests: no: the CPU lacks PerfCtrExtCore "
            "(CPUID 8000_0001h ECX[23])") in banner
    assert "hw: host: a virtual machine (CPUID.1 ECX[31])" in banner
    assert "backend AMD SVM" in banner
    assert "hw: the report says" not in banner	# report and probes agree


def test_hw_table_without_pmu(plain):
    p, _ = plain
    out = run(p, "hw")
    assert "hardware readiness (boot CPU):" in out
    assert row(out, "virtualization") == "SVM: yes"
    assert row(out, "nested paging") == "yes (nested paging)"
    assert row(out, "ASID/VPID").startswith("ASIDs: yes (")
    assert row(out, "next-RIP") == "no (NRIP save)"
    assert row(out, "vNMI") == "no"
    assert row(out, "AVIC/APICv") == "AVIC: no"
    assert row(out, "PMU") == "AMD: PerfCtrExtCore no"
    assert row(out, "counters") == "none"
    assert row(out, "PerfMonV2") == "no"
    assert row(out, "PERF_GLOBAL_CTRL") == "n/a (SVM: GuestOnly selectors)"
    assert row(out, "hybrid cores") == "no"
    assert row(out, "IOMMU tables") == "DMAR: no, IVRS: no"
    assert row(out, "x2APIC") == "yes"
    assert re.match(r"0x[0-9a-f]+$", row(out, "microcode"))
    verdicts = out[out.index("verdicts:"):]
    for line in ("  guests: yes (SVM, nested paging, ASIDs)",
                 "  perf in guests: no: the CPU lacks PerfCtrExtCore",
                 "  hybrid cores: no: all cores alike",
                 "  instruction lengths: decoded in software",
                 "  guest NMIs: IRET intercept and single-step (no vNMI)",
                 "  IOMMU: not used yet"):
        assert line in verdicts, verdicts


def test_hw_raw_is_a_record(plain):
    p, _ = plain
    out = run(p, "hw raw")
    lines = [l for l in out.splitlines()[1:] if l.strip()]
    assert lines
    for l in lines:
        assert re.match(r"(CPUID [0-9A-F]{8}: [0-9A-F]{8}(-[0-9A-F]{8}){3} \[SL [0-9A-F]{2}\]"
                        r"|MSR [0-9A-F]{8}: [0-9A-F]{16}|ACPI DMAR [01] IVRS [01])$", l), l
    assert "CPUID 8000000A:" in out
    assert "usage: hw [raw]" in run(p, "hw frob")


def test_hw_with_perfmon_v2(pmu):
    p, banner = pmu
    assert ("hw: perf in guests: yes (mediated PMU: AMD PerfMonV2 "
            "PerfCtrExtCore, 6 counters of 48 bits)") in banner
    assert "PMU v2 6x48 bits" in banner
    assert "hw: the report says" not in banner	# report and probes agree
    out = run(p, "hw")
    assert row(out, "PMU") == "AMD: PerfCtrExtCore yes"
    assert row(out, "counters") == "6 general of 48 bits, no fixed"
    assert row(out, "PerfMonV2") == "yes"
    assert "  perf in guests: yes (mediated PMU: AMD PerfMonV2" in out
    assert "CPUID 80000022: 00000001-00000006-" in run(p, "hw raw")
