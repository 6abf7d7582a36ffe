#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build Bochs 3.0 (Debian trixie's source) with perfvisor's patches: the
# emulator that runs every Bochs test of `make test` (VMX backend) and, with
# the PMU model patch, the Intel PMU tests. See docs/bochs-pmu.md.
#
# Fetches Debian's orig tarball and debian.tar.xz of BOCHS_DEB_VERSION from
# the pool (checked against their SHA-256; apt-get source as a fallback),
# unpacks them, applies Debian's quilt series, then
# tools/bochs-pmu/patches/*.patch in name order (patch -p1 from the source
# root), configures a headless build (nogui, no debugger, static: no
# plugins) and builds build/bochs-pmu/bochs.
#
# Cached: nothing is done when build/bochs-pmu/bochs exists and
# build/bochs-pmu/stamp matches the hash of the source version, the patches
# and this script.
#
# Usage: tools/bochs-pmu/build.sh [-f]     (-f: rebuild even if current)
# Environment: JOBS (default 2), the make parallelism.

set -eu

BOCHS_DEB_VERSION=3.0+dfsg-1
BOCHS_UPSTREAM=3.0
SUITE=trixie
POOL=http://deb.debian.org/debian/pool/main/b/bochs
ORIG=bochs_3.0+dfsg.orig.tar.xz
ORIG_SHA256=78f6c73d4a6472d5130a87ab9dc306d02c7c71ed8e25b3a8ef642e2a7acd282b
DEB=bochs_3.0+dfsg-1.debian.tar.xz
DEB_SHA256=c68fe1162aa485249467ec93707ccbf5d039b00d12815899fc2c819ec16d00df

# Headless, static (no plugins), no internal debugger (so no -rc file and
# no prompt), SMP, VMX with EPT/VPID/unrestricted guest (vmx=2), AVX-512
# for the newer CPU models (sapphire_rapids), MSRs configurable from the
# bochsrc.
#
# --disable-show-ips: Bochs 3.0's IPS display deadlocks the emulator. It is
# a SIGALRM handler, every second, that logs "ips = ..." through the log
# functions, which take a non-recursive mutex (logio_mutex, logio.cc); when
# the signal lands while the simulator thread is itself in the middle of a
# log line (Bochs logs every EPT violation, so every xAPIC access of a
# guest, and every #DB), the handler waits for the mutex its own thread
# holds, forever: the process sleeps in futex_wait, the guest stops. Seen
# as Linux under perfvisor going silent after some seconds and the
# guest-tests stopping mid-run. Without the display there is no handler.
CONFIGURE_FLAGS="--enable-x86-64 --enable-smp --enable-vmx=2
	--enable-cpu-level=6 --enable-avx --enable-evex
	--enable-all-optimizations --with-nogui --disable-debugger
	--enable-pci --enable-configurable-msrs --disable-show-ips"

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tools/bochs-pmu
out=$top/build/bochs-pmu
bin=$out/bochs
jobs=${JOBS:-2}
force=0

case "${1:-}" in
-f) force=1 ;;
"") ;;
*) sed -n 's/^# Usage: //p' "$0" >&2; exit 2 ;;
esac

export PATH=/usr/sbin:/usr/bin:/sbin:/bin

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9

key=$( {
	echo "$BOCHS_DEB_VERSION"
	cat "$0"
	for p in "$here"/patches/*.patch; do [ -f "$p" ] && cat "$p"; done
} | sha256sum | cut -d' ' -f1)

if [ $force = 0 ] && [ -x "$bin" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$key" ]; then
	exit 0
fi

echo "bochs-pmu: building Bochs $BOCHS_UPSTREAM ($BOCHS_DEB_VERSION) with perfvisor's patches, about 7 minutes..." >&2
start=$(date +%s)

"$top/tools/install-deps.sh" bochs-pmu

# Download (kept in build/bochs-pmu/dl across rebuilds). The mirror serves
# the two tarballs of trixie's bochs but answers 404 for its .dsc, so
# dpkg-source cannot be used: the files are fetched and checked here.
dl=$out/dl
mkdir -p "$dl"
good() { [ -f "$dl/$1" ] && [ "$(sha256sum <"$dl/$1" | cut -d' ' -f1)" = "$2" ]; }
fetch() {	# file sha256
	good "$1" "$2" && return 0
	curl -fsSL --retry 3 -o "$dl/$1.tmp" "$POOL/$1" 2>>"$out/download.log" &&
		mv "$dl/$1.tmp" "$dl/$1" || rm -f "$dl/$1.tmp"
	good "$1" "$2" && return 0
	# Fallback: apt, if it knows the source package (a deb-src entry for
	# trixie); it fetches the tarballs even though the .dsc fails.
	(cd "$dl" && apt-get source -qq --download-only "bochs=$BOCHS_DEB_VERSION") \
		>>"$out/download.log" 2>&1 || true
	good "$1" "$2" && return 0
	cat "$out/download.log" >&2
	echo "bochs-pmu: cannot download $1 (or its SHA-256 differs) from $POOL" >&2
	exit 1
}
: >"$out/download.log"
fetch "$ORIG" "$ORIG_SHA256"
fetch "$DEB" "$DEB_SHA256"

src=$out/src
rm -rf "$src"
mkdir -p "$src"
tar -xJf "$dl/$ORIG" -C "$src" --strip-components=1 --no-same-owner
tar -xJf "$dl/$DEB" -C "$src" --no-same-owner

# Debian's quilt series (what dpkg-source -x would apply): packaging paths,
# the default bochsrc, docs and BIOS build rules; nothing in the CPU.
: >"$out/patch.log"
sed -e 's/#.*//' "$src/debian/patches/series" | while read -r p opt; do
	[ -n "$p" ] || continue
	patch -d "$src" ${opt:--p1} --batch --forward <"$src/debian/patches/$p" \
		>>"$out/patch.log" 2>&1 || {
		echo "bochs-pmu: Debian patch failed: $p (see $out/patch.log)" >&2
		exit 1
	}
done

npatches=0
for p in "$here"/patches/*.patch; do
	[ -f "$p" ] || continue
	patch -d "$src" -p1 --batch --forward <"$p" >>"$out/patch.log" 2>&1 || {
		echo "bochs-pmu: patch failed: $p (see $out/patch.log)" >&2
		exit 1
	}
	npatches=$((npatches + 1))
done

(
	cd "$src"
	# shellcheck disable=SC2086
	./configure $CONFIGURE_FLAGS >"$out/configure.log" 2>&1 ||
		{ tail -30 "$out/configure.log" >&2; exit 1; }
	make -j"$jobs" >"$out/build.log" 2>&1 ||
		{ grep -B2 -A10 -E 'error:|Error ' "$out/build.log" | head -60 >&2; exit 1; }
)
cp "$src/bochs" "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "Debian source package $BOCHS_DEB_VERSION (Debian patch series applied), $npatches perfvisor patch(es)" >"$out/SOURCE"
echo "$key" >"$out/stamp"
echo "bochs-pmu: built $bin in $(($(date +%s) - start)) s ($npatches perfvisor patch(es))" >&2
