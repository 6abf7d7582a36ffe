#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Migration check of the QEMU PMU model (run by tests/run.sh).

Boots the Linux guest with qemupmu.migrate=N: while it counts a loop with
perf stat, the VM is migrated to a file, that QEMU quits and a new one
resumes from the file. The guest then checks the count (exact).

Nothing here races the guest: the counted program prints a line from
inside the counted region (`pmuguest marked`), the VM is paused as soon as
that line is seen and saved while paused, and the new QEMU is told to
continue once the state is loaded. Only the loop's length (seconds under
TCG) has to exceed the time from that line to the pause.

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


def wait_for(path, text, timeout, after=None):
    """Waits (last resort: @timeout s) for @text in the log at @path, if
    @after is given in what follows the first @after."""
    end = time.time() + timeout
    while time.time() < end:
        if os.path.exists(path):
            log = open(path, errors='replace').read()
            if after is not None:
                log = log.partition(after)[2] if after in log else ''
            if text in log:
                return True
        time.sleep(0.05)
    return False


def qmp_wait(sock, states, timeout):
    """Polls query-status until the VM's status is one of @states."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            st = qmp(sock, {'execute': 'query-status'})[0]['return']['status']
            if st in states:
                return st
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.2)
    return None


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
        if not wait_for(log1, 'pmuguest: in loop', 300,
                        after='pmuguest: loop start'):
            print('FAIL migration: the guest did not start its loop')
            return 1
        qmp(sock1, {'execute': 'stop'})
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

    dst, log2, sock2 = start('migrate-dst', ['-incoming', 'file:' + state])
    try:
        # Saved while paused, it is loaded paused: continue it.
        if qmp_wait(sock2, ('paused', 'running'), 120) == 'paused':
            qmp(sock2, {'execute': 'cont'})
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
