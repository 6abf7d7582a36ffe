#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build QEMU with perfvisor's TCG model of an AMD PerfMonV2 PMU.
#
# Gets Debian's QEMU source package (bookworm-backports, see QEMU_DEB_VERSION)
# with apt-get, unpacks it with dpkg-source (Debian's patch series applied),
# applies tools/qemu-pmu/patches/*.patch in order, and builds a minimal
# x86_64-softmmu, TCG-only qemu-system-x86_64 into build/qemu-pmu/.
#
# Cached: nothing is done when build/qemu-pmu/qemu-system-x86_64 exists and
# build/qemu-pmu/stamp matches the hash of the source version, the patches
# and this script. See docs/qemu-pmu.md.
#
# Usage: tools/qemu-pmu/build.sh [-f]     (-f: rebuild even if current)
# Environment: JOBS (default 2), the ninja parallelism.

set -eu

QEMU_DEB_VERSION=1:10.0.2+ds-2+deb13u1~bpo12+1
QEMU_UPSTREAM=10.0.2
SUITE=bookworm-backports

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tools/qemu-pmu
out=$top/build/qemu-pmu
bin=$out/qemu-system-x86_64
jobs=${JOBS:-2}
force=0

case "${1:-}" in
-f) force=1 ;;
"") ;;
*) sed -n 's/^# Usage: //p' "$0" >&2; exit 2 ;;
esac

# Outside the build's PATH: a pyenv or venv python would break configure.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9

key=$( {
	echo "$QEMU_DEB_VERSION"
	cat "$0"
	for p in "$here"/patches/*.patch; do cat "$p"; done
} | sha256sum | cut -d' ' -f1)

if [ $force = 0 ] && [ -x "$bin" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$key" ]; then
	exit 0
fi

echo "qemu-pmu: building QEMU $QEMU_UPSTREAM with the PMU model, about 5 minutes..." >&2
start=$(date +%s)

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
. "$top/tools/apt-lock.sh"

# Build dependencies: the project's list, plus pycotap (QEMU 10's configure
# wants it; bookworm has it only in backports).
"$top/tools/install-deps.sh" qemu-pmu
if ! dpkg-query -W -f='${Status}\n' python3-pycotap 2>/dev/null | grep -q 'ok installed'; then
	apt_get install -y -qq --no-install-recommends -t "$SUITE" python3-pycotap >/dev/null
fi

# apt-get source needs a deb-src entry for the suite.
if ! apt-cache showsrc qemu 2>/dev/null | grep -qxF "Version: $QEMU_DEB_VERSION"; then
	echo "qemu-pmu: adding a deb-src entry for $SUITE" >&2
	$SUDO tee /etc/apt/sources.list.d/perfvisor-qemu-pmu-src.sources >/dev/null <<EOS
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
	apt_get update -qq
fi

# Download (kept in build/qemu-pmu/dl across rebuilds).
dl=$out/dl
mkdir -p "$dl"
ver=${QEMU_DEB_VERSION#*:}
orig=qemu_${ver%-*}.orig.tar.xz
dsc=qemu_$ver.dsc
if [ ! -f "$dl/$dsc" ] || [ ! -f "$dl/$orig" ]; then
	(cd "$dl" && apt-get source -qq --download-only -t "$SUITE" "qemu=$QEMU_DEB_VERSION" \
		>"$out/apt-source.log" 2>&1) || true
fi

src=$out/src
rm -rf "$src"
if [ -f "$dl/$dsc" ]; then
	dpkg-source --no-check -x "$dl/$dsc" "$src" >"$out/dpkg-source.log" 2>&1
	variant="Debian source package $QEMU_DEB_VERSION (Debian patch series applied)"
elif [ -f "$dl/$orig" ]; then
	# The mirror may serve the upstream tarball but not Debian's packaging
	# (seen on this project's mirror: .dsc and .debian.tar.xz give 404).
	# Debian's 10.0.2 series carries packaging changes and two device-model
	# fixes, nothing for the x86 TCG CPU; see docs/qemu-pmu.md.
	echo "qemu-pmu: WARNING: Debian's packaging of $QEMU_DEB_VERSION is not" \
		"downloadable; building its orig tarball without Debian's patches" >&2
	mkdir -p "$src"
	tar -xJf "$dl/$orig" -C "$src" --strip-components=1 --no-same-owner
	variant="orig tarball of $QEMU_DEB_VERSION (Debian packaging unavailable)"
else
	cat "$out/apt-source.log" >&2
	echo "qemu-pmu: cannot download the QEMU source" >&2
	exit 1
fi

for p in "$here"/patches/*.patch; do
	patch -d "$src" -p1 --batch --forward --quiet <"$p" || {
		echo "qemu-pmu: patch failed: $p" >&2
		exit 1
	}
done

obj=$out/obj
rm -rf "$obj"
mkdir -p "$obj"
(
	cd "$obj"
	"$src/configure" --target-list=x86_64-softmmu --without-default-features \
		--enable-tcg --disable-kvm --disable-xen --enable-fdt=system \
		--disable-docs --disable-tools --disable-guest-agent \
		--disable-install-blobs --disable-debug-info --disable-werror \
		--firmwarepath=/usr/share/qemu:/usr/share/seabios:/usr/lib/ipxe/qemu \
		>"$out/configure.log" 2>&1 || { tail -30 "$out/configure.log" >&2; exit 1; }
	ninja -j"$jobs" qemu-system-x86_64 >"$out/build.log" 2>&1 ||
		{ grep -A10 -E 'FAILED|error:' "$out/build.log" | head -60 >&2; exit 1; }
)
cp "$obj/qemu-system-x86_64" "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "$variant" >"$out/SOURCE"
echo "$key" >"$out/stamp"
echo "qemu-pmu: built $bin in $(($(date +%s) - start)) s from the $variant" >&2
