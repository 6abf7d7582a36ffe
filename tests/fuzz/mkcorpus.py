#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the committed seed corpus tests/fuzz/corpus/NAME/ (run from the
repository root): the real configs, instruction encodings from the unit
tests, and small images and ACPI tables built here byte by byte. Seeds are
named for what they hold; regression inputs for fixed bugs (regress-*) are
committed by hand and left alone."""

import glob
import os
import re
import struct

OUT = "tests/fuzz/corpus"


def put(name, seed, data):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, seed), "wb") as f:
        f.write(data)


# Seeds committed by hand before this script wrote any of their corpus;
# kept like regress-* (acpi_power() builds on qemu-q35).
HAND = {"acpi_power": {"aml-only", "multibyte-pkglength", "pci-pm1",
                       "qemu-q35", "root-word"}}


def clean():
    for p in glob.glob(os.path.join(OUT, "*", "*")):
        name = os.path.basename(p)
        corpus = os.path.basename(os.path.dirname(p))
        if not name.startswith("regress-") and name not in HAND.get(corpus, ()):
            os.remove(p)


# ---- config: the configs in the tree, and every PMU key -------------------

def config():
    for p in ["tools/cfg/default.cfg", "tools/cfg/tests.cfg",
              "tests/guests/bad-config.cfg", "tests/console/console.cfg"]:
        with open(p, "rb") as f:
            put("config", os.path.basename(p), f.read())
    put("config", "pmu.cfg", b"""\xef\xbb\xbf[hypervisor]
serial = 0x2f8
baud = 9600
log = debug
mode = test
console = a

[vm a]
image = guest-tests/pmu_count.elf
memory = 0x4000000
cpus = 2
pin = 0,1
pmu = on
pmu_counters = 4
pmu_allow = 0xc0, 0x2e:0x41 0x76
pmu_fixed = 0x3
expect = crash
timeout = 5
on_exit = restart

[vm b]
image = g.elf
initrd = i
cmdline = a=b # ; c
memory = 2G
pmu = off
pmu_deny = 0xc0
""")


# ---- bzimage: minimal setup headers ---------------------------------------

def bzimage(setup_sects=1, version=0x020f, reloc=1, xlf=0x3, align=0x200000,
            pref=0x1000000, init_size=0x10000, cmdline_size=2047,
            initrd_max=0x7fffffff, hdr_len=0x66, kernel=0x400):
    off = ((setup_sects or 4) + 1) * 512
    b = bytearray(off + kernel)
    b[0x1f1] = setup_sects
    struct.pack_into("<H", b, 0x1fe, 0xaa55)
    b[0x200] = 0xeb
    b[0x201] = hdr_len
    b[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", b, 0x206, version)
    b[0x211] = 0x01                                 # LOADED_HIGH
    struct.pack_into("<I", b, 0x214, 0x100000)
    struct.pack_into("<I", b, 0x22c, initrd_max)
    struct.pack_into("<I", b, 0x230, align)
    b[0x234] = reloc
    struct.pack_into("<H", b, 0x236, xlf)
    struct.pack_into("<I", b, 0x238, cmdline_size)
    struct.pack_into("<I", b, 0x248, 0x100)         # payload_offset
    struct.pack_into("<I", b, 0x24c, 0x40)          # payload_length
    struct.pack_into("<Q", b, 0x258, pref)
    struct.pack_into("<I", b, 0x260, init_size)
    b[off:off + 4] = b"\x48\x31\xc0\xf4"            # the 64-bit entry area
    return bytes(b)


def bzimages():
    put("bzimage", "reloc-2.15", bzimage())
    put("bzimage", "fixed-2.12", bzimage(version=0x020c, reloc=0, xlf=1,
                                        hdr_len=0x66))
    put("bzimage", "setup0-above4g", bzimage(setup_sects=0, hdr_len=0x8e,
                                            init_size=0x200000))
    put("bzimage", "small-cmdline", bzimage(cmdline_size=40,
                                           initrd_max=0x37ffffff,
                                           pref=0x100000, align=0x1000))


# ---- ELF images ------------------------------------------------------------

def elf64(segs, entry, machine=62, etype=2):
    """segs: (paddr, vaddr, data, memsz)"""
    phoff, n = 64, len(segs)
    off = phoff + 56 * n
    hdr = bytearray(64)
    hdr[0:16] = b"\x7fELF\x02\x01\x01" + bytes(9)
    struct.pack_into("<HHIQQQIHHHHHH", hdr, 16, etype, machine, 1, entry,
                     phoff, 0, 0, 64, 56, n, 64, 0, 0)
    ph, body = b"", b""
    for paddr, vaddr, data, memsz in segs:
        ph += struct.pack("<IIQQQQQQ", 1, 5, off + len(body), vaddr, paddr,
                          len(data), memsz, 0x1000)
        body += data
    return bytes(hdr) + ph + body


def elf32(segs, entry):
    phoff, n = 52, len(segs)
    off = phoff + 32 * n
    hdr = bytearray(52)
    hdr[0:16] = b"\x7fELF\x01\x01\x01" + bytes(9)
    struct.pack_into("<HHIIIIIHHHHHH", hdr, 16, 2, 3, 1, entry, phoff, 0, 0,
                     52, 32, n, 40, 0, 0)
    ph, body = b"", b""
    for paddr, vaddr, data, memsz in segs:
        ph += struct.pack("<IIIIIIII", 1, off + len(body), vaddr, paddr,
                          len(data), memsz, 5, 0x1000)
        body += data
    return bytes(hdr) + ph + body


CODE64 = b"\x48\xc7\xc0\x01\x00\x00\x00\x0f\x01\xd9\xf4\xeb\xfd"


def elfs():
    put("elf", "one-segment", elf64([(0x1000, 0x1000, CODE64, 0x100)],
                                    0x1000))
    put("elf", "two-segments-bss", elf64(
        [(0x10000, 0x10000, CODE64, len(CODE64)),
         (0x20000, 0x20000, b"data", 0x3000)], 0x10004))
    put("elf", "virt-high", elf64([(0x1000, 0xffffffff80001000, CODE64,
                                    0x1000)], 0x1000))


# ---- Multiboot kernels -----------------------------------------------------

def mb_header(flags, addr=None):
    h = struct.pack("<III", 0x1badb002, flags, (-(0x1badb002 + flags)) &
                    0xffffffff)
    if addr:
        h += struct.pack("<IIIII", *addr)
    return h


CODE32 = b"\xb8\x02\xb0\xad\x2b\xf4\xeb\xfe"


def multiboot():
    # a.out kludge: the file loaded at 1 MiB, header at offset 0.
    body = mb_header(0x10003, (0x100000, 0x100000, 0, 0x102000, 0x100020))
    body += bytes(0x20 - len(body)) + CODE32 + bytes(64)
    put("multiboot", "aout-kludge", body)
    body = bytes(16) + mb_header(0x10000, (0x200010, 0x200000, 0x200060, 0,
                                           0x200040))
    body += bytes(0x40 - len(body)) + CODE32 + bytes(64)
    put("multiboot", "aout-offset", body)
    # ELF32 and ELF64 kernels whose first bytes hold the header.
    seg = mb_header(0x3) + CODE32
    put("multiboot", "elf32", elf32([(0x100000, 0x100000, seg, 0x2000)],
                                    0x10000c))
    put("multiboot", "elf32-virt", elf32(
        [(0x100000, 0xc0100000, seg, 0x1000),
         (0x200000, 0xc0200000, b"d" * 8, 0x10)], 0xc010000c))
    put("multiboot", "elf64", elf64([(0x100000, 0x100000, seg, 0x1000)],
                                    0x10000c))
    put("multiboot", "video-required", mb_header(0x4) + bytes(32))
    mb = "build/guest-tests/mb_info.elf"
    if os.path.exists(mb):
        os.system("strip -o %s/multiboot/mb_info.elf %s" % (OUT, mb))


# ---- ACPI: RSDP at 0xe0000, then the tables -------------------------------

BASE = 0xe0000


def sdt(sig, body, rev=1):
    h = bytearray(sig + struct.pack("<IBB", 36 + len(body), rev, 0) +
                  b"PRFVSR" + b"PVTABLES" + struct.pack("<I", 1) + b"PRFV" +
                  struct.pack("<I", 1))
    t = h + body
    t[9] = (-sum(t)) & 0xff
    return bytes(t)


def rsdp(rev, rsdt, xsdt):
    r = bytearray(b"RSD PTR " + b"\0" + b"PRFVSR" + bytes([rev]) +
                  struct.pack("<I", rsdt))
    r[8] = (-sum(r)) & 0xff
    if rev >= 2:
        r += struct.pack("<IQ", 36, xsdt) + bytes(4)
        r[32] = (-sum(r)) & 0xff
    return bytes(r)


def madt(entries, lapic=0xfee00000, flags=1):
    return sdt(b"APIC", struct.pack("<II", lapic, flags) + b"".join(entries))


def lapic(uid, apic, flags=1):
    return struct.pack("<BBBBI", 0, 8, uid, apic, flags)


def ioapic(ident, addr, gsi):
    return struct.pack("<BBBBII", 1, 12, ident, 0, addr, gsi)


def x2apic(apic, uid, flags=1):
    return struct.pack("<BBHIII", 9, 16, 0, apic, flags, uid)


def override(addr):
    return struct.pack("<BBHQ", 5, 12, 0, addr)


def layout(rev, tables, use_xsdt=True):
    """RSDP, then the SDT, then the tables, each 16-byte aligned."""
    blobs, addrs = [], []
    pos = BASE + 64 + 36 + (8 if use_xsdt else 4) * len(tables)
    pos = (pos + 15) & ~15
    for t in tables:
        addrs.append(pos)
        blobs.append(t)
        pos = (pos + len(t) + 15) & ~15
    sdt_addr = BASE + 64
    if use_xsdt:
        root = sdt(b"XSDT", b"".join(struct.pack("<Q", a) for a in addrs))
        r = rsdp(rev, 0, sdt_addr)
    else:
        root = sdt(b"RSDT", b"".join(struct.pack("<I", a) for a in addrs))
        r = rsdp(rev, sdt_addr, 0)
    mem = bytearray(r + bytes(64 - len(r)) + root)
    for a, t in zip(addrs, blobs):
        mem += bytes(a - BASE - len(mem)) + t
    return bytes(mem)


def acpi():
    m = madt([lapic(0, 0), lapic(1, 1), lapic(2, 2, 0), lapic(3, 0xff),
              ioapic(0, 0xfec00000, 0), x2apic(0x100, 4), x2apic(1, 5)])
    facp = sdt(b"FACP", bytes(244 - 36), rev=6)
    put("acpi", "xsdt-madt-facp", layout(2, [facp, m]))
    put("acpi", "rsdt-v1", layout(0, [m], use_xsdt=False))
    put("acpi", "override-two-ioapics", layout(2, [madt(
        [lapic(0, 0), override(0xfee00000), ioapic(0, 0xfec00000, 0),
         ioapic(1, 0xfec01000, 24)], flags=0)]))


# ---- acpi_power: the FADT's DSDT choice and \_S5 in the root scope -------

def acpi_power():
    """Memory at 1 MiB: qemu-q35's FADT (276 bytes) with its DSDT at
    +0x200, changed to try the X_DSDT fallback and \_S5 below the root."""
    with open(os.path.join(OUT, "acpi_power", "qemu-q35"), "rb") as f:
        base = bytearray(f.read())

    def fix(mem, off):
        n = struct.unpack_from("<I", mem, off + 4)[0]
        mem[off + 9] = 0
        mem[off + 9] = (-sum(mem[off:off + n])) & 0xff

    def with_x_dsdt(bad):
        mem = bytearray(base) + bytes(0x240 - len(base))
        dsdt = bytearray(base[0x200:0x230])
        if bad == "checksum":
            dsdt[36 + 8] ^= 0x01
        else:
            dsdt[4:8] = bytes(4)
        mem += dsdt
        struct.pack_into("<Q", mem, 140, 0x100240)
        fix(mem, 0)
        return bytes(mem)

    put("acpi_power", "x-dsdt-bad-checksum", with_x_dsdt("checksum"))
    put("acpi_power", "x-dsdt-zero-length", with_x_dsdt("length"))

    # Device(DEV0) { Name(_S5_, {5, 5}) }, Scope(\_SB_) { Name(_S5_, {6}) },
    # then Scope(\) { Name(_S5_, {3, 0}) }: only the last is \_S5.
    body = (b"\x5b\x82\x11DEV0" + b"\x08_S5_\x12\x06\x02\x0a\x05\x0a\x05" +
            b"\x10\x10\x5c_SB_" + b"\x08_S5_\x12\x04\x01\x0a\x06" +
            b"\x10\x0e\x5c\x00" + b"\x08_S5_\x12\x05\x02\x0a\x03\x00")
    mem = bytearray(base[:0x200]) + sdt(b"DSDT", body, rev=2)
    fix(mem, 0)
    put("acpi_power", "s5-below-root", bytes(mem))

    # A bare AML body: root terms of a firmware DSDT before \_S5.
    put("acpi_power", "aml-root-terms",
        b"\x15\x5c\x2e_SB_PCI0\x06\x00" +
        b"\x5b\x80GNVS\x00\x0c\x00\x00\x6e\xbf\x0b\x00\x01" +
        b"\x5b\x81\x0bGNVS\x10OSYS\x10" +
        b"\x5b\x01MUT0\x00" + b"\x5b\x02EVT0" + b"\x06MUT0MUTA" +
        b"\x08SS1_\x01" + b"\x08STR0\x0dx\x00" +
        b"\x08BUF0\x11\x04\x0a\x01\x00" +
        b"\x14\x08_PTS\x01\xa4\x00" +
        b"\xa0\x0eSS1_\x08_S1_\x12\x03\x01\x01" +
        b"\x10\x15\x5c\x00\xa0\x11SS1_\x08_S5_\x12\x06\x04\x0a\x07\x0a\x06")


# ---- instructions: the unit tests' encodings ------------------------------

def insns():
    with open("tests/unit/test_insn.c") as f:
        src = f.read()
    seen = set()
    for m in re.finditer(r'T\((16|32|64), "((?:\\x[0-9a-f]{2})+)"', src):
        b = bytes.fromhex(m.group(2).replace("\\x", ""))
        if b in seen:
            continue
        seen.add(b)
        if len(seen) % 3 == 1:
            put("insn", "%s-%s" % (m.group(1), b.hex()), b + b"\x90" * 2)
    # The MMIO forms: mode byte (2: 64-bit), instruction, device value.
    with open("tests/unit/test_mmio_insn.c") as f:
        src = f.read()
    for m in re.finditer(r'"((?:\\x[0-9a-f]{2})+)"', src):
        b = bytes.fromhex(m.group(1).replace("\\x", ""))
        put("mmio", "64-" + b.hex(), b"\x02" + b + bytes(range(0x81, 0x89)))
    for mode, b in [(0, b"\x8b\x07"), (0, b"\xa1\x34\x12"),
                    (0, b"\x0f\xbf\x02"),
                    (1, b"\x66\x89\x03"), (1, b"\x0f\xbe\x06"),
                    (2, b"\x48\xc7\x00\xff\xff\xff\xff")]:
        put("mmio", "%d-%s" % (16 << mode if mode < 2 else 64, b.hex()),
            bytes([mode]) + b + bytes(range(0xf1, 0xf9)))


# ---- shell: keyboard input -------------------------------------------------

def shell():
    for name, keys in [
            ("vms", b"vms\r"),
            ("vcpus-idx", b"vcpus 0\r"),
            ("pmu-vm-vcpu", b"pmu linux 1\r"),
            ("log-lines", b"log 1000000009\r"),
            ("leading-zeros", b"log 00000000009\r"),
            ("edit", b"vmx\x7fs\rstpo\x08\x08op linux\r"),
            ("kill-line", b"reboot\x15help\n"),
            ("too-many-words", b"exits a b c d e f g h i j\r"),
            ("tabs", b"trace\tlinux\t0\r"),
            ("long-line", b"attach " + b"x" * 200 + b"\r"),
            ("several", b"cpus\rmem\nloglevel debug\rstart 1\rreset 0\r")]:
        put("shell", name, keys)


def main():
    clean()
    config()
    bzimages()
    elfs()
    multiboot()
    acpi()
    acpi_power()
    insns()
    shell()


if __name__ == "__main__":
    main()
