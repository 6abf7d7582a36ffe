# SPDX-License-Identifier: GPL-2.0
"""The boot stick: perfvisor booted from a USB mass-storage device, and
the refusals of `make usb` (tools/write-usb.sh).

- The image is the only disk, attached as a USB stick (QEMU qemu-xhci +
  usb-storage) under OVMF: perfvisor must find perfvisor.cfg and the
  guest image on that volume and run the guest.
- write-usb.sh runs against a loop device, with the sysfs `removable`
  attribute and the mount table taken from a fake tree
  (PERFVISOR_SYSFS, PERFVISOR_MOUNTS): a loop device is never
  removable, and mounting one needs more than the sandbox gives. Without
  loop devices (losetup fails) these checks are skipped, with the reason.
  A partition is refused by its sysfs `partition` attribute (a fake one
  here: the sandbox's losetup -P scans no partitions) and, where sysfs has
  no entry, by its name (a device node made with mknod).
Run with Debian's pytest: /usr/bin/python3 -m pytest tests/firmware
"""
import os
import subprocess

import pytest

from fwlib import BUILD, ROOT, make_cfg, make_image, read, run_qemu

OVMF = "/usr/share/ovmf/OVMF.fd"
WRITE_USB = os.path.join(ROOT, "tools", "write-usb.sh")


def test_boots_from_usb_stick():
    img = make_image("usb", make_cfg("usb", "serial = com1"))
    log = os.path.join(BUILD, "usb.serial")
    if os.path.exists(log):
        os.unlink(log)
    args = ["qemu-system-x86_64", "-nodefaults", "-machine", "q35",
            "-accel", "tcg", "-cpu", "max", "-m", "512", "-smp", "2",
            "-bios", OVMF, "-display", "none", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-drive", "if=none,id=stick,format=raw,file=" + img,
            "-device", "qemu-xhci,id=xhci",
            "-device", "usb-storage,bus=xhci.0,drive=stick,removable=on",
            "-serial", "file:" + log]
    status, out = run_qemu(args, "usb")
    text = read(log)
    assert status == 1, (status, out, text)     # (0 << 1) | 1: all passed
    # The config and the guest image came from the stick.
    assert "serial = 0x3f8 in perfvisor.cfg" in text, text
    assert "running with no guests" not in text, text
    assert "vm hypercall: loaded image 'guest-tests/hypercall.elf'" in text, text
    assert "guest-tests: 1 passed, 0 failed" in text, text


@pytest.fixture
def loopdev(tmp_path):
    backing = tmp_path / "stick.img"
    with open(backing, "wb") as f:
        f.truncate(32 << 20)
    p = subprocess.run(["losetup", "-f", "--show", str(backing)],
                       capture_output=True, text=True)
    if p.returncode:
        pytest.skip("no loop device here (%s)" % p.stderr.strip())
    dev = p.stdout.strip()
    name = os.path.basename(dev)
    sysfs = tmp_path / "sys"
    (sysfs / "block" / name).mkdir(parents=True)
    mounts = tmp_path / "mounts"
    mounts.write_text("")
    yield {"dev": dev, "name": name, "sysfs": sysfs, "mounts": mounts,
           "backing": backing}
    subprocess.run(["losetup", "-d", dev])


def write_usb(loop, removable, mounted=False, force="", img=None):
    (loop["sysfs"] / "block" / loop["name"] / "removable").write_text(
        "%d\n" % removable)
    loop["mounts"].write_text("/dev/%sp1 /mnt vfat rw 0 0\n" % loop["name"]
                              if mounted else "")
    env = dict(os.environ, PERFVISOR_SYSFS=str(loop["sysfs"]),
               PERFVISOR_MOUNTS=str(loop["mounts"]))
    return subprocess.run([WRITE_USB, loop["dev"], img or small_image(),
                           force], capture_output=True, text=True, env=env)


def small_image():
    img = os.path.join(BUILD, "usb-write.img")
    os.makedirs(BUILD, exist_ok=True)
    with open(img, "wb") as f:
        f.write(bytes(range(256)) * 4096)       # 1 MiB, recognisable
    return img


def stick_starts_with_image(loop):
    """The image's bytes past the GPT area (LBAs 0-33, which write-usb.sh's
    `sgdisk -e` rewrites) are on the stick."""
    skip = 64 << 10
    with open(small_image(), "rb") as a, open(loop["backing"], "rb") as b:
        want = a.read()[skip:]
        b.seek(skip)
        return b.read(len(want)) == want


def test_refuses_a_device_that_is_not_removable(loopdev):
    p = write_usb(loopdev, removable=0)
    assert p.returncode == 1
    assert "is not a removable device; refusing (FORCE=1 to override)" in p.stderr
    assert not stick_starts_with_image(loopdev)


def test_refuses_a_mounted_device(loopdev):
    p = write_usb(loopdev, removable=1, mounted=True)
    assert p.returncode == 1
    assert "is mounted; unmount it first" in p.stderr
    assert not stick_starts_with_image(loopdev)


def test_refuses_what_is_not_a_block_device():
    p = subprocess.run([WRITE_USB, "/dev/null", small_image()],
                       capture_output=True, text=True)
    assert p.returncode == 1 and "is not a block device" in p.stderr


def test_writes_a_removable_unmounted_device(loopdev):
    p = write_usb(loopdev, removable=1)
    assert p.returncode == 0, p.stderr
    assert stick_starts_with_image(loopdev)


def test_refuses_a_partition_by_sysfs(loopdev):
    """The kernel marks a partition with a `partition` attribute."""
    part = loopdev["sysfs"] / "class" / "block" / loopdev["name"]
    part.mkdir(parents=True)
    (part / "partition").write_text("1\n")
    p = write_usb(loopdev, removable=1, force="1")
    assert p.returncode == 1, p.stderr
    assert "is a partition; give the whole disk" in p.stderr
    assert not stick_starts_with_image(loopdev)


def test_refuses_a_partition_by_name(loopdev, tmp_path):
    """A device node named like a partition (sdz1, nvme0n1p1) whose sysfs
    entry is missing: refused by its name, even with FORCE=1. The node is
    the loop device under another name (mknod), so a write would show."""
    st = os.stat(loopdev["dev"])
    for name in ("sdz1", "nvme9n1p1"):
        node = tmp_path / name
        try:
            os.mknod(node, 0o600 | 0o060000, st.st_rdev)   # S_IFBLK
        except OSError as e:
            pytest.skip("cannot make a device node here (%s)" % e)
        p = subprocess.run([WRITE_USB, str(node), small_image(), "1"],
                           capture_output=True, text=True)
        assert p.returncode == 1, (name, p.stderr)
        assert "is a partition; give the whole disk" in p.stderr, p.stderr
    assert not stick_starts_with_image(loopdev)


def test_force_overrides(loopdev):
    p = write_usb(loopdev, removable=0, mounted=True, force="1")
    assert p.returncode == 0, p.stderr
    assert stick_starts_with_image(loopdev)
