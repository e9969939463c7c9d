#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Checks that every function a libpmem.so exports has a man page here that
# resolves: either a full page whose NAME section lists the function, or a
# one-line ".so man3/PAGE.3" stub pointing at such a page. Also flags pages
# that name no exported function, so stale pages do not linger; -s skips
# that, for a library older than the pages (1.12.1 lacks the log functions).
#   checkpages.sh LIBPMEM_SO [-v] [-s]

set -u
docdir=$(cd "$(dirname "$0")/.." && pwd)
lib=${1:?usage: $0 libpmem.so [-v] [-s]}
shift
verbose= subset=
for a in "$@"; do
	case $a in
	-v) verbose=-v ;;
	-s) subset=-s ;;
	esac
done

# nm -D prints "ADDR T name@@VERSION"; only functions are API
syms=$(nm -D --defined-only "$lib" |
	awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort)
[ -n "$syms" ] || { echo "$lib: no exported functions found" >&2; exit 1; }

# Names listed in the NAME section of a full page (before the " \-").
names() {
	awk '/^\.SH / { insec = ($2 == "NAME") ; next }
		insec { print }' "$1" |
		sed 's/\\-.*//' | tr ',' '\n' | tr -d ' '
}

status=0
for s in $syms; do
	page=$docdir/$s.3
	if [ ! -f "$page" ]; then
		echo "$s: no page $s.3" >&2
		status=1
		continue
	fi
	target=$page
	first=$(head -n 1 "$page")
	case $first in
	".so man3/"*)
		if [ "$(wc -l < "$page")" -ne 1 ]; then
			echo "$s.3: a stub must be the single .so line" >&2
			status=1
			continue
		fi
		target=$docdir/${first#.so man3/}
		if [ ! -f "$target" ]; then
			echo "$s.3: points at missing ${first#.so }" >&2
			status=1
			continue
		fi
		case $(head -n 1 "$target") in
		.so*)
			echo "$s.3: points at another stub" >&2
			status=1
			continue
			;;
		esac
		;;
	esac
	if ! names "$target" | grep -qx "$s"; then
		echo "$s: not listed in NAME of $(basename "$target")" >&2
		status=1
		continue
	fi
	[ "$verbose" = -v ] && echo "$s -> $(basename "$target")"
done

for page in "$docdir"/*.3; do
	[ -n "$subset" ] && break
	name=$(basename "$page" .3)
	if ! printf '%s\n' $syms | grep -qx "$name"; then
		echo "$name.3: no such exported function" >&2
		status=1
	fi
done
[ -f "$docdir/libpmem.7" ] || { echo "libpmem.7 missing" >&2; status=1; }
exit $status
