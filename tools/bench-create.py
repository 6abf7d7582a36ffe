#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Guest creation time: from `took the machine` to the guest's first instruction.

Boots tools/bench-linux.py's configuration (one 512 MiB, 2-vCPU Linux guest
on CPUs 1-2, build/guest's bzImage and initramfs) under the system QEMU
(TCG, q35, OVMF, -smp 3 -m 1024) until the kernel's first line, N times,
and prints from the hypervisor log's own timestamps: `took the machine`
(files read, ExitBootServices), `N CPUs online` (APs up) and `vm linux:
... MiB RAM at` (the VM created, about to run: its first instruction
follows at once). With several --efi binaries the runs are interleaved
(A, B, A, B, ...) so that they share the machine's load.

Usage: tools/bench-create.py [-n RUNS] [--efi PATH]...
"""

import argparse
import importlib.util
import io
import os
import re
import statistics
import subprocess
import sys

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'build', 'bench')
spec = importlib.util.spec_from_file_location(
    'bench_linux', os.path.join(ROOT, 'tools', 'bench-linux.py'))
bl = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bl)


def stamp(text, pattern):
    m = re.search(r'\[\s*([\d.]+)\][^\n]*' + pattern, text)
    return float(m.group(1)) if m else None


def run(img):
    cmd = bl.perfvisor_cmd(img)
    c = pexpect.spawn(cmd[0], cmd[1:], encoding='utf-8',
                      codec_errors='replace', timeout=300)
    buf = io.StringIO()
    c.logfile_read = buf
    c.expect_exact('[console: vm linux')
    c.expect('Linux version')
    c.terminate(force=True)
    text = buf.getvalue()
    return {'took': stamp(text, 'took the machine'),
            'online': stamp(text, r'CPUs online'),
            'vm': stamp(text, r'vm linux: \d+ MiB RAM at')}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('-n', type=int, default=3, help='runs of each binary')
    ap.add_argument('--efi', action='append', default=[],
                    help='a perfvisor.efi (default build/perfvisor.efi)')
    args = ap.parse_args()
    efis = args.efi or [os.path.join(ROOT, 'build', 'perfvisor.efi')]
    os.makedirs(OUT, exist_ok=True)
    cfg = os.path.join(OUT, 'create.cfg')
    with open(cfg, 'w') as f:
        f.write(bl.CONFIG)
    imgs = []
    for i, efi in enumerate(efis):
        img = os.path.join(OUT, 'create-%d.img' % i)
        subprocess.run([os.path.join(ROOT, 'tools', 'mkimage.sh'), '-o', img,
                        '-e', efi, '-c', cfg, '-d',
                        os.path.join(ROOT, 'build')], check=True,
                       stdout=subprocess.DEVNULL)
        imgs.append(img)
    res = [[] for _ in efis]
    for r in range(args.n):
        for i, img in enumerate(imgs):
            t = run(img)
            res[i].append(t)
            print('run %d %s: took the machine %.3f s, CPUs online %.3f s, '
                  'vm running %.3f s: took the machine -> guest %.3f s '
                  '(creation %.3f s); load %.1f'
                  % (r + 1, efis[i], t['took'], t['online'], t['vm'],
                     t['vm'] - t['took'], t['vm'] - t['online'],
                     os.getloadavg()[0]), flush=True)
    for i, efi in enumerate(efis):
        print('median of %d, %s: took the machine -> guest %.3f s, '
              'creation alone %.3f s'
              % (args.n, efi,
                 statistics.median(t['vm'] - t['took'] for t in res[i]),
                 statistics.median(t['vm'] - t['online'] for t in res[i])))
    return 0


if __name__ == '__main__':
    sys.exit(main())
