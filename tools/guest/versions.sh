# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the guest payload scripts (sourced, not executed).
# build/guest/VERSIONS holds one "key=value" line per component; each script
# owns its own keys and rewrites only those.

# versions_get FILE KEY: print the value of KEY, or nothing.
versions_get() {
	[ -f "$1" ] || return 0
	sed -n "s/^$2=//p" "$1" | tail -n 1
}

# versions_set FILE KEY VALUE: replace (or add) KEY, keep the file sorted.
# Serialised with flock: "make -j guest" runs both scripts at once.
versions_set() {
	(
		flock 9
		_vf=$1
		_tmp="$_vf.tmp.$$"
		{
			[ -f "$_vf" ] && grep -v "^$2=" "$_vf" || true
			echo "$2=$3"
		} | LC_ALL=C sort >"$_tmp"
		mv "$_tmp" "$_vf"
	) 9>"$1.lock"
}

# apt_candidate PKG: candidate version of PKG from the local apt lists,
# running "apt-get update" once if the lists know nothing about it yet.
apt_candidate() {
	_v=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	if [ -z "$_v" ] || [ "$_v" = "(none)" ]; then
		echo "perfvisor: apt lists lack $1, running apt-get update" >&2
		apt_get update -qq >&2
		_v=$(apt-cache policy "$1" 2>/dev/null |
			sed -n 's/^ *Candidate: //p')
	fi
	if [ -z "$_v" ] || [ "$_v" = "(none)" ]; then
		echo "perfvisor: no installable version of $1" >&2
		return 1
	fi
	echo "$_v"
}

# apt_fetch PKG VERSION DIR: download PKG=VERSION's .deb into DIR (cached)
# and print its path.
apt_fetch() {
	_deb=$(ls "$3/$1_"*"_amd64.deb" 2>/dev/null | while read -r _f; do
		if [ "$(dpkg-deb -f "$_f" Version)" = "$2" ]; then
			echo "$_f"
			break
		fi
	done)
	if [ -z "$_deb" ]; then
		echo "perfvisor: downloading $1=$2" >&2
		# apt drops privileges to _apt for downloads: let it write here.
		chmod 0777 "$3" 2>/dev/null || true
		(cd "$3" && apt-get download -q "$1=$2" >&2)
		_deb=$(ls "$3/$1_"*"_amd64.deb" | while read -r _f; do
			if [ "$(dpkg-deb -f "$_f" Version)" = "$2" ]; then
				echo "$_f"
				break
			fi
		done)
	fi
	[ -n "$_deb" ] || { echo "perfvisor: download of $1 failed" >&2; return 1; }
	echo "$_deb"
}

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
. "$top/tools/apt-lock.sh"
