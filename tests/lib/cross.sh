# SPDX-License-Identifier: BSD-3-Clause
# Shell helpers of the cross-arch suites (tests/aarch64, tests/ppc64le,
# tests/riscv64): exports against tests/abi/symbols.txt, environment
# wrappers, one result line per test run in a lane, and their report.
# Sourcing it sources common.sh too; W is the suite's work directory.

. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# names and versions of the defined dynamic symbols: exported LIB PREFIX
exported() {
	"${2}nm" -D --defined-only --with-symbol-versions "$1" |
		awk '$NF ~ /^pmem_/ { print $NF }' | sort
}

CROSS_SYMBOLS=$PMEM_TOPDIR/tests/abi/symbols.txt

# check_exports LIBDIR CROSS: the release and debug libraries under
# LIBDIR export the ABI suite's list (the 23 of 1.12.1 and the 3 logging
# functions of PMDK 2.1, all LIBPMEM_1.0)
check_exports() {
	local lib b
	for b in nondebug debug; do
		lib=$1/$b/libpmem.so.1.0.0
		exported "$lib" "$2" | diff -u "$CROSS_SYMBOLS" - || return 1
	done
}

# the list itself: a reference's 23 plus the three pmem_log_ ones
list_matches_reference() {
	local ref=$1 prefix=${2:-}
	{ exported "$ref" "$prefix"; grep '^pmem_log_' "$CROSS_SYMBOLS"; } |
		sort | diff -u "$CROSS_SYMBOLS" -
}

# with_env "VAR=VALUE ..." CMD...: CMD (a shell function too) with them
with_env() {
	local envs=$1
	shift
	# a bare export would print the whole environment
	# shellcheck disable=SC2086,SC2163 # a list of assignments
	(if [ -n "$envs" ]; then export $envs; fi; "$@")
}

# t NAME CMD...: CMD's output to its own log; one result line for later
t() {
	local name=$1 log rc
	shift
	log=$W/logs/$(printf '%s' "$name" | tr -c 'A-Za-z0-9=.,-' '_').log
	"$@" >"$log" 2>&1
	rc=$?
	printf '%s\t%s\t%s\n' "$rc" "$name" "$log"
}

# report_results FILE: PASS/FAIL/SKIP for each line t wrote
report_results() {
	local rc name log
	while IFS=$'\t' read -r rc name log; do
		case $rc in
		0) pass "$name" ;;
		77) skip "$name${log:+: $(grep -m1 '^SKIP' "$log" 2>/dev/null)}" ;;
		*)
			fail "$name (exit $rc, log $log)"
			tail -n 20 "$log" | sed 's/^/    /'
			;;
		esac
	done <"$1"
}

# mutate SRCDIR DEST FILE OLD NEW: a copy of SRCDIR in DEST with the one
# occurrence of OLD in FILE replaced by NEW (2 when OLD is not unique).
# A FILE from SRCDIR's parent (a header the arches share) is copied in
# too: the arch's own #include "FILE" then finds the mutated one first.
mutate() {
	local src=$1 dest=$2 file=$3 old=$4 new=$5
	rm -rf "$dest" && mkdir -p "$dest" && cp "$src"/*.[ch] "$dest"/ ||
		return 2
	[ -f "$dest/$file" ] || cp "$src/../$file" "$dest/" || return 2
	perl -0777 -i -pe 'BEGIN { $o = shift; $n = shift }
		my $c = () = /\Q$o\E/g;
		die "pattern found $c times\n" unless $c == 1;
		s/\Q$o\E/$n/;' "$old" "$new" "$dest/$file" || return 2
}
