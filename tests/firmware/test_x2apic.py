# SPDX-License-Identifier: GPL-2.0
"""The host's local APICs in x2APIC mode (drivers/lapic.c, apic_mode.c).

- Firmware hand-over in x2APIC mode: OVMF turns x2APIC on by itself, on
  every CPU, when some APIC ID is above 254. The cheapest machine that has
  one: two sockets of 256 possible cores (`-smp 2,sockets=2,cores=256,
  maxcpus=512`: socket 1 begins at APIC ID 256), with two CPUs cold-plugged
  into socket 1 (`-device max-x86_64-cpu,socket-id=1,...`): four CPUs, APIC
  IDs 0, 1, 256 and 257; QEMU lists 256 and 257 as MADT type-9 (x2APIC)
  entries and the 508 absent ones as disabled. perfvisor reads
  IA32_APIC_BASE before touching the APIC and must say
  `APIC: x2APIC (firmware)`, start all four CPUs (INIT-SIPI-SIPI through
  the x2APIC ICR to 32-bit destinations) and run guest-tests on the CPUs
  above 255: their virtual APICs (IPIs, timers, which use the host's APIC
  timer and EOI), host NMIs sent to another CPU, and two guests that wait
  for each other on two such CPUs.
- The switch: firmware in xAPIC mode (`-smp 4`), `apic = x2apic` in
  perfvisor.cfg: perfvisor turns x2APIC on, on the boot CPU and on each AP
  it starts, and the guest-tests run the same.
QEMU 10.0's TCG needs no interrupt remapping (intel-iommu eim=on) for APIC
IDs above 255; KVM would. Run with Debian's pytest:
/usr/bin/python3 -m pytest tests/firmware/test_x2apic.py
"""
import os

from fwlib import BUILD, ROOT, make_image, qemu_base, read, run_qemu

OVMF = "/usr/share/ovmf/OVMF.fd"
X2APIC_CFG = os.path.join(ROOT, "tests", "firmware", "x2apic.cfg")
SPARSE = ["-smp", "2,sockets=2,cores=256,maxcpus=512",
          "-device", "max-x86_64-cpu,socket-id=1,core-id=0,thread-id=0",
          "-device", "max-x86_64-cpu,socket-id=1,core-id=1,thread-id=0"]


def boot(name, cfg, smp):
    os.makedirs(BUILD, exist_ok=True)
    img = make_image(name, cfg)
    log = os.path.join(BUILD, name + ".serial")
    if os.path.exists(log):
        os.unlink(log)
    args = qemu_base(img) + ["-bios", OVMF, "-serial", "file:" + log]
    at = args.index("-smp")
    args[at:at + 2] = smp
    status, out = run_qemu(args, name)
    return status, out, read(log)


def guest_results(text, names):
    for name in names:
        assert "test %s: PASS" % name in text, (name, text)
    assert "guest-tests: %d passed, 0 failed" % len(names) in text, text


def test_firmware_hands_over_in_x2apic_mode():
    status, out, text = boot("x2apic", X2APIC_CFG, SPARSE)
    assert status == 1, (status, out, text)     # (0 << 1) | 1: all passed
    assert "APIC: x2APIC (firmware)" in text, text
    assert "cpu0: apic id 0 (boot CPU)\n" in text, text
    for cpu, apic_id in ((1, 1), (2, 256), (3, 257)):
        assert "cpu%d: apic id %d online" % (cpu, apic_id) in text, text
    assert "4 CPUs online" in text, text
    assert "left alone" not in text, text
    guest_results(text, ["apic_ipi", "apic_timer", "host_nmi", "parallel0",
                         "parallel1"])


def test_switch_to_x2apic_on_request():
    cfg = os.path.join(BUILD, "x2apic-switch.cfg")
    os.makedirs(BUILD, exist_ok=True)
    text = read(X2APIC_CFG).replace("[hypervisor]\n",
                                    "[hypervisor]\napic = x2apic\n")
    with open(cfg, "w") as f:
        f.write(text)
    status, out, text = boot("x2apic-switch", cfg, ["-smp", "4"])
    assert status == 1, (status, out, text)
    assert ("APIC: x2APIC (switched by perfvisor: apic = x2apic in "
            "perfvisor.cfg)") in text, text
    for cpu in (1, 2, 3):
        assert "cpu%d: apic id %d online" % (cpu, cpu) in text, text
    assert "4 CPUs online" in text, text
    guest_results(text, ["apic_ipi", "apic_timer", "host_nmi", "parallel0",
                         "parallel1"])
