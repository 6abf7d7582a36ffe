#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Builds a bootable disk image: a GPT disk whose only partition is a FAT
# EFI system partition holding EFI/BOOT/BOOTX64.EFI, perfvisor.cfg and the
# guest files the configuration names (image = / initrd = keys). Those ESP
# paths are looked up under the search directory (default: build/).
#
# Usage: tools/mkimage.sh -o OUT.img -e perfvisor.efi -c perfvisor.cfg [-d DIR]

set -eu

out= efi= cfg= dir=build
while getopts o:e:c:d: opt; do
	case $opt in
	o) out=$OPTARG ;;
	e) efi=$OPTARG ;;
	c) cfg=$OPTARG ;;
	d) dir=$OPTARG ;;
	*) echo "usage: $0 -o OUT -e EFI -c CFG [-d DIR]" >&2; exit 2 ;;
	esac
done
[ -n "$out" ] && [ -n "$efi" ] && [ -n "$cfg" ] || {
	echo "usage: $0 -o OUT -e EFI -c CFG [-d DIR]" >&2; exit 2; }

# The files the configuration needs, as ESP paths.
files=$(sed -n 's/\r$//; s/^[ \t]*\(image\|initrd\)[ \t]*=[ \t]*\([^ \t#;]*\).*/\2/p' "$cfg" | sort -u)

payload=$(stat -c %s "$efi")
for f in $files; do
	[ -f "$dir/$f" ] || { echo "mkimage: $cfg names '$f' but $dir/$f does not exist" >&2; exit 1; }
	payload=$((payload + $(stat -c %s "$dir/$f")))
done

# FAT32 wants at least ~33 MiB; leave room for the directory and slack.
esp_mib=$(( payload / 1048576 + 40 ))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
esp=$tmp/esp.img

dd if=/dev/zero of="$esp" bs=1M count="$esp_mib" status=none
mkfs.vfat -F 32 -n PERFVISOR "$esp" >/dev/null
mmd -i "$esp" ::/EFI ::/EFI/BOOT
mcopy -i "$esp" "$efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$esp" "$cfg" ::/perfvisor.cfg
made=" "
for f in $files; do
	d=$(dirname "$f")
	path=
	for part in $(echo "$d" | tr '/' ' '); do
		[ "$part" = . ] && continue
		path=$path/$part
		# Each directory once: on a terminal, mmd asks what to do with
		# an existing name and waits for an answer.
		case "$made" in *" $path "*) continue ;; esac
		mmd -i "$esp" "::$path" </dev/null 2>/dev/null || true
		made="$made$path "
	done
	mcopy -o -i "$esp" "$dir/$f" "::/$f" || {
		echo "mkimage: cannot copy $f into the image" >&2; exit 1; }
done

# GPT disk: 1 MiB alignment before, 1 MiB for the backup header after.
total=$(( esp_mib + 2 ))
rm -f "$out"
dd if=/dev/zero of="$out" bs=1M count="$total" status=none
sgdisk -n 1:2048:$(( 2048 + esp_mib * 2048 - 1 )) -t 1:ef00 -c 1:PERFVISOR "$out" >/dev/null
dd if="$esp" of="$out" bs=1M seek=1 conv=notrunc status=none
echo "  IMAGE   $out ($total MiB, $(echo $files | wc -w) guest files)"
