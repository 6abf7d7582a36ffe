#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Migration check of the QEMU PMU model (run by tests/run.sh).

Boots the Linux guest with qemupmu.migrate=N: while it counts a loop with
perf stat, the VM is migrated to a file, that QEMU quits and a new one
resumes from the file. The guest then checks the count (exact).

Usage: migrate.py QEMU VMLINUX INITRD OUTDIR
Prints the guest's PASS/FAIL lines; exit status 0 if it ran to the end.
"""
import json
import os
import socket
import subprocess
import sys
import time

LOOPS = 400000000


def qmp(path, *cmds):
    """Run QMP commands on the socket at path; return the replies."""
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    f = s.makefile('rw')
    json.loads(f.readline())  # greeting
    replies = []
    for cmd in ({'execute': 'qmp_capabilities'},) + cmds:
        f.write(json.dumps(cmd) + '\n')
        f.flush()
        while True:
            r = json.loads(f.readline())
            if 'return' in r or 'error' in r:
                replies.append(r)
                break
    s.close()
    return replies[1:]


def wait_for(path, text, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if os.path.exists(path) and text in open(path, errors='replace').read():
            return True
        time.sleep(0.2)
    return False


def main():
    qemu, kernel, initrd, out = sys.argv[1:5]
    state = os.path.join(out, 'migrate.state')
    base = [qemu, '-nodefaults', '-machine', 'q35', '-accel', 'tcg',
            '-cpu', 'max,tcg-pmu=on', '-m', '512', '-smp', '1',
            '-kernel', kernel, '-initrd', initrd,
            '-append', 'console=ttyS0 panic=-1 quiet qemupmu.migrate=%d' % LOOPS,
            '-display', 'none', '-monitor', 'none', '-no-reboot']

    def start(name, extra=()):
        log = os.path.join(out, name + '.log')
        sock = os.path.join(out, name + '.qmp')
        for p in (log, sock):
            if os.path.exists(p):
                os.unlink(p)
        p = subprocess.Popen(base + ['-serial', 'file:' + log,
                                     '-qmp', 'unix:%s,server=on,wait=off' % sock]
                             + list(extra), stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return p, log, sock

    src, log1, sock1 = start('migrate-src')
    try:
        if not wait_for(log1, 'pmuguest: loop start', 120):
            print('FAIL migration: the guest did not start its loop')
            return 1
        time.sleep(1.0)
        qmp(sock1, {'execute': 'migrate', 'arguments': {'uri': 'file:' + state}})
        end = time.time() + 120
        status = None
        while time.time() < end:
            status = qmp(sock1, {'execute': 'query-migrate'})[0]['return'].get('status')
            if status in ('completed', 'failed', 'cancelled'):
                break
            time.sleep(0.2)
        qmp(sock1, {'execute': 'quit'})
    finally:
        src.wait(timeout=30)
    if status != 'completed':
        print('FAIL migration: status %s' % status)
        return 1
    if 'pmuguest: done' in open(log1, errors='replace').read():
        print('FAIL migration: the loop ended before the migration')
        return 1
    print('PASS migration: the VM was saved in the middle of the loop')

    dst, log2, _ = start('migrate-dst', ['-incoming', 'file:' + state])
    try:
        dst.wait(timeout=300)
    except subprocess.TimeoutExpired:
        dst.kill()
    os.unlink(state)
    text = open(log2, errors='replace').read().replace('\r', '')
    for line in text.splitlines():
        if line.startswith(('PASS ', 'FAIL ')):
            print(line)
    return 0 if 'pmuguest: done' in text else 1


if __name__ == '__main__':
    sys.exit(main())
