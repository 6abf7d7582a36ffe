# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every script of ours that runs apt-get (install-deps.sh,
# qemu-pmu/build.sh, guest/versions.sh). `make -j2 test` on a fresh machine
# runs two of them at once (the core packages and busybox-static, say), and
# apt refuses the second ("Could not get lock /var/lib/dpkg/lock-frontend").
# apt_get runs apt-get under one lock file that all of them share, so they
# take turns; DPkg::Lock::Timeout makes apt itself wait for anyone else's
# apt (unattended-upgrades) instead of failing.

PERFVISOR_APT_LOCK=/tmp/perfvisor-apt.lock

apt_get() {
	flock "$PERFVISOR_APT_LOCK" ${SUDO:-} apt-get -o DPkg::Lock::Timeout=600 "$@"
}
