# SPDX-License-Identifier: GPL-2.0
"""Console UART discovery (boot/serial_pick.c) under QEMU + OVMF.

- serial = auto (the default) with an SPCR table that names COM2 (0x2f8):
  QEMU's first ISA serial port (COM1) goes nowhere, the second one is
  what the test reads, and the table is QEMU's -acpitable (OVMF installs
  the tables QEMU's loader gives it). perfvisor must print there, with
  the banner naming the SPCR.
- serial = pci with a PCI 16550 (QEMU's pci-serial, class 07h/00h, an I/O
  BAR) and no ISA serial port at all.
- serial = auto without an SPCR: COM1, and the banner says why.
Run with Debian's pytest: /usr/bin/python3 -m pytest tests/firmware
"""
import os

from fwlib import (BUILD, make_cfg, make_image, qemu_base, read, run_qemu,
                   spcr)

OVMF = "/usr/share/ovmf/OVMF.fd"
PASSED = "guest-tests: 1 passed, 0 failed"


def boot(name, serial_line, extra):
    img = make_image(name, make_cfg(name, serial_line))
    args = qemu_base(img) + ["-bios", OVMF] + extra
    status, out = run_qemu(args, name)
    return status, out


def test_spcr_names_com2():
    log = os.path.join(BUILD, "spcr.serial")
    com1 = os.path.join(BUILD, "spcr.com1")
    table = os.path.join(BUILD, "spcr.aml")
    os.makedirs(BUILD, exist_ok=True)
    with open(table, "wb") as f:
        f.write(spcr(space=1, address=0x2f8, baud_code=7))
    for p in (log, com1):
        if os.path.exists(p):
            os.unlink(p)
    status, out = boot("spcr", None,
                       ["-serial", "file:" + com1, "-serial", "file:" + log,
                        "-acpitable", "file=" + table])
    text, first = read(log), read(com1)
    assert status == 1, (status, out, text)     # (0 << 1) | 1: all passed
    assert ("console: 16550 at I/O 0x2f8, 115200 baud: the ACPI SPCR table"
            in text), text
    assert PASSED in text
    # Nothing of perfvisor's on COM1 (the firmware's own output may be).
    assert "took the machine" not in first


def test_pci_card():
    log = os.path.join(BUILD, "pci.serial")
    if os.path.exists(log):
        os.unlink(log)
    status, out = boot("pci", "serial = pci",
                       ["-chardev", "file,id=pv,path=" + log,
                        "-device", "pci-serial,chardev=pv"])
    text = read(log)
    assert status == 1, (status, out, text)
    assert "console: 16550 at I/O 0x" in text, text
    assert "serial = pci: PCI 00:" in text and "(1b36:0002) BAR0" in text
    assert PASSED in text


def test_no_spcr_is_com1():
    log = os.path.join(BUILD, "com1.serial")
    if os.path.exists(log):
        os.unlink(log)
    status, out = boot("com1", None, ["-serial", "file:" + log])
    text = read(log)
    assert status == 1, (status, out, text)
    assert ("console: 16550 at I/O 0x3f8, 115200 baud: COM1: no ACPI SPCR table"
            in text), text
    assert PASSED in text
