#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Runs every guest-test under perfvisor in one emulator boot.

Each guest-tests/NAME.c becomes a guest of a test-mode configuration. Its
header comment may say `expect: crash|fail` (default pass),
`instances: N` (default 1), `on_exit: restart` (default stop),
`cmdline: TEXT` (the rest of the line), `module: PATH` (a file of the
source tree, given to the guest as its `initrd`: a Multiboot kernel's
module 0), `config: KEY = VALUE` (repeatable: a line for the guest's [vm]
section, replacing the generated line of that key if there is one) and
`requires: pmu` (the test needs a PMU: it runs only on an emulator that has
one, QEMU with our AMD PMU model or Bochs with our Intel PMU model, and is
skipped elsewhere; `requires: pmu-amd` or `pmu-intel`: a PMU of that
vendor, i.e. QEMU or Bochs),
`requires: alignment-check` (it needs #AC, which QEMU's TCG never raises:
Bochs only) and
`overlap: required` (its instances must run at the same time: they meet
with gt_rendezvous() before their windows, each prints `window START END`,
two TSC values, and the run fails unless all windows of the test
intersect; the guest TSC is the host's, one clock for all CPUs). A test whose header
says `standalone: WHERE` is a guest another test boots in a configuration
of its own: it runs here only when named on the command line.
Guests are pinned round-robin over the application processors;
instances of one test land on different CPUs at the same place in
their CPUs' queues (tests needing overlap first of all), so that they run
at the same time; instances that meet (gt_rendezvous()) need as many
application processors as there are instances, or they would wait for
each other for ever in one CPU's queue. The hypervisor prints one `test NAME: PASS|FAIL`
line per guest and folds the verdict into the emulator's exit status; this
script checks both and that no test is missing.

With --emu bochs (Intel VMX under our Bochs 3.0 + OVMF: $BOCHS_PMU,
default build/bochs-pmu/bochs from `make bochs-pmu`, docs/bochs-pmu.md;
CPU model sapphire_rapids unless --bochs-cpu says otherwise) the verdict
comes from the serial output alone: Bochs has no isa-debug-exit device, so
once the hypervisor prints its `guest-tests: N passed, M failed` summary
this script stops Bochs itself (Bochs' exit status is always 1). The
bochsrc switches our Intel PMU model on (`pmu=1`, docs/bochs-pmu.md), so
`requires: pmu` tests run there too; `--bochs-pmu off` leaves it off and
skips them (`requires: alignment-check` tests are skipped under QEMU).

With --emu qemu the emulator is our QEMU with the AMD PerfMonV2 model
(docs/qemu-pmu.md): $QEMU_PMU, default build/qemu-pmu/qemu-system-x86_64
(`make qemu-pmu`), with -cpu max,tcg-pmu=on.
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import bochs_rc  # noqa: E402
from bochs_rc import bochsrc, remove_locks, stop as stop_bochs  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
QEMU_PMU_DEFAULT = "build/qemu-pmu/qemu-system-x86_64"


def qemu_binary():
    """Our QEMU with the PMU model: $QEMU_PMU (relative to the repository
    root unless absolute), by default the `make qemu-pmu` build."""
    path = os.environ.get("QEMU_PMU") or QEMU_PMU_DEFAULT
    return path if os.path.isabs(path) else os.path.join(ROOT, path)


def emu_has_pmu(args):
    if args.emu == "bochs":
        return args.bochs_pmu == "on"
    return "tcg-pmu=on" in args.cpu


# What a `requires:` line may name, and whether the emulator has it (with
# the reason it lacks it).
def emu_features(args):
    pmu_why = ("--bochs-pmu off: the Intel PMU model is switched off"
               if args.emu == "bochs"
               else "-cpu %s has no tcg-pmu=on" % args.cpu)
    return {
        "pmu": (emu_has_pmu(args), pmu_why),
        "pmu-amd": (emu_has_pmu(args) and args.emu == "qemu",
                    "an AMD PMU test" if emu_has_pmu(args) else pmu_why),
        "pmu-intel": (emu_has_pmu(args) and args.emu == "bochs",
                      "an Intel PMU test" if emu_has_pmu(args) else pmu_why),
        "alignment-check": (args.emu == "bochs",
                            "QEMU's TCG does not check alignment (#AC)"),
    }


def discover(only):
    tests = []
    src_dir = os.path.join(ROOT, "guest-tests")
    for name in sorted(os.listdir(src_dir)):
        if not name.endswith(".c"):
            continue
        base = name[:-2]
        if only and base not in only:
            continue
        src = open(os.path.join(src_dir, name)).read()
        head = src[:2000]
        # Guests another test boots with its own configuration.
        if re.search(r"^\W*standalone:", head, re.M) and base not in only:
            continue
        expect = re.search(r"expect:\s*(\w+)", head)
        inst = re.search(r"instances:\s*(\d+)", head)
        on_exit = re.search(r"on_exit:\s*(\w+)", head)
        cmdline = re.search(r"^\W*cmdline:[ \t]*(.*?)\s*$", head, re.M)
        module = re.search(r"^\W*module:[ \t]*(\S+)", head, re.M)
        overlap = re.search(r"^\W*overlap:[ \t]*required\b", head, re.M)
        requires = re.findall(r"^\W*requires:[ \t]*(\S+)", head, re.M)
        config = []
        for m in re.finditer(r"^\W*config:[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*(.*?)\s*$",
                             head, re.M):
            config.append((m.group(1), m.group(2)))
        tests.append({
            "name": base,
            "expect": expect.group(1) if expect else "pass",
            "instances": int(inst.group(1)) if inst else 1,
            "on_exit": on_exit.group(1) if on_exit else "stop",
            "cmdline": cmdline.group(1) if cmdline else None,
            "module": module.group(1) if module else None,
            "requires": requires,
            "overlap": bool(overlap),
            # Its instances wait for each other (PV_HC_RENDEZVOUS).
            "meets": "gt_rendezvous(" in src,
            "config": config,
        })
    return tests


def write_config(tests, path, nr_cpus, timeout, hv_lines=()):
    app_cpus = list(range(1, nr_cpus)) or [0]
    lines = ["# generated by tests/guests/run.py", "[hypervisor]",
             "mode = test", "log = info"] + list(hv_lines) + [""]
    names = []
    # Multi-instance tests first (those that need overlap first of all),
    # one instance per CPU, each test's instances at the same depth of
    # their CPUs' queues: guests on one CPU run one after another.
    multi = [t for t in tests if t["instances"] > 1]
    multi.sort(key=lambda t: (not t["overlap"], -t["instances"]))
    ordered = multi + [t for t in tests if t["instances"] == 1]
    slot = 0
    for t in ordered:
        # Two on one CPU would wait for each other there for ever.
        if t["meets"] and t["instances"] > len(app_cpus):
            sys.exit("guest-tests: the %d instances of %s wait for each "
                     "other and need a CPU each: %d CPUs are too few"
                     % (t["instances"], t["name"], nr_cpus))
        if t["instances"] > 1 and t["instances"] <= len(app_cpus) and \
                slot % len(app_cpus) + t["instances"] > len(app_cpus):
            slot += len(app_cpus) - slot % len(app_cpus)
        for i in range(t["instances"]):
            vm = t["name"] if t["instances"] == 1 else "%s%d" % (t["name"], i)
            cpu = app_cpus[slot % len(app_cpus)]
            slot += 1
            names.append(vm)
            sec = ["image = guest-tests/%s.elf" % t["name"],
                   "memory = 16M", "cpus = 1", "pin = %d" % cpu,
                   "expect = %s" % t["expect"],
                   "on_exit = %s" % t["on_exit"],
                   "timeout = %d" % timeout]
            if t["cmdline"]:
                sec.append("cmdline = %s" % t["cmdline"])
            if t["module"]:
                sec.append("initrd = %s" % t["module"])
            # A key set twice in a section is a config error: a test's
            # `config:` line replaces the generated one.
            for key, value in t["config"]:
                sec = [l for l in sec if l.split(" =")[0] != key]
                sec.append("%s = %s" % (key, value))
            lines += ["[vm %s]" % vm] + sec + [""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return names


def stage_modules(tests):
    """Copies the modules the tests name into build/, where mkimage.sh
    looks for every file a configuration names."""
    import shutil
    for t in tests:
        if t["module"]:
            dst = os.path.join(BUILD, t["module"])
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(os.path.join(ROOT, t["module"]), dst)


def qemu_cmd(img, smp, cpu):
    return [qemu_binary(), "-nodefaults", "-machine", "q35",
            "-accel", "tcg", "-cpu", cpu, "-m", "2048", "-smp", str(smp),
            "-bios", "/usr/share/ovmf/OVMF.fd",
            "-drive", "format=raw,file=%s" % img,
            "-serial", "stdio", "-display", "none", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


# A machine-fault report (arch/x86/fault.c, mce.c) fails the run, even an
# NMI the hypervisor carried on after: in test mode none may happen (the
# host_nmi test's NMIs are expected ones).
FAULT_RE = re.compile(r"^\[ *[0-9.]+\] cpu\d+: (host exception \d+|"
                      r"unexpected NMI on|MACHINE CHECK on|NMI: )")
faults = []


def note_fault(line):
    if FAULT_RE.search(line):
        faults.append(line)


def note_window(line, windows):
    """`[VM] window START END`: the TSC interval a guest worked in."""
    m = re.search(r"^\[(\S+)\] window ([0-9a-fx]+) ([0-9a-fx]+)\s*$", line)
    if m:
        windows.setdefault(m.group(1), []).append(
            (int(m.group(2), 16), int(m.group(3), 16)))


def check_overlap(tests, windows):
    """Names the instances of `overlap: required` tests that did not all
    work at the same time (no common point of their windows)."""
    bad = []
    for t in tests:
        if not t["overlap"] or t["instances"] < 2:
            continue
        vms = ["%s%d" % (t["name"], i) for i in range(t["instances"])]
        got = [windows.get(vm) for vm in vms]
        if not all(got):
            print("guest-tests: %s: not every instance printed its window"
                  % t["name"])
            bad += vms
            continue
        start = max(w[0] for g in got for w in g)
        end = min(w[1] for g in got for w in g)
        if start < end:
            print("guest-tests: %s: the %d instances overlapped for %d "
                  "TSC ticks" % (t["name"], len(vms), end - start))
        else:
            print("guest-tests: %s: the instances did not run at the same "
                  "time" % t["name"])
            bad += vms
    return bad


def run_bochs(img, args, out_dir, log, results, windows):
    """Boots the image in Bochs; returns True once the summary appeared."""
    remove_locks(img)
    com1 = os.path.join(out_dir, "bochs-com1.out")
    rc_path = os.path.join(out_dir, "bochs.rc")
    with open(com1, "w"):
        pass
    with open(rc_path, "w") as f:
        f.write(bochsrc("tests/guests/run.py --emu bochs", args.bochs_megs,
                        args.smp, img, os.path.join(out_dir, "bochs.log"),
                        "mode=file, dev=" + com1, model=args.bochs_cpu,
                        ips=args.bochs_ips, pmu=emu_has_pmu(args)))
    proc = subprocess.Popen(bochs_rc.command(rc_path),
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    start = time.time()
    done = False
    pos = 0
    pending = b""
    try:
        while not done:
            with open(com1, "rb") as f:
                f.seek(pos)
                chunk = f.read()
            pos += len(chunk)
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                line = raw.decode("utf-8", "replace").rstrip("\r")
                log.write(line + "\n")
                print(line, flush=True)
                m = re.search(r"test (\S+): (PASS|FAIL)", line)
                if m:
                    results[m.group(1)] = m.group(2)
                note_window(line, windows)
                note_fault(line)
                if re.search(r"guest-tests: \d+ passed, \d+ failed", line):
                    done = True
                if "PANIC" in line:
                    done = True
            if done:
                break
            if proc.poll() is not None:
                print("guest-tests: bochs exited early (see %s)"
                      % os.path.relpath(os.path.join(out_dir, "bochs.log"),
                                        ROOT))
                break
            if time.time() - start > args.timeout:
                print("guest-tests: bochs timed out after %d s" % args.timeout)
                break
            time.sleep(0.5)
    finally:
        stop_bochs(proc, img)
    return done


def run_qemu(img, args, start, log_path, results, windows):
    """Boots the image in QEMU; returns its exit status."""
    rc = None
    with open(log_path, "w") as log:
        proc = subprocess.Popen(qemu_cmd(img, args.smp, args.cpu),
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        # A boot that goes silent must end too: the loop below only looks
        # at the clock when a line arrives.
        timedout = []
        watchdog = threading.Timer(max(args.timeout - (time.time() - start), 1),
                                   lambda: (timedout.append(1), proc.kill()))
        watchdog.daemon = True
        watchdog.start()
        try:
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                log.write(line + "\n")
                print(line, flush=True)
                m = re.search(r"test (\S+): (PASS|FAIL)", line)
                if m:
                    results[m.group(1)] = m.group(2)
                note_window(line, windows)
                note_fault(line)
                if time.time() - start > args.timeout:
                    print("guest-tests: emulator timed out after %d s"
                          % args.timeout)
                    proc.kill()
                    break
            rc = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        finally:
            watchdog.cancel()
        if timedout:
            print("guest-tests: emulator silent, killed after %d s"
                  % args.timeout)
            rc = None
    return rc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--emu", default="qemu", choices=["qemu", "bochs"])
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--bochs-cpu", default=bochs_rc.DEFAULT_MODEL,
                    help="Bochs CPU model (needs VMX, EPT, VPID, UG)")
    ap.add_argument("--bochs-pmu", default="on", choices=["on", "off"],
                    help="our Intel PMU model (bochsrc cpu: pmu=1); off "
                    "skips the `requires: pmu` tests")
    ap.add_argument("--bochs-ips", type=int, default=100000000)
    ap.add_argument("--bochs-megs", type=int, default=1024)
    ap.add_argument("--cpu", default="max,tcg-pmu=on",
                    help="QEMU -cpu (without tcg-pmu=on, PMU tests are skipped)")
    ap.add_argument("--timeout", type=int, default=None,
                    help="seconds for the whole boot (qemu 240, bochs 600)")
    ap.add_argument("--guest-timeout", type=int, default=60)
    ap.add_argument("--hv", action="append", default=[], metavar="KEY=VALUE",
                    help="an extra [hypervisor] line, e.g. --hv 'profile = on'")
    ap.add_argument("tests", nargs="*", help="only these tests")
    args = ap.parse_args()
    if args.timeout is None:
        args.timeout = 600 if args.emu == "bochs" else 240

    out_dir = os.path.join(BUILD, "guest-tests")
    os.makedirs(out_dir, exist_ok=True)
    tests = discover(set(args.tests))
    if not tests:
        print("guest-tests: no test found")
        return 1
    features = emu_features(args)
    unknown = {r for t in tests for r in t["requires"]} - set(features)
    if unknown:
        print("guest-tests: unknown requires: %s" % ", ".join(sorted(unknown)))
        return 1
    kept = []
    for t in tests:
        lacking = [r for r in t["requires"] if not features[r][0]]
        if lacking:
            print("guest-tests: skipping %s (requires: %s; %s)"
                  % (t["name"], lacking[0], features[lacking[0]][1]))
        else:
            kept.append(t)
    tests = kept
    if not tests:
        print("guest-tests: 0 passed, 0 failed (every test skipped)")
        return 0
    if args.emu == "bochs" and bochs_rc.missing():
        print("guest-tests: " + bochs_rc.missing())
        return 1
    if args.emu == "qemu" and not os.access(qemu_binary(), os.X_OK):
        print("guest-tests: %s not found: run `make qemu-pmu` or set QEMU_PMU"
              % qemu_binary())
        return 1
    suffix = "" if args.emu == "qemu" else "-" + args.emu
    cfg = os.path.join(out_dir, "tests%s.cfg" % suffix)
    img = os.path.join(out_dir, "tests%s.img" % suffix)
    log_path = os.path.join(out_dir, "%s.log" % args.emu)
    names = write_config(tests, cfg, args.smp, args.guest_timeout,
                         args.hv)
    limit = re.search(r"#define CFG_MAX_VMS\s+(\d+)",
                      open(os.path.join(ROOT, "boot", "config.h")).read())
    if limit and len(names) > int(limit.group(1)):
        print("guest-tests: %d guests, but perfvisor takes at most %s "
              "(CFG_MAX_VMS in boot/config.h)" % (len(names), limit.group(1)))
        return 1
    stage_modules(tests)
    subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "-o", img,
                    "-e", os.path.join(BUILD, "perfvisor.efi"), "-c", cfg,
                    "-d", BUILD], check=True)

    print("guest-tests: %d guests from %d tests on %s (%s), %d CPUs"
          % (len(names), len(tests), args.emu,
             qemu_binary() + " -cpu " + args.cpu if args.emu == "qemu"
             else bochs_rc.binary() + " model=" + args.bochs_cpu, args.smp),
          flush=True)
    start = time.time()
    results = {}
    windows = {}
    rc = None
    if args.emu == "bochs":
        with open(log_path, "w") as log:
            run_bochs(img, args, out_dir, log, results, windows)
        rc = 1 if all(results.get(n) == "PASS" for n in names) else 3
    else:
        rc = run_qemu(img, args, start, log_path, results, windows)
    elapsed = time.time() - start

    passed = sum(1 for n in names if results.get(n) == "PASS")
    failed = len(names) - passed
    hv_failed = failed
    for n in names:
        if n not in results:
            print("guest-tests: %s: no verdict" % n)
    # QEMU's isa-debug-exit status is (value << 1) | 1: 1 = all passed.
    if rc != (1 if hv_failed == 0 else 3):
        print("guest-tests: emulator exit status %s does not match" % rc)
        if failed == 0:
            failed = 1
    if faults:
        print("guest-tests: the hypervisor reported a machine fault: %s"
              % faults[0].strip())
        failed += 1
    for vm in check_overlap(tests, windows):
        if results.get(vm) == "PASS":
            passed -= 1
            failed += 1
    print("guest-tests: run took %.1f s, log in %s"
          % (elapsed, os.path.relpath(log_path, ROOT)))
    print("guest-tests: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
