#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the perfvisor guest initramfs from Debian packages, without installing
# them: every package is fetched with "apt-get download" into build/guest/debs/
# and unpacked into a staging directory.
#
# Contents:
#   /bin/busybox + applet symlinks        busybox-static
#   /usr/bin/perf + its shared libraries  linux-perf and its library closure
#   /lib64/ld-linux-x86-64.so.2           dynamic loader (from libc6)
#   /usr/local/bin/<prog>                 tools/guest/progs/*.c, -static -O2
#   /init                                 tools/guest/init (or --init FILE)
#
# Usage: tools/guest/mkinitramfs.sh [-o OUT] [--init FILE] [--add SRC:DST]...
#        [-f]  (default OUT: build/guest/initramfs.cpio.gz; -f: force rebuild)
#
# The output is reproducible (sorted cpio, fixed mtimes and owners, gzip -n)
# and cached: nothing is done when the package versions and every input are
# unchanged (see OUT.stamp).

set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tools/guest/versions.sh"

gdir=$top/build/guest
debs=$gdir/debs
vers=$gdir/VERSIONS
out=$gdir/initramfs.cpio.gz
init=$top/tools/guest/init
adds=
force=0

usage() {
	sed -n 's/^# Usage: //p; s/^#        //p' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	-o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	--init) [ $# -ge 2 ] || usage; init=$2; shift 2 ;;
	--add)
		[ $# -ge 2 ] || usage
		case "$2" in *:/*) ;; *) echo "--add wants SRC:/DST" >&2; exit 2 ;; esac
		[ -e "${2%%:*}" ] || { echo "--add: no such file: ${2%%:*}" >&2; exit 2; }
		adds="$adds
$2"
		shift 2 ;;
	-f) force=1; shift ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
done
case "$out" in /*) ;; *) out=$(pwd)/$out ;; esac
case "$init" in /*) ;; *) init=$(pwd)/$init ;; esac
[ -f "$init" ] || { echo "no init script: $init" >&2; exit 2; }

# Host tools. busybox-static via the project's installer (it is also used to
# list applets), the rest only when missing.
"$top/tools/install-deps.sh" linux
need=
command -v gcc >/dev/null || need="$need gcc libc6-dev"
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || need="$need libc6-dev"
command -v cpio >/dev/null || need="$need cpio"
command -v gzip >/dev/null || need="$need gzip"
command -v python3 >/dev/null || need="$need python3"
if [ -n "$need" ]; then
	echo "perfvisor: installing$need" >&2
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends $need >/dev/null
fi

mkdir -p "$debs" "$(dirname "$out")"

bb_ver=$(apt_candidate busybox-static)
perf_ver=$(apt_candidate linux-perf)

# Cache key: package versions, every input file, and this script.
stamp_of() {
	{
		echo "busybox-static=$bb_ver linux-perf=$perf_ver"
		cat "$0" "$init"
		for f in "$top"/tools/guest/progs/*.c; do
			[ -f "$f" ] && echo "$f" && cat "$f"
		done
		printf '%s\n' "$adds" | while IFS= read -r a; do
			[ -n "$a" ] || continue
			echo "$a"
			find "${a%%:*}" -type f -print0 | sort -z | xargs -0r cat
		done
	} | sha256sum | cut -d' ' -f1
}
stamp=$(stamp_of)
if [ $force = 0 ] && [ -s "$out" ] && [ -f "$out.stamp" ] &&
   [ "$(cat "$out.stamp")" = "$stamp" ]; then
	exit 0
fi

# Library closure of linux-perf: breadth-first over Depends/Pre-Depends,
# following only shared-library packages (lib*, zlib1g). Perl/python
# interpreters, data and -dev packages are not needed to run perf.
closure() {
	todo=linux-perf
	seen=
	while [ -n "$todo" ]; do
		# shellcheck disable=SC2086
		next=$(apt-cache depends --no-recommends --no-suggests \
			--no-conflicts --no-breaks --no-replaces --no-enhances \
			$todo 2>/dev/null |
			sed -n 's/^ *|\{0,1\}\(Pre\)\{0,1\}Depends: \([a-z0-9][^ <]*\)$/\2/p' |
			sed 's/:any$//' | sort -u)
		seen="$seen $todo"
		todo=
		for d in $next; do
			case "$d" in
			lib*-dev|lib*-data|lib*-common|libc-bin|libc-l10n) continue ;;
			lib*|zlib1g) ;;
			*) continue ;;
			esac
			case " $seen $todo " in *" $d "*) continue ;; esac
			todo="$todo $d"
		done
	done
	# shellcheck disable=SC2086
	echo $seen
}

echo "perfvisor: resolving linux-perf library closure" >&2
# shellcheck disable=SC2046
pkgvers=$(apt-cache show --no-all-versions busybox-static $(closure) 2>/dev/null |
	awk '/^Package: /{p=$2} /^Version: /{print p "=" $2}' | sort -u)

# Download what is not cached yet, in one apt call.
get=
for pv in $pkgvers; do
	p=${pv%%=*}
	v=${pv#*=}
	found=
	for f in "$debs/${p}_"*_amd64.deb "$debs/${p}_"*_all.deb; do
		[ -f "$f" ] || continue
		[ "$(dpkg-deb -f "$f" Version)" = "$v" ] && found=$f && break
	done
	[ -n "$found" ] || get="$get $pv"
done
if [ -n "$get" ]; then
	echo "perfvisor: downloading$get" >&2
	chmod 0777 "$debs" 2>/dev/null || true
	# shellcheck disable=SC2086
	(cd "$debs" && apt-get download -q $get >/dev/null)
fi
debfile() {
	for f in "$debs/${1}_"*_amd64.deb "$debs/${1}_"*_all.deb; do
		[ -f "$f" ] || continue
		[ "$(dpkg-deb -f "$f" Version)" = "$2" ] && echo "$f" && return 0
	done
	echo "perfvisor: missing .deb for $1=$2" >&2
	return 1
}

# Unpack. Library packages: only their shared objects (faster, smaller).
stage=$gdir/stage-initramfs.$$
trap 'rm -rf "$stage"' EXIT
trap 'exit 1' INT TERM
pkgroot=$stage/pkgs
root=$stage/root
rm -rf "$stage"
mkdir -p "$pkgroot" "$root"
for pv in $pkgvers; do
	p=${pv%%=*}
	f=$(debfile "$p" "${pv#*=}")
	case "$p" in
	busybox-static|linux-perf) dpkg -x "$f" "$pkgroot" ;;
	*) dpkg-deb --fsys-tarfile "$f" |
		tar -x -C "$pkgroot" --wildcards '*.so*' 2>/dev/null || true ;;
	esac
done

# Skeleton.
for d in bin sbin usr/bin usr/sbin usr/local/bin lib/x86_64-linux-gnu lib64 \
	etc proc sys dev tmp run root var/log mnt; do
	mkdir -p "$root/$d"
done
ln -s ../lib "$root/usr/lib"
chmod 1777 "$root/tmp"

# busybox and its applets (symlinks to /bin/busybox).
cp "$pkgroot/bin/busybox" "$root/bin/busybox"
"$root/bin/busybox" --list-full | while read -r a; do
	[ -e "$root/$a" ] || [ -L "$root/$a" ] || ln -s /bin/busybox "$root/$a"
done

# perf and the shared objects it needs, resolved by the staged loader
# against the staged libraries only (so host libraries never leak in).
libdirs=$pkgroot/lib/x86_64-linux-gnu:$pkgroot/usr/lib/x86_64-linux-gnu
ldso=$pkgroot/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
cp "$pkgroot/usr/bin/perf" "$root/usr/bin/perf"
list=$("$ldso" --inhibit-cache --library-path "$libdirs" --list \
	"$pkgroot/usr/bin/perf")
if echo "$list" | grep -q 'not found'; then
	echo "$list" | grep 'not found' >&2
	echo "perfvisor: perf has unresolved libraries" >&2
	exit 1
fi
echo "$list" | sed -n 's/.*=> \(\/[^ ]*\) (.*/\1/p' | while read -r lib; do
	cp -L "$lib" "$root/lib/x86_64-linux-gnu/"
done
# The ELF interpreter path (PT_INTERP) is /lib64/ld-linux-x86-64.so.2.
[ -e "$root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" ] ||
	cp -L "$ldso" "$root/lib/x86_64-linux-gnu/"
ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root/lib64/"
nlibs=$(echo "$list" | grep -c '=> /')

# Our static test programs.
for src in "$top"/tools/guest/progs/*.c; do
	[ -f "$src" ] || continue
	prog=$(basename "$src" .c)
	gcc -static -O2 -Wall -Wextra -o "$root/usr/local/bin/$prog" "$src"
	strip "$root/usr/local/bin/$prog"
done

# Init, config files, extra files.
cp "$init" "$root/init"
chmod 0755 "$root/init"
echo guest >"$root/etc/hostname"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
cat >"$root/etc/profile" <<'EOF'
export PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
export HOME=/root TERM=${TERM:-vt100}
PS1='\h:\w# '
EOF
printf '%s\n' "$adds" | while IFS= read -r a; do
	[ -n "$a" ] || continue
	dst=$root${a#*:}
	mkdir -p "$(dirname "$dst")"
	cp -a "${a%%:*}" "$dst"
done

# Reproducible archive: sorted names, mtime 0, root-owned.
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc --reproducible -R 0:0) >"$stage/initramfs.cpio"
raw=$(stat -c %s "$stage/initramfs.cpio")
gzip -n -9 <"$stage/initramfs.cpio" >"$out.tmp"
mv "$out.tmp" "$out"
echo "$stamp" >"$out.stamp"
rm -rf "$stage"

versions_set "$vers" busybox_static "$bb_ver"
versions_set "$vers" linux_perf "$perf_ver"
echo "$pkgvers" | tr ' ' '\n' >"$gdir/initramfs.packages"
echo "perfvisor: $(basename "$out"): $(stat -c %s "$out") bytes" \
	"(cpio $raw bytes; perf + $nlibs libraries)" >&2
