#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Suite "musl": `make CC=musl-gcc` (Debian's musl-tools) builds the release
# and debug libraries with -Werror and runs the demo against them; the api
# suite then runs its programs, built with musl-gcc, on that build (map,
# copy, persist, msync, errors, the debug log, ./libpmem.so.1). A planted
# GNU-only strerror_r must break the build.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

if ! need_pkgs musl-tools >/dev/null || ! command -v musl-gcc >/dev/null; then
	skip "musl: musl-tools (musl-gcc) cannot be installed here"
	summary
	exit $?
fi
M=$PMEM_BUILD/musl
tmp=$(mktemp -d /tmp/pmem-musl.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

build() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$PMEM_TOPDIR" \
		CC=musl-gcc BUILD="$M" >"$tmp/make.log" 2>&1 ||
		{ tail -n 20 "$tmp/make.log"; return 1; }
	grep -q '^libpmem demo: .*: ok$' "$tmp/make.log" ||
		{ echo "  the demo did not run"; return 1; }
}
check "musl: make CC=musl-gcc builds (-Werror) and runs the demo" build

# really musl's: its loader runs the library, its libc is the one needed
linked_to_musl() {
	local b
	for b in nondebug debug; do
		readelf -d "$M/$b/libpmem.so.1" | grep -q 'NEEDED.*\[libc\.so\]' &&
		readelf -p .interp "$M/$b/libpmem.so.1" | grep -q 'ld-musl' ||
			{ echo "  $b: not linked to musl"; return 1; }
	done
}
check "musl: both libraries need musl's libc and name its loader" linked_to_musl

# the api suite as it is, with programs musl-gcc builds; Debian's
# reference is a glibc library these programs cannot load
api() {
	CC=musl-gcc PMEM_API_REF=none PMEM_BUILD=$M \
		PMEM_RELEASE_LIBDIR=$M/nondebug PMEM_DEBUG_LIBDIR=$M/debug \
		relay "musl: " bash "$PMEM_TOPDIR/tests/api/run.sh" ||
		fail "musl: the api suite ended early (no closing count)"
}
if [ -e "$M/nondebug/libpmem.so.1" ]; then
	api
fi

# glibc's GNU strerror_r returns char *, musl's XSI one int: out.c built
# with the GNU use alone must fail under musl, or this suite proves nothing
plant_gnu_strerror() {
	sed 's/errno_text(errnum, ebuf, sizeof(ebuf))/strerror_r(errnum, ebuf, sizeof(ebuf))/' \
		"$PMEM_TOPDIR/src/out.c" >"$tmp/out.c"
	grep -q 'etext = strerror_r' "$tmp/out.c" ||
		{ echo "  out.c no longer has the line to plant in"; return 1; }
	if musl-gcc -std=gnu11 -Wall -Wextra -Werror -I"$PMEM_TOPDIR/include" \
	    -I"$PMEM_TOPDIR/src" -I"$PMEM_TOPDIR/src/$(uname -m)" \
	    -DSRCVERSION='"x"' -c "$tmp/out.c" -o "$tmp/out.o" \
	    >"$tmp/plant.log" 2>&1; then
		echo "  the GNU-only strerror_r built under musl"
		return 1
	fi
}
check "musl: self-test: a GNU-only strerror_r fails the musl build" \
	plant_gnu_strerror

summary
