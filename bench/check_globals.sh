#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The bench keeps its state in a struct passed down, not in globals: fails
# when a writable data symbol (nm D, B or C) defined in one bench object is
# used by another. Read-only tables are fine even where relocations put them
# in .data.rel.ro (nm says D there too), so the section decides.
# Usage: bench/check_globals.sh [BUILD_DIR]

topdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-${PMEM_BUILD:-$topdir/build}}
mkdir -p "$build" && build=$(cd "$build" && pwd) || exit 2
# make check runs this from inside make: its job-server flags do not apply
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -s -C "$topdir/bench" BUILD="$build" objs || exit 2
objs=("$build"/bench/*.o)
[ -e "${objs[0]}" ] || { echo "no objects in $build/bench"; exit 2; }

# "NAME OBJECT" for every writable global an object defines
writable() {
	local o
	for o in "${objs[@]}"; do
		nm -f sysv --defined-only "$o" | awk -F'|' -v o="${o##*/}" '
			{ for (i = 1; i <= NF; i++) gsub(/^ +| +$/, "", $i) }
			$3 ~ /^[DBC]$/ && $7 !~ /^\.data\.rel\.ro/ { print $1, o }'
	done
}

bad=0
while read -r sym def; do
	for o in "${objs[@]}"; do
		[ "${o##*/}" = "$def" ] && continue
		if nm -u "$o" | awk '{print $NF}' | grep -qx -- "$sym"; then
			echo "shared global: $sym defined in $def, used by ${o##*/}"
			bad=1
		fi
	done
done < <(writable)
exit $bad
