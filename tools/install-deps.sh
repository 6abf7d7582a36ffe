#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package perfvisor's build, run and tests need.
# Idempotent: does nothing when everything is already present. Needs root
# (or sudo) only when something is missing.
#
# Usage: tools/install-deps.sh [core|bochs-pmu|linux|qemu-pmu|fuzz|secureboot|all]
#        (default: all)

set -eu

SUITE=bookworm
BPO=${SUITE}-backports
what=${1:-all}

core_pkgs="gcc libc6-dev make binutils gnu-efi nasm mtools dosfstools gdisk
	ovmf qemu-system-x86 libcmocka-dev python3 python3-pytest python3-pexpect
	cpio gzip xz-utils"
# tools/bochs-pmu/build.sh builds Bochs 3.0 from source (nogui, static),
# the Bochs of every Bochs test: a C++ compiler, curl for the download;
# vgabios for its VGA ROM at run time (OVMF is in core). Debian's bochs
# package (2.7) is not used.
bochs_pmu_pkgs="gcc g++ make libc6-dev patch xz-utils curl ca-certificates
	vgabios"
linux_pkgs="busybox-static"
# Secure Boot: sbsign/sbverify (tools/sign-efi.sh), openssl for the test's
# throwaway key, virt-fw-vars (bookworm-backports) to enrol it in OVMF's
# variable store (tests/firmware).
secureboot_pkgs="sbsigntool openssl python3-virt-firmware"
# tests/fuzz: clang; libFuzzer and the sanitizer runtimes (-fsanitize=fuzzer,
# address,undefined) are in libclang-rt-14-dev, which clang does not pull in;
# llvm-14 has llvm-profdata and llvm-cov for `make fuzz-cov`.
fuzz_pkgs="clang libclang-rt-14-dev llvm-14 libc6-dev make"
# tools/qemu-pmu/build.sh (run by `make run` before the core packages are
# necessarily there): the compiler too.
qemu_pmu_pkgs="gcc libc6-dev python3 patch xz-utils dpkg-dev ninja-build meson
	libglib2.0-dev libpixman-1-dev libfdt-dev pkg-config zlib1g-dev
	python3-venv flex bison"

case "$what" in
core) pkgs=$core_pkgs ;;
# bochs: the old name of the target, kept for scripts that use it.
bochs|bochs-pmu) pkgs=$bochs_pmu_pkgs ;;
linux) pkgs=$linux_pkgs ;;
qemu-pmu) pkgs=$qemu_pmu_pkgs ;;
fuzz) pkgs=$fuzz_pkgs ;;
secureboot) pkgs=$secureboot_pkgs ;;
all) pkgs="$core_pkgs $bochs_pmu_pkgs $linux_pkgs $qemu_pmu_pkgs $fuzz_pkgs $secureboot_pkgs" ;;
*) echo "usage: $0 [core|bochs-pmu|linux|qemu-pmu|fuzz|secureboot|all]" >&2; exit 2 ;;
esac

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
. "$(dirname "$0")/apt-lock.sh"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done

# QEMU must come from backports (10.0): 7.2's TCG APIC cannot re-enable a
# disabled APIC and has no x2APIC. Same for meson >= 1.5 for the QEMU build.
need_bpo=0
case "$what" in core|qemu-pmu|all)
	v=$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null || true)
	case "$v" in 1:10.*|1:1[1-9].*) ;; *) need_bpo=1 ;; esac
	if [ "$what" != core ]; then
		mv=$(dpkg-query -W -f='${Version}' meson 2>/dev/null || true)
		case "$mv" in 1.[5-9]*|1.1[0-9]*) ;; *) need_bpo=1 ;; esac
		dpkg-query -W -f='${Status}\n' python3-pycotap 2>/dev/null |
			grep -q '^install ok installed' || need_bpo=1
	fi
esac

[ -z "$missing" ] && [ $need_bpo = 0 ] && exit 0

echo "perfvisor: installing Debian packages:${missing:- (backports upgrades)}" >&2

src=/etc/apt/sources.list.d/perfvisor-backports.sources
if ! grep -rqs "$BPO" /etc/apt/sources.list /etc/apt/sources.list.d/; then
	$SUDO tee "$src" >/dev/null <<EOS
Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: $BPO
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
fi

export DEBIAN_FRONTEND=noninteractive
apt_get update -qq
# shellcheck disable=SC2086
apt_get install -y -qq --no-install-recommends $pkgs >/dev/null
case "$what" in core|qemu-pmu|all)
	apt_get install -y -qq --no-install-recommends -t "$BPO" \
		qemu-system-x86 qemu-system-data qemu-system-common >/dev/null ;;
esac
case "$what" in qemu-pmu|all)
	# QEMU 10's configure wants meson >= 1.5 and pycotap.
	apt_get install -y -qq --no-install-recommends -t "$BPO" \
		meson python3-pycotap >/dev/null ;;
esac
echo "perfvisor: packages installed" >&2
