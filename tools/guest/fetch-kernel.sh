#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian's stock kernel for perfvisor guests, without installing it.
#
# Resolves linux-image-amd64 to the real linux-image-<abi>-amd64 package,
# downloads it with "apt-get download" into build/guest/debs/, unpacks it with
# "dpkg -x" and produces:
#   build/guest/bzImage   the bzImage (/boot/vmlinuz-*) as shipped
#   build/guest/vmlinux   the uncompressed ELF kernel inside it (for PVH boot)
#   build/guest/VERSIONS  kernel_package= / kernel_version= lines
# Does nothing when the outputs exist and match the apt candidate version.
#
# Usage: tools/guest/fetch-kernel.sh [-f]   (-f: refetch even if cached)

set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tools/guest/versions.sh"

out=$top/build/guest
debs=$out/debs
vers=$out/VERSIONS
force=0
[ "${1:-}" = "-f" ] && force=1

mkdir -p "$debs"

# python3 (lzma) extracts vmlinux; a minimal Debian may lack it.
if ! command -v python3 >/dev/null; then
	echo "perfvisor: installing python3" >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends python3 >/dev/null
fi

meta_ver=$(apt_candidate linux-image-amd64)
# The metapackage depends on exactly one versioned image package.
pkg=$(apt-cache show "linux-image-amd64=$meta_ver" |
	sed -n 's/^Depends: *//p' | head -n 1 | tr ',' '\n' |
	sed -n 's/^ *\(linux-image-[0-9][^ ]*-amd64\).*/\1/p' | head -n 1)
[ -n "$pkg" ] || { echo "perfvisor: cannot resolve linux-image-amd64" >&2; exit 1; }
ver=$(apt_candidate "$pkg")

if [ $force = 0 ] && [ -s "$out/bzImage" ] && [ -s "$out/vmlinux" ] &&
   [ "$(versions_get "$vers" kernel_package)" = "$pkg" ] &&
   [ "$(versions_get "$vers" kernel_version)" = "$ver" ]; then
	exit 0
fi

deb=$(apt_fetch "$pkg" "$ver" "$debs")

stage=$out/stage-kernel
rm -rf "$stage"
mkdir -p "$stage"
# Only /boot is needed; the modules (~350 MB) are skipped to save time/disk.
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$stage" --wildcards './boot/vmlinuz-*'
vmlinuz=$(ls "$stage"/boot/vmlinuz-* | head -n 1)
cp "$vmlinuz" "$out/bzImage.tmp"

# Extract the ELF vmlinux. The setup header gives the payload location
# (boot.rst: payload_offset at 0x248 is relative to the protected-mode code,
# which starts at (setup_sects + 1) * 512); fall back to scanning for the XZ
# magic. The decompressor stops at the end of the XZ stream, so the trailing
# bytes (the 4-byte decompressed length, padding) are ignored.
python3 - "$out/bzImage.tmp" "$out/vmlinux.tmp" <<'EOF'
import lzma, struct, sys
img = open(sys.argv[1], 'rb').read()
magic = b'\xfd7zXZ\x00'
if img[0x202:0x206] != b'HdrS':
    sys.exit('bzImage: no HdrS signature')
setup_sects = img[0x1f1] or 4
pm = (setup_sects + 1) * 512
poff, plen = struct.unpack_from('<II', img, 0x248)
off = pm + poff
if img[off:off + 6] != magic:
    off = img.find(magic)
    if off < 0:
        sys.exit('bzImage: payload is not XZ-compressed')
d = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
elf = d.decompress(img[off:])
if not d.eof or elf[:4] != b'\x7fELF':
    sys.exit('bzImage: XZ payload did not decompress to an ELF')
open(sys.argv[2], 'wb').write(elf)
EOF

mv "$out/bzImage.tmp" "$out/bzImage"
mv "$out/vmlinux.tmp" "$out/vmlinux"
rm -rf "$stage"
versions_set "$vers" kernel_package "$pkg"
versions_set "$vers" kernel_version "$ver"
echo "perfvisor: kernel $pkg $ver -> build/guest/bzImage," \
	"$(stat -c %s "$out/bzImage") bytes; vmlinux $(stat -c %s "$out/vmlinux") bytes" >&2
