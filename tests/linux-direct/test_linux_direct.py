# SPDX-License-Identifier: GPL-2.0
"""Smoke test of the guest payload: boot Debian's kernel and our initramfs
directly in QEMU TCG (no hypervisor) and drive the shell on the serial
console.

Run:  make guest && python3 -m pytest -v tests/linux-direct
Env:  PV_GUEST_KERNEL (default build/guest/bzImage; build/guest/vmlinux boots
      faster via PVH), PV_GUEST_INITRD, PV_QEMU, PV_BOOT_TIMEOUT (s, default
      180). The serial log goes to build/tests/linux-direct/console.log.
"""

import os
import re
import shutil
import time

import pexpect
import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
KERNEL = os.environ.get('PV_GUEST_KERNEL',
                        os.path.join(TOP, 'build/guest/bzImage'))
INITRD = os.environ.get('PV_GUEST_INITRD',
                        os.path.join(TOP, 'build/guest/initramfs.cpio.gz'))
QEMU = os.environ.get('PV_QEMU') or shutil.which('qemu-system-x86_64')
BOOT_TIMEOUT = float(os.environ.get('PV_BOOT_TIMEOUT', '180'))
LOGDIR = os.path.join(TOP, 'build/tests/linux-direct')

MARKER = 'perfvisor-guest: init done'
PROMPT = r'guest:[^\r\n]*# '
RC = re.compile(r'@@rc=(\d+)@@')


def qemu_cmd(kernel, initrd, smp=2, mem=512, append=''):
    return [QEMU, '-accel', 'tcg', '-machine', 'q35', '-cpu', 'max',
            '-m', str(mem), '-smp', str(smp), '-nographic', '-no-reboot',
            '-kernel', kernel, '-initrd', initrd,
            '-append', 'console=ttyS0 panic=-1 ' + append]


class Guest:
    def __init__(self, child):
        self.child = child

    def run(self, cmd, timeout=60):
        """Run cmd in the guest shell; return (exit status, output)."""
        self.child.sendline(cmd + '; echo "@@rc=$?@@"')
        self.child.expect(RC, timeout=timeout)
        rc = int(self.child.match.group(1))
        out = self.child.before.replace('\r', '')
        # Drop the echo of the command line itself.
        out = out.split('\n', 1)[1] if '\n' in out else ''
        self.child.expect(PROMPT, timeout=timeout)
        return rc, out.strip()


@pytest.fixture(scope='module')
def guest():
    if not QEMU:
        pytest.skip('qemu-system-x86_64 not installed')
    for f in (KERNEL, INITRD):
        if not os.path.exists(f):
            pytest.skip(f'{f} missing: run "make guest"')
    os.makedirs(LOGDIR, exist_ok=True)
    log = open(os.path.join(LOGDIR, 'console.log'), 'w')
    cmd = qemu_cmd(KERNEL, INITRD)
    t0 = time.monotonic()
    child = pexpect.spawn(cmd[0], cmd[1:], encoding='utf-8',
                          codec_errors='replace', timeout=BOOT_TIMEOUT,
                          dimensions=(50, 200))
    child.logfile_read = log
    try:
        child.expect_exact(MARKER)
        child.expect(PROMPT)
        print(f'time to shell: {time.monotonic() - t0:.2f} s')
        yield Guest(child)
    finally:
        if child.isalive():
            child.terminate(force=True)
        log.close()


def test_uname(guest):
    rc, out = guest.run('uname -a')
    assert rc == 0
    assert re.search(r'^Linux guest 6\.\S+-amd64 .* x86_64 GNU/Linux$', out,
                     re.M), out


def test_nproc(guest):
    rc, out = guest.run('nproc')
    # Kernel messages may come between the lines of the output.
    lines = [l for l in out.splitlines() if not re.match(r'\[ *\d+\.\d+\] ', l)]
    assert rc == 0 and lines == ['2'], out


def test_perf_version(guest):
    rc, out = guest.run('perf --version')
    assert rc == 0
    assert re.match(r'perf version \d+\.\d+', out), out


def test_perf_stat(guest):
    rc, out = guest.run('perf stat -e task-clock true 2>&1', timeout=120)
    assert rc == 0, out
    assert "Performance counter stats for 'true'" in out, out
    m = re.search(r'([\d.,]+)\s+msec\s+task-clock', out)
    assert m and float(m.group(1).replace(',', '')) > 0, out


def test_pmuloop(guest):
    rc, out = guest.run('pmuloop 1000 3')
    assert rc == 0 and 'loop_insns=6003' in out, out


def test_job_control(guest):
    # The shell owns the console tty, so it has job control.
    rc, out = guest.run('sleep 30 & jobs; kill %1')
    assert rc == 0 and 'sleep 30' in out, out


def test_poweroff(guest):
    child = guest.child
    child.sendline('poweroff')
    child.expect_exact('reboot: Power down', timeout=60)
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == 0
