#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Writes the boot image to a USB stick: tools/write-usb.sh DEV IMAGE [FORCE]
# Refuses a device that is mounted or not removable unless FORCE=1, and
# says why. Everything on DEV is overwritten.

set -eu
# The tests point these at a fake tree (tests/firmware/test_usb.py).
sysfs=${PERFVISOR_SYSFS:-/sys}
mounts=${PERFVISOR_MOUNTS:-/proc/mounts}

dev=${1:-}
img=${2:-build/perfvisor.img}
force=${3:-}

if [ -z "$dev" ]; then
	echo "usage: make usb DEV=/dev/sdX [FORCE=1]" >&2
	exit 2
fi
if [ ! -b "$dev" ]; then
	echo "usb: $dev is not a block device" >&2
	exit 1
fi
if [ ! -f "$img" ]; then
	echo "usb: $img does not exist (run make image)" >&2
	exit 1
fi

# A partition: the kernel says so in sysfs; where sysfs has no entry for
# the name (a device node made by hand), its name tells.
name=$(basename "$(readlink -f "$dev")")
partition=
if [ -e "$sysfs/class/block/$name/partition" ]; then
	partition=1
fi
case $name in
*[0-9]p[0-9]*|sd*[0-9]|vd*[0-9]|hd*[0-9]|xvd*[0-9])
	partition=1 ;;
esac
if [ -n "$partition" ]; then
	echo "usb: $dev is a partition; give the whole disk (e.g. /dev/sdb)" >&2
	exit 1
fi

if [ "$force" != 1 ]; then
	removable=$(cat "$sysfs/block/$name/removable" 2>/dev/null || echo 0)
	if [ "$removable" != 1 ]; then
		echo "usb: $dev is not a removable device; refusing (FORCE=1 to override)" >&2
		exit 1
	fi
	if grep -q "^/dev/$name" "$mounts"; then
		echo "usb: $dev or one of its partitions is mounted; unmount it first (or FORCE=1)" >&2
		exit 1
	fi
fi

size=$(stat -c %s "$img")
echo "usb: writing $img ($((size / 1048576)) MiB) to $dev"
dd if="$img" of="$dev" bs=4M conv=fsync status=progress
# The image's backup GPT header sits at its own end, not at the stick's:
# move it so firmware does not complain about a damaged table.
sgdisk -e "$dev" >/dev/null 2>&1 || true
sync
echo "usb: done; boot the machine from $dev in UEFI mode"
