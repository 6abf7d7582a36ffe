#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Signs perfvisor.efi for UEFI Secure Boot with Debian's sbsigntool:
#   tools/sign-efi.sh KEY.pem CERT.pem IN.efi OUT.efi
# KEY is the PEM private key, CERT its PEM X.509 certificate (the one
# enrolled in the firmware's db, or in shim's MOK list: docs/bare-metal.md).
# The signature is checked against CERT before OUT is kept.

set -eu

key=${1:-} cert=${2:-} in=${3:-} out=${4:-}
if [ -z "$key" ] || [ -z "$cert" ] || [ -z "$in" ] || [ -z "$out" ]; then
	echo "usage: make usb DEV=/dev/sdX SIGN=key.pem CERT=cert.pem" >&2
	exit 2
fi
for f in "$key" "$cert" "$in"; do
	[ -f "$f" ] || { echo "sign: $f does not exist" >&2; exit 1; }
done
command -v sbsign >/dev/null || tools/install-deps.sh secureboot

tmp=$out.tmp
rm -f "$tmp"
# sbsign warns about the gaps gnu-efi leaves between PE sections; the
# Authenticode hash covers them as the firmware computes it.
sbsign --key "$key" --cert "$cert" --output "$tmp" "$in" 2>&1 |
	grep -v 'gaps between PE/COFF sections' >&2 || true
[ -f "$tmp" ] || { echo "sign: sbsign failed" >&2; exit 1; }
if ! sbverify --cert "$cert" "$tmp" >/dev/null 2>&1; then
	echo "sign: the signature does not verify against $cert" >&2
	rm -f "$tmp"
	exit 1
fi
mv "$tmp" "$out"
echo "  SIGN    $out ($(basename "$cert"))"
