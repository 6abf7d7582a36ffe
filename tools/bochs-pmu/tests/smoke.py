#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Smoke test of our Bochs (tools/bochs-pmu): it boots OVMF and perfvisor
to the hypervisor's banner on each CPU model the tests use, headless and
without a debugger prompt, and the banner reports what the model offers.

For each model: the image of tools/cfg/tests.cfg (two small guests) is
booted, COM1 goes to a file, and the run ends at the first guest's output
or at a PANIC. Checks (one PASS/FAIL line each): OVMF hands over to
perfvisor ("UEFI loader"), the VMX backend with EPT, VPID and unrestricted
guest, the PERF_GLOBAL_CTRL entry/exit controls as the model advertises
them, an Intel architectural PMU described from CPUID, a guest started.
Waits for those lines; the timeout (--timeout, default 900 s) is a last
resort for a Bochs that never gets there.

Usage: smoke.py [--timeout S] [MODEL...]   (default: sapphire_rapids
       corei7_haswell_4770). Environment: BOCHS_PMU.
"""
import argparse
import os
import re
import subprocess
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests"))
import bochs_rc  # noqa: E402

OUT = os.path.join(TOP, "build", "bochs-pmu", "tests", "smoke")

# model -> [(name, regex)], in the order the lines come.
CHECKS = {
    "sapphire_rapids": [
        ("OVMF hands over to perfvisor", r"perfvisor \S+: UEFI loader"),
        ("readiness: VMX with EPT and VPIDs, PMU v5 with 8 general and "
         "4 fixed counters in CPUID",
         r"hw: .*GenuineIntel.*VMX usable, EPT yes, VPIDs yes.*"
         r"PMU v5 8x48\+4x48 bits"),
        ("guests can run (VMX, EPT, VPIDs; unrestricted guest is required)",
         r"hw: guests: yes \(VMX, EPT, VPIDs\)"),
        ("perf in guests lacks only FW_WRITE (the PERF_GLOBAL_CTRL "
         "entry/exit controls are there; the model is off)",
         r"hw: perf in guests: no: the CPU lacks full-width counter writes "
         r"\(IA32_PERF_CAPABILITIES\[13\]\)$"),
        ("the VMX backend", r"CPU GenuineIntel, backend Intel VMX"),
        ("a guest starts", r"vm cpuid: .*vCPU"),
    ],
    "corei7_haswell_4770": [
        ("OVMF hands over to perfvisor", r"perfvisor \S+: UEFI loader"),
        ("readiness: VMX with EPT and VPIDs, PMU v3 with 4 general and "
         "3 fixed counters in CPUID",
         r"hw: .*GenuineIntel.*VMX usable, EPT yes, VPIDs yes.*"
         r"PMU v3 4x48\+3x48 bits"),
        ("guests can run (VMX, EPT, VPIDs; unrestricted guest is required)",
         r"hw: guests: yes \(VMX, EPT, VPIDs\)"),
        ("the VMX backend", r"CPU GenuineIntel, backend Intel VMX"),
        ("a guest starts", r"vm cpuid: .*vCPU"),
    ],
}


def boot(model, img, timeout):
    """Boots img on model; returns (lines, seconds)."""
    out = os.path.join(OUT, model)
    os.makedirs(out, exist_ok=True)
    com1 = os.path.join(out, "com1.out")
    rc = os.path.join(out, "bochs.rc")
    open(com1, "w").close()
    with open(rc, "w") as f:
        f.write(bochs_rc.bochsrc("tools/bochs-pmu/tests/smoke.py", 512, 3,
                                 img, os.path.join(out, "bochs.log"),
                                 "mode=file, dev=" + com1, model=model))
    bochs_rc.remove_locks(img)
    start = time.time()
    proc = subprocess.Popen(bochs_rc.command(rc), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    last = CHECKS[model][-1][1]
    lines = []
    try:
        while time.time() - start < timeout:
            with open(com1, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            if any(re.search(last, l) or "PANIC" in l for l in lines):
                break
            if proc.poll() is not None:
                break
            time.sleep(0.5)
    finally:
        bochs_rc.stop(proc, img)
    return lines, time.time() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("models", nargs="*", default=list(CHECKS))
    args = ap.parse_args()
    if bochs_rc.missing():
        print("FAIL smoke: " + bochs_rc.missing())
        return 1
    os.makedirs(OUT, exist_ok=True)
    img = os.path.join(OUT, "tests.img")
    subprocess.run([os.path.join(TOP, "tools", "mkimage.sh"), "-o", img,
                    "-e", os.path.join(TOP, "build", "perfvisor.efi"),
                    "-c", os.path.join(TOP, "tools", "cfg", "tests.cfg"),
                    "-d", os.path.join(TOP, "build")],
                   check=True, stdout=subprocess.DEVNULL)
    bad = 0
    for model in args.models:
        lines, secs = boot(model, img, args.timeout)
        for name, rx in CHECKS[model]:
            hit = next((l for l in lines if re.search(rx, l)), None)
            if hit:
                print("PASS smoke %s: %s" % (model, name))
            else:
                bad += 1
                print("FAIL smoke %s: %s: no line matching /%s/"
                      % (model, name, rx))
        print("smoke %s: %.1f s (log in %s)"
              % (model, secs, os.path.relpath(os.path.join(OUT, model), TOP)))
        if bad:
            print("smoke %s: last output:\n  %s"
                  % (model, "\n  ".join(lines[-15:])))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
