#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Smoke run of the benchmark (about 30 s): builds pmembench, times ours
# against the reference, then the choices and reference-settings passes.
# Usage: bench/run-quick.sh [BUILD_DIR] [pmembench options]

set -e
topdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-${PMEM_BUILD:-$topdir/build}}
[ $# -gt 0 ] && shift
build=$(cd "$build" && pwd)
ours=${PMEM_RELEASE_LIBDIR:-$build/nondebug}/libpmem.so.1

if [ ! -e "$ours" ]; then
	echo "run-quick.sh: $ours is missing; run 'make all' first" >&2
	exit 2
fi
make -s -C "$topdir/bench" BUILD="$build" all
exec "$build/bench/pmembench" --quick --ours "$ours" \
	--out "$build/bench/results-quick.md" "$@"
