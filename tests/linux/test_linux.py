# SPDX-License-Identifier: GPL-2.0
"""End to end: Debian's kernel and our initramfs under perfvisor, in QEMU
TCG with the SVM backend, driven over the serial console.

One boot of perfvisor runs two Linux guests at once: `linux` with 2 vCPUs
(its console is the attached one) and `linux2` with 1 vCPU and
`on_exit = restart`. The tests use the first one's shell (uname, nproc,
a clean dmesg, a timer-driven sleep measured against the host), switch the
console to the second with Ctrl-A 2 (nproc), use the hypervisor shell
(`vms`, `attach`), reset the second guest from the shell and see it boot
to its shell again, and finally power the first off, which the hypervisor
must report.

Run:  make test-linux      (needs `make guest` first; it builds the image)
Env:  PV_QEMU, PV_BOOT_TIMEOUT (s, default 300). Logs and the image go to
      build/tests/linux/.
"""

import os
import re
import shutil
import sys
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'lib'))
from pvlinux import (BUILD, CTRL_A, MARKER, PROMPT, PROMPT2, SHELL,  # noqa: E402
                     Guest, make_image, qemu_cmd, spawn, sync)
import pvlinux  # noqa: E402

OUT = os.path.join(BUILD, 'tests', 'linux')
QEMU = os.environ.get('PV_QEMU') or shutil.which('qemu-system-x86_64')
BOOT_TIMEOUT = float(os.environ.get('PV_BOOT_TIMEOUT', '300'))

CONFIG = pvlinux.linux_config(
    'tests/linux/test_linux.py',
    [dict(name='linux', cpus=2, pin=(1, 2), memory='256M'),
     dict(name='linux2', cpus=1, pin=(3,), memory='256M', hostname='guest2',
          extra=['on_exit = restart'])])

# What dmesg must not say about the platform perfvisor emulates.
BAD = re.compile(r'(warn|error|fail|bug|oops|unstable).*'
                 r'(apic|timer|acpi|clock|tsc)|'
                 r'(apic|timer|acpi|clock|tsc).*'
                 r'(warn|error|fail|bug|oops|unstable)|'
                 r'calibrat.*fail', re.I)
# Kernel-wide trouble, matched case-sensitively ("Oops" is not "loops").
KERNEL_BAD = re.compile(r'PCI: Fatal|WARNING: CPU|BUG: |\bOops\b')
# Known, harmless lines that match BAD.
BENIGN = re.compile(r'AMD-Vi: AMD IOMMUv2|This is not a bug|'
                    r'pci=nocrs|Fast TSC calibration failed')


@pytest.fixture(scope='module')
def guest():
    if not QEMU:
        pytest.skip('qemu-system-x86_64 not installed')
    for f in ('perfvisor.efi', 'guest/bzImage', 'guest/initramfs.cpio.gz'):
        if not os.path.exists(os.path.join(BUILD, f)):
            pytest.skip('build/%s missing (make && make guest)' % f)
    img = make_image(OUT, CONFIG)
    cmd = qemu_cmd(QEMU, img)
    log = open(os.path.join(OUT, 'console.log'), 'w')
    start = time.time()
    child = spawn(cmd, log, BOOT_TIMEOUT)
    child.expect(MARKER)
    child.expect(PROMPT)
    print('\nshell after %.1f s' % (time.time() - start))
    yield Guest(child)
    if child.isalive():
        child.terminate(force=True)
    log.close()


def test_uname(guest):
    rc, out = guest.run('uname -a')
    assert rc == 0
    assert out.startswith('Linux ')


def test_nproc(guest):
    assert guest.value('nproc') == '2'


def test_dmesg_clean(guest):
    rc, out = guest.run('dmesg', timeout=120)
    assert rc == 0
    bad = [l for l in out.split('\n')
           if (BAD.search(l) or KERNEL_BAD.search(l)) and not BENIGN.search(l)]
    assert not bad, '\n'.join(bad)


def uptime(guest):
    rc, out = guest.run('cat /proc/uptime')
    assert rc == 0
    return float(out.split()[0])


def test_sleep_takes_its_time(guest):
    before = uptime(guest)
    t0 = time.time()
    rc, _ = guest.run('sleep 2')
    host = time.time() - t0
    after = uptime(guest)
    assert rc == 0
    print('\nsleep 2: guest clock %.2f s (with two shell round trips), '
          'host %.2f s' % (after - before, host))
    assert host >= 2.0
    assert 2.0 <= after - before <= host + 10


def focus(guest, key, banner, prompt):
    pvlinux.focus(guest, key, banner, prompt, BOOT_TIMEOUT)


def test_second_guest(guest):
    """Ctrl-A 2: the 1-vCPU guest has its own shell; Ctrl-A 1 comes back."""
    focus(guest, '2', '[console: vm linux2', PROMPT2)
    second = Guest(guest.child, PROMPT2)
    assert second.value('nproc') == '1'
    assert second.value('hostname') == 'guest2'
    focus(guest, '1', '[console: vm linux;', PROMPT)
    assert guest.value('nproc') == '2'


def test_shell_vms_attach(guest):
    """The hypervisor shell lists both guests; `attach` switches focus."""
    guest.child.send(CTRL_A + 'h')
    guest.child.expect(SHELL, timeout=30)
    out = guest.shell('vms')
    assert re.search(r'linux\s+running\s+256M\s+2\s', out), out
    assert re.search(r'linux2\s+running\s+256M\s+1\s', out), out
    guest.child.sendline('attach linux2')
    guest.child.expect(re.escape('[console: vm linux2'), timeout=30)
    sync(guest, PROMPT2)
    assert Guest(guest.child, PROMPT2).value('nproc') == '1'


def test_reset_restarts_guest(guest):
    """`reset linux2` in the shell: the guest boots again to its shell."""
    guest.child.send(CTRL_A + 'h')
    guest.child.expect(SHELL, timeout=30)
    guest.child.sendline('reset linux2')
    guest.child.expect(r'vm linux2: restarted \(restart 1\)', timeout=60)
    # The shell shows the guest's lines with its name: this is the new boot.
    guest.child.expect(r'\[linux2\] ' + MARKER, timeout=BOOT_TIMEOUT)
    guest.child.sendline('attach linux2')
    guest.child.expect(re.escape('[console: vm linux2'), timeout=30)
    sync(guest, PROMPT2, timeout=60)
    second = Guest(guest.child, PROMPT2)
    assert second.value('nproc') == '1'
    guest.child.send(CTRL_A + 'h')
    guest.child.expect(SHELL, timeout=30)
    out = guest.shell('vms')
    assert re.search(r'linux2\s+running\s+256M\s+1\s+\d+\s+1\s', out), out
    guest.child.sendline('attach linux')
    guest.child.expect(re.escape('[console: vm linux;'), timeout=30)
    sync(guest, PROMPT)


def test_poweroff(guest):
    focus(guest, '1', '[console: vm linux;', PROMPT)
    guest.child.sendline('poweroff -f')
    guest.child.expect(r'vm linux powered off', timeout=120)
