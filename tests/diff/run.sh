#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Differential suite: runs the same calls through the reference libpmem and
# ours, both dlmopen()ed into one process, and compares what callers can see.
#
# Env: PMEM_DIFF_REFERENCE (reference library), PMEM_DIFF_REFERENCE_DEBUG
# (its debug build, for the setuid test), PMEM_DIFF_SEED (mem* seed),
# PMEM_DIFF_VERBOSE=1 (print every map_file/misc observation),
# PMEM_DIFF_SELFTEST=0 (skip the check that planted bugs are caught).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
ref=${PMEM_DIFF_REFERENCE:-/usr/lib/x86_64-linux-gnu/libpmem.so.1.0.0}
rel=$PMEM_RELEASE_LIBDIR/libpmem.so.1
dbg=$PMEM_DEBUG_LIBDIR/libpmem.so.1
out=$PMEM_BUILD/diff

if [ ! -e "$ref" ]; then
	skip "diff: no reference libpmem at $ref" \
		"(Debian: apt-get install libpmem1)"
	summary
	exit 77
fi
refver=$(dpkg-query -W -f='${Version}' "libpmem1:$(dpkg --print-architecture)" 2>/dev/null || echo unknown)
echo "reference: $ref (libpmem1 $refver)"
case $refver in
1.12.1*|unknown) ;;
*) echo "note: the expected reference is libpmem 1.12.1" ;;
esac

mkdir -p "$out"
build() {
	"$CC" -std=gnu11 -O2 -g -Wall -Wextra -Werror -I"$PMEM_INCLUDEDIR" \
		-o "$out/$1" "$here/$1.c" "$here/difflib.c" -ldl
}
built=1
for prog in diff_map diff_mem; do
	if ! build $prog; then
		fail "diff: building $prog"
		built=0
	fi
done
# the registry probe runs as its own process per library, under a shim
if ! "$CC" -O2 -Wall -Wextra -Werror -shared -fPIC -o "$out/mapsync_shim.so" \
	"$here/mapsync_shim.c" -ldl ||
   ! "$CC" -std=gnu11 -O2 -Wall -Wextra -Werror -I"$PMEM_INCLUDEDIR" \
	-o "$out/registry_probe" "$here/registry_probe.c" \
	-L"$PMEM_RELEASE_LIBDIR" -lpmem; then
	fail "diff: building registry_probe"
	built=0
fi
if [ $built -eq 0 ]; then
	summary
	exit 1
fi

work=$(mktemp -d /tmp/pmem-diff-run.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PMEM_DIFF_TMPDIR=$work
echo "temp files on $(stat -f -c %T "$work") ($work)"

map=$out/diff_map
mem=$out/diff_mem
# Every case runs in fresh children, so PMEM_IS_PMEM_FORCE (read on first
# use) can be varied per run; those runs sample a quarter of the cases.
if [ -e "$rel" ]; then
	check "map_file (release)" "$map" map "$ref" "$rel"
	check "misc API (release)" "$map" misc "$ref" "$rel"
	for f in 1 0; do
		check "map_file, PMEM_IS_PMEM_FORCE=$f (release, 1/4)" \
			env PMEM_IS_PMEM_FORCE=$f "$map" map "$ref" "$rel" 4 $f
		check "misc API, PMEM_IS_PMEM_FORCE=$f (release)" \
			env PMEM_IS_PMEM_FORCE=$f "$map" misc "$ref" "$rel"
	done
	check "mem* (release)" "$mem" "$ref" "$rel" ours-release
else
	fail "diff: our release library is missing: $rel"
fi
# pmem_unmap with odd lengths and failing arguments, on mappings that
# register through a simulated MAP_SYNC: the registry answers as the
# reference does, and neither says 1 for memory the kernel unmapped
registry() {
	local libdir=$1 tag=$2 rc
	env LD_PRELOAD="$out/mapsync_shim.so" LD_LIBRARY_PATH="$libdir" \
		"$out/registry_probe" "$work/registry-$tag" > "$work/reg-$tag.out"
	rc=$?
	rm -f "$work/registry-$tag"
	return $rc
}
regcheck() {
	local ourdir=$1 rc=0
	registry "$(dirname "$ref")" ref || { echo "reference:"; cat "$work/reg-ref.out"; rc=1; }
	registry "$ourdir" ours || { echo "ours:"; cat "$work/reg-ours.out"; rc=1; }
	diff -u "$work/reg-ref.out" "$work/reg-ours.out" || rc=1
	return $rc
}
check "registry after partial and failed pmem_unmap (release)" \
	regcheck "$PMEM_RELEASE_LIBDIR"
check "registry after partial and failed pmem_unmap (debug)" \
	regcheck "$PMEM_DEBUG_LIBDIR"

if [ -e "$dbg" ]; then
	check "map_file (debug, 1/8)" "$map" map "$ref" "$dbg" 8 5
	check "misc API (debug)" "$map" misc "$ref" "$dbg"
	check "mem* (debug)" "$mem" "$ref" "$dbg" ours-debug
else
	fail "diff: our debug library is missing: $dbg"
fi

# Setuid and setgid programs run by another user: the PMEM_* variables are
# ignored (AT_SECURE), by ours as by the reference (Debian's libpmem1-debug
# for the debug build)
refdbg=${PMEM_DIFF_REFERENCE_DEBUG:-$(dirname "$ref")/pmdk_dbg/libpmem.so.1.0.0}
check "setuid/setgid programs: PMEM_* ignored, as by the reference (release)" \
	bash "$here/setuid.sh" "$ref" "$rel" release
if [ -e "$refdbg" ]; then
	check "setuid/setgid programs: PMEM_* ignored, as by the reference (debug)" \
		bash "$here/setuid.sh" "$refdbg" "$dbg" debug
else
	skip "setuid/setgid programs (debug): no reference debug library at" \
		"$refdbg (Debian: apt-get install libpmem1-debug)"
fi

if [ "${PMEM_DIFF_SELFTEST:-1}" = 1 ]; then
	bash "$here/selftest.sh" "$out" "$ref"
	rc=$?
	[ $rc -eq 0 ] && pass "self-test: planted bugs are caught" ||
		fail "self-test: planted bugs are caught (exit $rc)"
	if [ -e "$refdbg" ]; then
		check "self-test: a library reading PMEM_* with getenv fails the setuid/setgid test" \
			bash "$here/setuid_selftest.sh" "$out" "$ref" "$refdbg"
	else
		skip "setuid/setgid self-test: no reference debug library at $refdbg"
	fi
fi
summary
