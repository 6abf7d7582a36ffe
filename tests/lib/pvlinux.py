# SPDX-License-Identifier: GPL-2.0
"""Shared helpers for driving Linux guests under perfvisor over the serial
console with pexpect: building an image from a config, booting it in QEMU,
running guest shell commands, switching the console (Ctrl-A n / Ctrl-A h)
and reading the hypervisor shell's `exits` and `pmu` views.

Used by tests/linux/test_linux.py, tests/linux-pmu/test_linux_pmu.py and
tools/bench-pmu.py (they put tests/lib on sys.path).
"""

import os
import re
import subprocess

import pexpect

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BUILD = os.path.join(TOP, 'build')
OVMF = '/usr/share/ovmf/OVMF.fd'

MARKER = 'perfvisor-guest: init done'
PROMPT = r'guest:[^\r\n]*# '
PROMPT2 = r'guest2:[^\r\n]*# '
SHELL = r'perfvisor> '
CTRL_A = '\x01'
RC = re.compile(r'@@rc=(\d+)@@')


class Guest:
    """A guest shell on the console (the console must be focused on it)."""

    def __init__(self, child, prompt=PROMPT):
        self.child = child
        self.prompt = prompt

    def run(self, cmd, timeout=60):
        """Runs cmd in the guest shell; returns (exit status, output).
        The output starts after a marker that the echoed command line does
        not contain (the terminal wraps long command lines anywhere)."""
        sep = ' ' if cmd.rstrip().endswith('&') else '; '
        self.child.sendline('echo @@out$((6*7))@@; %s%secho "@@rc=$?@@"'
                            % (cmd, sep))
        self.child.expect(RC, timeout=timeout)
        rc = int(self.child.match.group(1))
        out = self.child.before.replace('\r', '')
        out = out.rsplit('@@out42@@', 1)[-1]
        self.child.expect(self.prompt, timeout=timeout)
        return rc, out.strip()

    def check(self, cmd, timeout=60):
        """Runs cmd, asserts exit status 0, returns its output."""
        rc, out = self.run(cmd, timeout)
        assert rc == 0, '%s: exit %d\n%s' % (cmd, rc, out)
        return out

    def shell(self, cmd, until=SHELL, timeout=30):
        """Runs a hypervisor shell command (the shell has the console)."""
        self.child.sendline(cmd)
        self.child.expect(until, timeout=timeout)
        return self.child.before.replace('\r', '')


def make_image(out_dir, config, name='linux'):
    """Writes config to OUT/NAME.cfg and builds OUT/NAME.img from build/."""
    os.makedirs(out_dir, exist_ok=True)
    cfg = os.path.join(out_dir, name + '.cfg')
    img = os.path.join(out_dir, name + '.img')
    with open(cfg, 'w') as f:
        f.write(config)
    subprocess.run([os.path.join(TOP, 'tools', 'mkimage.sh'), '-o', img,
                    '-e', os.path.join(BUILD, 'perfvisor.efi'), '-c', cfg,
                    '-d', BUILD], check=True, stdout=subprocess.DEVNULL)
    return img


def qemu_cmd(qemu, img, cpu='max', smp=4, mem=2048):
    """QEMU TCG, q35, OVMF, booting perfvisor from img; serial on stdio."""
    return [qemu, '-nodefaults', '-machine', 'q35', '-accel', 'tcg',
            '-cpu', cpu, '-m', str(mem), '-smp', str(smp),
            '-bios', OVMF,
            '-drive', 'format=raw,file=%s' % img,
            '-serial', 'stdio', '-display', 'none', '-no-reboot',
            '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']


def spawn(cmd, logfile, timeout):
    child = pexpect.spawn(cmd[0], cmd[1:], encoding='utf-8',
                          codec_errors='replace', timeout=timeout)
    child.logfile_read = logfile
    return child


_syncs = [0]


def sync(guest, prompt, timeout=30):
    """Skips the replayed output: waits for the answer to a fresh echo."""
    _syncs[0] += 1
    n = _syncs[0]
    # The echoed command line says "sync-$((n+1000))", the answer differs.
    guest.child.sendline('echo sync-$((%d+1000))' % n)
    guest.child.expect('sync-%d' % (n + 1000), timeout=timeout)
    guest.child.expect(prompt, timeout=timeout)


def focus(guest, key, banner, prompt, boot_timeout=300):
    """Ctrl-A KEY, then waits for the banner and a shell prompt (replayed
    or new: the guest may still be booting)."""
    guest.child.send(CTRL_A + key)
    guest.child.expect(re.escape(banner), timeout=30)
    guest.child.expect(prompt, timeout=boot_timeout)
    sync(guest, prompt)


def hv_shell(guest):
    """Ctrl-A h: the hypervisor shell gets the console."""
    guest.child.send(CTRL_A + 'h')
    guest.child.expect(SHELL, timeout=30)


def attach(guest, vm, prompt):
    """`attach VM` in the hypervisor shell, then a fresh guest prompt."""
    guest.child.sendline('attach %s' % vm)
    guest.child.expect(re.escape('[console: vm %s' % vm), timeout=30)
    sync(guest, prompt)


EXIT_LINE = re.compile(r'^\s+([a-z][a-z0-9-]*)\s+(\d+)\s*$')


def read_exits(guest, vm, vcpu):
    """`exits VM VCPU` (shell focused): {kind: count, 'total': n}."""
    out = guest.shell('exits %s %d' % (vm, vcpu))
    m = re.search(r'vm %s vcpu%d: (\d+) exits' % (re.escape(vm), vcpu), out)
    assert m, out
    kinds = {'total': int(m.group(1))}
    for line in out.split('\n'):
        e = EXIT_LINE.match(line)
        if e:
            kinds[e.group(1)] = int(e.group(2))
    return kinds


PMU_STATS = [
    ('loads', r'loads (\d+)'), ('saves', r'saves (\d+)'),
    ('msr_exit', r'PMU MSR accesses: exits (\d+)'),
    ('msr_switch', r'switches (\d+)'), ('msr_console', r'console (\d+)'),
    ('guest_msr_exits', r'guest PMU MSR exits (\d+)'),
    ('rdpmc_exits', r'RDPMC exits (\d+)'),
    ('host_pmis', r'PMIs: hardware (\d+)'),
    ('pmis', r'delivered (\d+)'), ('pmis_masked', r'masked (\d+)'),
    ('emulated', r'emulated-instruction increments (\d+)'),
    ('filtered', r'filtered selector writes (\d+)'),
]


def parse_pmu_vcpu(text):
    """One vCPU's block of `pmu VM [VCPU]` -> dict of stats, counters."""
    r = {'text': text, 'live': 'live values' in text, 'ctr': [], 'sel': []}
    for key, pat in PMU_STATS:
        m = re.search(pat, text)
        r[key] = int(m.group(1)) if m else None
    for m in re.finditer(r'ctr(\d+) ((?:0x)?[0-9a-f]+)\s+sel ((?:0x)?[0-9a-f]+)',
                         text):
        r['ctr'].append(int(m.group(2), 16))
        r['sel'].append(int(m.group(3), 16))
    return r


def read_pmu(guest, vm, vcpu=None):
    """`pmu VM [VCPU]` (shell focused): a list of parse_pmu_vcpu() dicts."""
    out = guest.shell('pmu %s' % vm if vcpu is None else
                      'pmu %s %d' % (vm, vcpu))
    blocks = re.split(r'(?=  vm %s vcpu\d+:)' % re.escape(vm), out)
    return [parse_pmu_vcpu(b) for b in blocks
            if re.match(r'  vm %s vcpu\d+:' % re.escape(vm), b)]


def vm_uptime(guest, vm):
    """Seconds since the VM started, from `vms` (the hypervisor's TSC)."""
    out = guest.shell('vms')
    m = re.search(r'\s%s\s+running\s.*\s(\d+)\.(\d{3}) s' % re.escape(vm),
                  out)
    assert m, out
    return int(m.group(1)) + int(m.group(2)) / 1000.0
