#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs the named test suites (tests/<name>/run.sh), each with the paths of the
# freshly built libraries, and adds up their closing "N passed, M failed" lines.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${PMEM_BUILD:=$top/build}"
export PMEM_TOPDIR=$top
export PMEM_RELEASE_LIBDIR=$PMEM_BUILD/nondebug
export PMEM_DEBUG_LIBDIR=$PMEM_BUILD/debug
export PMEM_INCLUDEDIR=$top/include
export PMEM_BUILD

# The reference library is the oracle of several suites (abi, diff, api,
# clients, dax): install it, and the unit-test framework, before any runs.
. "$top/tests/lib/common.sh"
need_pkgs libpmem1 libpmem-dev libpmem1-debug libcmocka-dev pkg-config ||
	echo "SKIP: could not install the reference libpmem; suites comparing with it will skip"

passed=0 failed=0 skipped=0 bad_suites=()
for arg in "$@"; do
	# suite:part runs one part of a suite (its run.sh takes the part name)
	suite=${arg%%:*} part=
	[ "$arg" != "$suite" ] && part=${arg#*:}
	script=$top/tests/$suite/run.sh
	echo "=== suite $suite ==="
	if [ ! -f "$script" ]; then
		echo "SKIP: suite $suite has no tests/$suite/run.sh"
		skipped=$((skipped + 1))
		continue
	fi
	log=$(mktemp)
	start=$SECONDS
	bash "$script" $part 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	rm -f "$log"
	read -r p f s < <(echo "$line" |
		sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?.*/\2 \3 \5/')
	p=${p:-0} f=${f:-0} s=${s:-0}
	if [ "$rc" -eq 77 ]; then
		s=$((s + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1   # a suite that died without counting its failure
	fi
	[ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && bad_suites+=("$suite")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	echo "=== suite $suite: $p passed, $f failed, $s skipped ($((SECONDS - start)) s) ==="
done
[ ${#bad_suites[@]} -gt 0 ] && echo "failing suites: ${bad_suites[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#bad_suites[@]} -eq 0 ]
