#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The exit-path regression check (docs/profile.md).

Boots perfvisor on our QEMU with the PMU model ($QEMU_PMU, -cpu
max,tcg-pmu=on: instructions are counted exactly) with tests/perf/perf.cfg:
`profile = on` and one guest, guest-tests/perf_exits.c, which makes a fixed
mix of CPUID, UART port-I/O and vLAPIC MMIO exits. Once the guest is done
it reads `prof perf` on the hypervisor console and compares, per exit kind
named in the baseline (tests/perf/baseline.txt), the mean hypervisor
instructions per exit round trip: more than 10 % above the baseline fails,
with the numbers. Exit status 0: all within; 1: a regression; 2: the run
itself failed.

  check.py            check against the baseline
  check.py --update   write the measured means as the new baseline
                      (`make profile-baseline`)

With --emu bochs the same runs on the Intel VMX backend: our Bochs with the
Intel PMU model ($BOCHS_PMU, bochsrc pmu=1, docs/bochs-pmu.md; exact counts
too), where the reserved counter is fenced by the VM-exit load of
IA32_PERF_GLOBAL_CTRL; its baseline is tests/perf/baseline-bochs.txt (the
VMX exit path is another path than SVM's).
"""
import argparse
import os
import re
import subprocess
import sys
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
IMG = os.path.join(BUILD, "perf-test.img")
LOG = os.path.join(BUILD, "perf-test.log")
BASELINES = {"qemu": os.path.join(ROOT, "tests", "perf", "baseline.txt"),
             "bochs": os.path.join(ROOT, "tests", "perf", "baseline-bochs.txt")}
BASELINE = BASELINES["qemu"]
KINDS = ("cpuid", "io", "mem-fault")
LIMIT = 1.10
PROMPT = "perfvisor> "


def qemu_binary():
    path = os.environ.get("QEMU_PMU") or "build/qemu-pmu/qemu-system-x86_64"
    return path if os.path.isabs(path) else os.path.join(ROOT, path)


def parse_table(text):
    """`prof VM` rows: kind -> dict(count, insn_mean, insn_min, insn_max)."""
    rows = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) == 8 and re.fullmatch(r"\d+", f[1]):
            rows[f[0]] = {"count": int(f[1]), "insn_mean": float(f[2]),
                          "insn_min": int(f[3]), "insn_max": int(f[4])}
    return rows


def spawn_bochs(log):
    """Our Bochs with the PMU model, COM1 on a pseudo-terminal (as
    tests/linux/bochs.py): (pexpect child, Bochs process)."""
    import pty
    import tty
    import pexpect.fdpexpect
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import bochs_rc
    miss = bochs_rc.missing()
    if miss:
        raise RuntimeError(miss)
    master, slave = pty.openpty()
    tty.setraw(slave)
    tty.setraw(master)
    rc_path = os.path.join(BUILD, "perf-test-bochs.rc")
    with open(rc_path, "w") as f:
        f.write(bochs_rc.bochsrc("tests/perf/check.py --emu bochs", 512, 2,
                                 IMG, os.path.join(BUILD, "perf-test-bochs.log"),
                                 "mode=term, dev=" + os.ttyname(slave),
                                 pmu=True))
    bochs_rc.remove_locks(IMG)
    proc = subprocess.Popen(bochs_rc.command(rc_path),
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    p = pexpect.fdpexpect.fdspawn(master, encoding="utf-8", timeout=600,
                                  codec_errors="replace")
    p.logfile_read = log
    p.bochs_slave = slave
    return p, proc


def measure(emu="qemu"):
    subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "-o", IMG,
                    "-e", os.path.join(BUILD, "perfvisor.efi"),
                    "-c", os.path.join(ROOT, "tests", "perf", "perf.cfg")],
                   check=True, stdout=subprocess.DEVNULL)
    log = open(LOG, "w")
    proc = None
    if emu == "bochs":
        p, proc = spawn_bochs(log)
    else:
        p = spawn_qemu(log)
    try:
        p.expect(r"profile: (counter \d+ counts the hypervisor's instructions"
                 r"|no hypervisor counter[^\n]*)")
        banner = p.after
        # The guest's summary and the hypervisor's lines come in either order.
        seen = set()
        while seen != {0, 1}:
            i = p.expect([r"SUMMARY: (\d+) passed, (\d+) failed",
                          "vm perf exited"])
            if i == 0 and p.match.group(2) != "0":
                raise RuntimeError("the perf_exits guest failed its checks")
            seen.add(i)
        p.send("prof perf\r")
        p.expect(r"vm perf, \d+ vCPU")
        p.expect_exact(PROMPT)
        out = p.before
    finally:
        if proc:
            import bochs_rc
            bochs_rc.stop(proc, IMG)
        else:
            p.terminate(force=True)
        log.close()
    if "counts the hypervisor's instructions" not in banner:
        raise RuntimeError("no hypervisor counter on the PMU model: %s" % banner)
    return parse_table(out), out


def spawn_qemu(log):
    cmd = ("%s -nodefaults -machine q35 -accel tcg -cpu max,tcg-pmu=on "
           "-m 1024 -smp 2 -bios /usr/share/ovmf/OVMF.fd "
           "-drive format=raw,file=%s -chardev stdio,id=c,signal=off "
           "-serial chardev:c -display none -no-reboot" % (qemu_binary(), IMG))
    # Generous: waits for events, the timeout only catches a hang.
    p = pexpect.spawn(cmd, encoding="utf-8", timeout=600,
                      codec_errors="replace")
    p.logfile_read = log
    return p


def read_baseline():
    base = {}
    with open(BASELINE) as f:
        for line in f:
            line = line.split("#")[0].split()
            if len(line) == 2:
                base[line[0]] = float(line[1])
    return base


def write_baseline(rows, emu):
    with open(BASELINE, "w") as f:
        f.write("# Hypervisor instructions per exit round trip (mean), by exit kind,\n"
                "# for guest-tests/perf_exits.c under tests/perf/perf.cfg on the %s\n"
                "# PMU model (exact counts). tests/perf/check.py%s fails when a kind\n"
                "# costs more than 10 %% above this. Rewritten by `make %s`\n"
                "# (%s); commit the change with the reason.\n"
                % ("QEMU (SVM)" if emu == "qemu" else "Bochs (VMX)",
                   "" if emu == "qemu" else " --emu bochs",
                   "profile-baseline" if emu == "qemu"
                   else "profile-baseline-bochs",
                   time.strftime("%Y-%m-%d")))
        for k in KINDS:
            f.write("%-10s %.1f\n" % (k, rows[k]["insn_mean"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update", action="store_true",
                    help="write the measured means as the new baseline")
    ap.add_argument("--emu", default="qemu", choices=["qemu", "bochs"],
                    help="QEMU (SVM, AMD PMU model) or Bochs (VMX, Intel "
                    "PMU model)")
    args = ap.parse_args()
    global BASELINE, IMG, LOG
    BASELINE = BASELINES[args.emu]
    if args.emu == "bochs":
        IMG = os.path.join(BUILD, "perf-test-bochs.img")
        LOG = os.path.join(BUILD, "perf-test-bochs.console")
    t0 = time.time()
    try:
        rows, out = measure(args.emu)
        missing = [k for k in KINDS if k not in rows]
        if missing:
            raise RuntimeError("no %s round trips in the profile:\n%s"
                               % (", ".join(missing), out))
        # A counter that does not count (not enabled at VM exit, say)
        # would pass any upper bound.
        idle = [k for k in KINDS if rows[k]["insn_min"] <= 0]
        if idle:
            raise RuntimeError("the hypervisor counter counted nothing for "
                               "%s:\n%s" % (", ".join(idle), out))
    except (RuntimeError, pexpect.ExceptionPexpect) as e:
        print("perf: the run failed: %s (console: %s)" % (e, LOG))
        return 2
    if args.update:
        write_baseline(rows, args.emu)
        print("perf: baseline written to %s" % os.path.relpath(BASELINE, ROOT))
        for k in KINDS:
            print("  %-10s %10.1f" % (k, rows[k]["insn_mean"]))
        return 0
    if not os.path.exists(BASELINE):
        print("perf: no baseline %s (make profile-baseline%s):\n%s"
              % (os.path.relpath(BASELINE, ROOT),
                 "" if args.emu == "qemu" else "-bochs", out))
        return 2
    base = read_baseline()
    bad = 0
    print("perf: hypervisor instructions per exit round trip (mean; min, max, count), "
          "limit +%d %% of %s" % (round((LIMIT - 1) * 100),
                                  os.path.relpath(BASELINE, ROOT)))
    for k, ref in sorted(base.items()):
        r = rows.get(k)
        if not r:
            print("  %-10s missing from the profile" % k)
            bad += 1
            continue
        ratio = r["insn_mean"] / ref
        over = ratio > LIMIT
        bad += over
        print("  %-10s %10.1f  baseline %10.1f  %+6.1f %%  (min %d, max %d, %d exits)%s"
              % (k, r["insn_mean"], ref, (ratio - 1) * 100, r["insn_min"],
                 r["insn_max"], r["count"],
                 "  REGRESSION: more than 10 % above the baseline" if over else ""))
    print("perf: %s (%.0f s)" % ("FAILED: %d exit kind(s) costlier" % bad if bad
                                 else "ok", time.time() - t0))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
