# SPDX-License-Identifier: GPL-2.0
"""UEFI Secure Boot under OVMF (Debian's OVMF_CODE_4M.secboot.fd, SMM).

A throwaway key and certificate (openssl) are made; virt-fw-vars enrols
the certificate as PK, KEK and db in a copy of OVMF's empty variable
store and turns Secure Boot on. Then:
- the image signed by tools/sign-efi.sh boots, perfvisor says Secure Boot
  is on, and its guest passes;
- the unsigned image is refused by the firmware ("Access Denied");
- the signed image with one byte changed is refused too.
The firmware's refusals are waited for on the serial console; the firmware
then waits for a key, so QEMU is stopped once it has said so.
Run with Debian's pytest: /usr/bin/python3 -m pytest tests/firmware
"""
import os
import shutil
import subprocess

import pexpect
import pytest

from fwlib import BOOT_TIMEOUT, BUILD, EFI, ROOT, make_cfg, make_image, qemu_base

CODE = "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd"
VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
OWNER = "70657266-7669-7372-0000-000000000001"   # any GUID: the keys' owner


@pytest.fixture(scope="module")
def keys():
    d = os.path.join(BUILD, "sb")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    key, cert = os.path.join(d, "key.pem"), os.path.join(d, "cert.pem")
    subprocess.run(["openssl", "req", "-new", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-sha256", "-days", "30", "-subj",
                    "/CN=perfvisor throwaway test key/", "-keyout", key,
                    "-out", cert], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    vars_fd = os.path.join(d, "vars.fd")
    subprocess.run(["virt-fw-vars", "-i", VARS, "-o", vars_fd,
                    "--set-pk", OWNER, cert, "--add-kek", OWNER, cert,
                    "--add-db", OWNER, cert, "--secure-boot"],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    signed = os.path.join(d, "perfvisor.signed.efi")
    subprocess.run([os.path.join(ROOT, "tools", "sign-efi.sh"), key, cert,
                    EFI, signed], check=True, cwd=ROOT)
    return {"dir": d, "vars": vars_fd, "signed": signed}


def spawn(keys, name, efi):
    img = make_image(name, make_cfg(name, "serial = com1"), efi=efi)
    vars_copy = os.path.join(keys["dir"], name + ".vars.fd")
    shutil.copy(keys["vars"], vars_copy)
    args = qemu_base(img, machine="q35,smm=on") + [
        "-global", "driver=cfi.pflash01,property=secure,value=on",
        "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + CODE,
        "-drive", "if=pflash,format=raw,unit=1,file=" + vars_copy,
        "-serial", "stdio"]
    p = pexpect.spawn(args[0], args[1:], encoding="utf-8",
                      codec_errors="replace", timeout=BOOT_TIMEOUT)
    p.logfile_read = open(os.path.join(BUILD, name + ".serial"), "w")
    return p


def test_signed_image_boots(keys):
    p = spawn(keys, "sb-signed", keys["signed"])
    try:
        i = p.expect_exact(["Secure Boot: on", "Access Denied",
                            "Security Violation"])
        assert i == 0, "the firmware refused the signed image"
        p.expect_exact("guest-tests: 1 passed, 0 failed")
        p.expect(pexpect.EOF)
    finally:
        p.close(force=True)
    assert p.exitstatus == 1          # debug exit (0 << 1) | 1: all passed


def refused(keys, name, efi):
    p = spawn(keys, name, efi)
    try:
        i = p.expect_exact(["Access Denied", "perfvisor"])
        before = p.before
        p.expect_exact("No bootable option")
    finally:
        p.close(force=True)
    assert i == 0, "the firmware started an image it should refuse"
    assert "failed to load Boot0001" in before


def test_unsigned_image_refused(keys):
    refused(keys, "sb-unsigned", EFI)


def test_tampered_image_refused(keys):
    bad = os.path.join(keys["dir"], "perfvisor.tampered.efi")
    data = bytearray(open(keys["signed"], "rb").read())
    data[len(data) // 2] ^= 0x01      # inside .text/.data: both are hashed
    with open(bad, "wb") as f:
        f.write(data)
    refused(keys, "sb-tampered", bad)
