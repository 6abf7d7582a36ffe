#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""PMU figures of perfvisor's mediated PMU, on our QEMU with the PMU model
(docs/qemu-pmu.md), in one run. Counts, not timings.

One perfvisor boot (QEMU TCG, -cpu max,tcg-pmu=on, -smp 3) with one Linux
guest (`linux`, 2 vCPUs on CPUs 1-2, the model test's sysctls). The guest's
shell and the serial interrupt are moved to vCPU 1; the measured work runs
on vCPU 0 (`taskset -c 0`). Three phases, each bracketed by the hypervisor
shell's `vms` (guest uptime from the TSC), `exits linux 0` and `pmu linux 0`:

  idle    `sleep 5`: vCPU 0 idles, guest PMU idle
  busy    pmuloop on vCPU 0, no perf
  record  the same under `perf record -F 1000` (cycles, 1000 samples/s)

For each: vCPU 0 exits per second of guest time, PMU MSR accesses per exit
round trip (`pmu`: "PMU MSR accesses: exits" / exits), guest PMU MSR exits,
PMIs delivered. Then the count error of `perf stat -e instructions:u` for
pmuloop 1000000 and 2000000 under perfvisor against the bare model (the
same kernel + initramfs booted directly on the same QEMU). Appends a
summary line to build/bench/pmu.txt.

Each phase's workload runs in the background from a second before the
window until after it; the window is `sleep S` in the guest's shell.

Usage: tools/bench-pmu.py [--seconds S]
Env:   QEMU_PMU (default build/qemu-pmu/qemu-system-x86_64)
"""

import argparse
import os
import sys
import time

import pexpect

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'tests', 'lib'))
import pvlinux as P  # noqa: E402

OUT = os.path.join(P.BUILD, 'bench')
QEMU = os.environ.get('QEMU_PMU') or os.path.join(
    P.BUILD, 'qemu-pmu', 'qemu-system-x86_64')
CPU = 'max,tcg-pmu=on'
CONFIG = P.linux_config('tools/bench-pmu.py',
                       [dict(name='linux', cpus=2, pin=(1, 2), memory='512M')])
SYSCTLS = ('echo 0 >/proc/sys/kernel/perf_cpu_time_max_percent; '
           'echo 100000 >/proc/sys/kernel/perf_event_max_sample_rate; '
           'echo 0 >/proc/sys/kernel/nmi_watchdog; '
           'echo 0 >/proc/sys/kernel/randomize_va_space')
N1, N2 = 1000000, 2000000


def snapshot(g):
    """Hypervisor shell: guest uptime, vCPU 0 exits and PMU stats."""
    P.hv_shell(g)
    s = {'t': P.vm_uptime(g, 'linux'), 'exits': P.read_exits(g, 'linux', 0),
         'pmu': P.read_pmu(g, 'linux', 0)[0]}
    P.attach(g, 'linux', P.PROMPT)
    return s


def phase(g, name, start, stop, seconds):
    """START (a background job, or nothing) runs; once pmuloop runs, after
    a second of warm-up, the window: a snapshot, `sleep SECONDS` in the guest (on vCPU
    1), a snapshot; then STOP ends the job."""
    if start:
        g.check(start + ' &')
        # Running once perf has exec'd it (counting starts at the exec).
        g.check('while ! pidof pmuloop >/dev/null; do sleep 0.1; done')
    g.check('sleep 1')
    a = snapshot(g)
    rc, out = g.run('sleep %d' % seconds)
    b = snapshot(g)
    if stop:
        g.run(stop, 300)
    cmd = start or 'sleep'
    dt = b['t'] - a['t']
    kinds = {k: b['exits'].get(k, 0) - a['exits'].get(k, 0)
             for k in b['exits']}
    d = {k: (b['pmu'][k] or 0) - (a['pmu'][k] or 0)
         for k in ('msr_exit', 'msr_switch', 'guest_msr_exits', 'pmis',
                   'host_pmis', 'emulated', 'rdpmc_exits')}
    r = {'name': name, 'cmd': cmd, 'dt': dt, 'exits': kinds['total'],
         'kinds': kinds, 'rc': rc, 'out': out}
    r.update(d)
    print('%-7s %6.2f s guest time, %7d exits (%7.0f/s), PMU MSR accesses '
          'on exits %6d (%.4f per exit; %d guest PMU MSR exits), PMIs '
          'delivered %d (%.0f/s), emulated-insn increments %d'
          % (name, dt, r['exits'], r['exits'] / dt, r['msr_exit'],
             r['msr_exit'] / max(r['exits'], 1), r['guest_msr_exits'],
             r['pmis'], r['pmis'] / dt, r['emulated']), flush=True)
    return r


def stat_u(g, n):
    out = g.check('perf stat -x, -e instructions:u pmuloop %d 2>&1 '
                  '>/dev/null' % n)
    return int(out.split('\n')[-1].split(',')[0])


def counts(g):
    stat_u(g, N1)	# warm page cache
    return stat_u(g, N1), stat_u(g, N2)


def run_perfvisor(seconds, log):
    img = P.make_image(OUT, CONFIG, 'pmu')
    c = P.spawn(P.qemu_cmd(QEMU, img, cpu=CPU, smp=3), log, 400)
    c.expect(P.MARKER)
    c.expect(P.PROMPT)
    g = P.Guest(c)
    g.check(SYSCTLS)
    # The shell (and what it starts) and the UART interrupt on vCPU 1.
    g.check('taskset -p 2 $$ >/dev/null')
    g.run('echo 2 >/proc/irq/4/smp_affinity')
    # pmuloop runs until killed (2e15 instructions).
    loop = 'taskset -c 0 pmuloop 1000000000 1000000 >/dev/null'
    res = [
        phase(g, 'idle', None, None, seconds),
        phase(g, 'busy', loop, 'kill %1; wait', seconds),
        phase(g, 'record', 'perf record -q -F 1000 -o /tmp/f.data -- ' + loop,
              'kill -INT %1; wait', seconds),
    ]
    out = g.check('perf report -i /tmp/f.data -D 2>/dev/null | '
                  'grep -c PERF_RECORD_SAMPLE')
    res[2]['samples'] = int(out.split()[-1])
    print('record: %d samples in the perf.data (the whole session)'
          % res[2]['samples'])
    pv = counts(g)
    c.sendline('poweroff -f')
    c.expect('vm linux powered off', timeout=120)
    c.terminate(force=True)
    return res, pv


def run_bare(log):
    cmd = [QEMU, '-accel', 'tcg', '-machine', 'q35', '-cpu', CPU,
           '-m', '512', '-smp', '2', '-nographic', '-no-reboot',
           '-kernel', os.path.join(P.BUILD, 'guest', 'vmlinux'),
           '-initrd', os.path.join(P.BUILD, 'guest', 'initramfs.cpio.gz'),
           '-append', 'console=ttyS0 panic=-1']
    c = P.spawn(cmd, log, 300)
    c.expect(P.MARKER)
    c.expect(P.PROMPT)
    g = P.Guest(c)
    g.check(SYSCTLS)
    r = counts(g)
    c.sendline('poweroff -f')
    c.expect(pexpect.EOF, timeout=60)
    c.close()
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seconds', type=int, default=5,
                    help='guest seconds per phase')
    args = ap.parse_args()
    if not os.access(QEMU, os.X_OK):
        print('bench-pmu: %s missing (make qemu-pmu)' % QEMU)
        return 1
    os.makedirs(OUT, exist_ok=True)
    log = open(os.path.join(OUT, 'pmu-console.log'), 'w')
    load0 = os.getloadavg()[0]
    res, pv = run_perfvisor(args.seconds, log)
    bare = run_bare(log)
    log.close()
    err_abs = (pv[0] - bare[0], pv[1] - bare[1])
    err_diff = (pv[1] - pv[0]) - (bare[1] - bare[0])
    print('\n| phase | guest time | vCPU 0 exits | exits/s | PMU MSR '
          'accesses on exits | per exit | guest PMU MSR exits | PMIs '
          'delivered | PMIs/s |')
    print('|---|---|---|---|---|---|---|---|---|')
    for r in res:
        print('| %s | %.2f s | %d | %.0f | %d | %.4f | %d | %d | %.0f |'
              % (r['name'], r['dt'], r['exits'], r['exits'] / r['dt'],
                 r['msr_exit'], r['msr_exit'] / max(r['exits'], 1),
                 r['guest_msr_exits'], r['pmis'], r['pmis'] / r['dt']))
    kinds = sorted((k for k in res[2]['kinds'] if k != 'total'),
                   key=lambda k: -res[2]['kinds'][k])
    print('\nexits by kind, vCPU 0:\n| kind | %s |\n|---|---|---|---|'
          % ' | '.join(r['name'] for r in res))
    for k in kinds + ['total']:
        print('| %s | %s |' % (k, ' | '.join(str(r['kinds'].get(k, 0))
                                             for r in res)))
    print('\nperf stat -e instructions:u pmuloop %d / %d: perfvisor %d / %d, '
          'bare model %d / %d; error %d / %d, error of the difference %d'
          % (N1, N2, pv[0], pv[1], bare[0], bare[1], err_abs[0], err_abs[1],
             err_diff))
    load1 = os.getloadavg()[0]
    print('load average (1 min): %.2f -> %.2f' % (load0, load1))
    with open(os.path.join(OUT, 'pmu.txt'), 'a') as f:
        f.write('%s %s pv=%d,%d bare=%d,%d load=%.2f,%.2f\n'
                % (time.strftime('%Y-%m-%dT%H:%M:%S'),
                   ' '.join('%s:dt=%.2f,exits=%d,msr_exit=%d,gmsr=%d,pmis=%d'
                            % (r['name'], r['dt'], r['exits'], r['msr_exit'],
                               r['guest_msr_exits'], r['pmis'])
                            for r in res),
                   pv[0], pv[1], bare[0], bare[1], load0, load1))
    return 0 if err_abs == (0, 0) and err_diff == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
