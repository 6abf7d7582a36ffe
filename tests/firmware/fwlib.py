# SPDX-License-Identifier: GPL-2.0
"""Helpers of the firmware tests: images, QEMU command lines, ACPI tables."""
import os
import struct
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build", "firmware-test")
EFI = os.path.join(ROOT, "build", "perfvisor.efi")
# A last resort only: every boot ends by itself (test mode's debug exit, or
# the firmware giving up); this is far above any boot seen on a loaded host.
BOOT_TIMEOUT = 900


def make_cfg(name, serial_line):
    """fw.cfg with a serial = line (or none, for the default)."""
    os.makedirs(BUILD, exist_ok=True)
    text = open(os.path.join(ROOT, "tests", "firmware", "fw.cfg")).read()
    if serial_line:
        text = text.replace("[hypervisor]\n", "[hypervisor]\n%s\n" % serial_line)
    path = os.path.join(BUILD, name + ".cfg")
    with open(path, "w") as f:
        f.write(text)
    return path


def make_image(name, cfg, efi=EFI):
    img = os.path.join(BUILD, name + ".img")
    subprocess.run([os.path.join(ROOT, "tools", "mkimage.sh"), "-o", img,
                    "-e", efi, "-c", cfg, "-d", os.path.join(ROOT, "build")],
                   check=True, stdout=subprocess.DEVNULL)
    return img


def qemu_base(img, machine="q35"):
    return ["qemu-system-x86_64", "-nodefaults", "-machine", machine,
            "-accel", "tcg", "-cpu", "max", "-m", "512", "-smp", "2",
            "-drive", "format=raw,file=%s" % img, "-display", "none",
            "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def run_qemu(args, name):
    """Runs QEMU until it exits; returns (status, stderr)."""
    p = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=BOOT_TIMEOUT)
    out = p.stdout.decode(errors="replace")
    with open(os.path.join(BUILD, name + ".qemu.log"), "w") as f:
        f.write(out)
    return p.returncode, out


def read(path):
    try:
        return open(path, errors="replace").read()
    except FileNotFoundError:
        return ""


def checksum_fix(table, at=9):
    t = bytearray(table)
    t[at] = 0
    t[at] = (-sum(t)) & 0xff
    return bytes(t)


def spcr(space, address, bit_width=8, access=1, baud_code=7, iface=0):
    """An SPCR table (revision 2, 80 bytes) for a 16550 at @address.

    @space: 0 memory, 1 I/O (the Generic Address Structure's space ID);
    @baud_code: 3 9600, 4 19200, 6 57600, 7 115200, 0 as is."""
    body = bytearray(80 - 36)
    body[0] = iface                                   # interface type (36)
    struct.pack_into("<BBBBQ", body, 4, space, bit_width, 0, access, address)
    body[58 - 36] = baud_code                         # configured baud rate
    body[61 - 36] = 0                                 # no flow control
    body[62 - 36] = 0                                 # VT100
    struct.pack_into("<HH", body, 64 - 36, 0xffff, 0xffff)   # not a PCI device
    hdr = struct.pack("<4sIBB6s8sI4sI", b"SPCR", 80, 2, 0, b"PERFVS",
                      b"PVSPCR  ", 1, b"PVTS", 1)
    return checksum_fix(hdr + bytes(body))
