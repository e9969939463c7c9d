#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Self-test of the differential suite: every bug planted by mutant.c must be
# reported by the program that checks that behaviour; the bug-free stand-in
# must not be.  Usage: selftest.sh BUILD_DIR REFERENCE_LIB
set -u
out=$1 ref=$2
here=$(cd "$(dirname "$0")" && pwd)
: "${CC:=cc}"
"$CC" -shared -fPIC -O2 -Wall -Wextra -Werror -I"${PMEM_INCLUDEDIR:?}" \
	-o "$out/libmutant.so" "$here/mutant.c" -ldl || exit 1
export PMEM_DIFF_MUTANT_REF=$ref
mut=$out/libmutant.so
log=$(mktemp)
trap 'rm -f "$log"' EXIT
bad=0

map() { "$out/diff_map" map "$ref" "$mut" 3 "$@"; }
misc() { "$out/diff_map" misc "$ref" "$mut"; }
mem() { PMEM_DIFF_MEM_CALLS=20000 "$out/diff_mem" "$ref" "$mut" mutant; }

# expect MUTANT CMD...: CMD must report a difference under MUTANT
expect() {
	local m=$1
	shift
	PMEM_DIFF_MUTANT=$m "$@" >"$log" 2>&1
	local first
	first=$(grep -m1 -A1 -E '^(DIFF|MISMATCH|CRASH)' "$log" | tr '\n' ' ')
	if [ -n "$first" ]; then
		echo "caught $m: ${first:0:200}"
	else
		echo "NOT CAUGHT: $m"
		tail -3 "$log"
		bad=1
	fi
}

# the stand-in without a bug: no differences at all
for cmd in "map 1" misc mem; do
	PMEM_DIFF_MUTANT= $cmd >"$log" 2>&1
	if grep -q -E '^(DIFF|MISMATCH|CRASH)' "$log"; then
		echo "bug-free stand-in reported differences ($cmd):"
		head -5 "$log"
		bad=1
	fi
done

expect map_errno map
expect map_touch_len map
expect map_mode map
expect map_tmpfile_visible map
expect map_no_align map
expect errormsg map
expect unmap_len0 misc
expect is_pmem_true misc
expect msync_ok misc
expect deep_drain_fail misc
expect version misc
for m in flush_corrupts memset_overrun memset_c memcpy_overlap unknown_flag \
		memmove_ret memset_nodrain_mis memmove_crash; do
	expect $m mem
done
exit $bad
