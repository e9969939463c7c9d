#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Reliability suite: sanitizers, valgrind, thread safety, fault injection,
# flush coverage, fuzzing and bad input, each a sub-suite with its own tally.
#
# Usage: run.sh [SUB-SUITE...]   (default: all of them, in this order)
#   sanitize valgrind tsan fault flush fuzz badinput
# Env: RT_FUZZ_SECONDS (default 30, per harness), RT_REFERENCE (reference
# libpmem.so.1 used by fault and badinput), RT_TSAN_OPS (default 100000).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
RT_OUT=$PMEM_BUILD/reliability
RT_MULTIARCH=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
RT_REF=${RT_REFERENCE:-/usr/lib/$RT_MULTIARCH/libpmem.so.1}
. "$here/lib.sh"

all=(sanitize valgrind tsan fault flush fuzz badinput)
subs=("$@")
[ ${#subs[@]} -eq 0 ] && subs=("${all[@]}")
for s in "${subs[@]}"; do
	case " ${all[*]} " in
	*" $s "*) ;;
	*) echo "unknown sub-suite '$s'; known: ${all[*]}"; exit 2 ;;
	esac
done

if [ ! -e "$PMEM_RELEASE_LIBDIR/libpmem.so.1" ]; then
	fail "our release library is missing: $PMEM_RELEASE_LIBDIR/libpmem.so.1"
	summary
	exit 1
fi
mkdir -p "$RT_OUT"
RT_WORK=$(mktemp -d /tmp/pmem-reliability.XXXXXX)
RT_MOUNTS=()
rt_cleanup() {
	local m
	for m in "${RT_MOUNTS[@]}"; do
		umount "$m" 2>/dev/null
	done
	rm -rf "$RT_WORK"
}
trap rt_cleanup EXIT
export RT_TMPDIR=$RT_WORK/tmp
mkdir -p "$RT_TMPDIR"

for s in "${subs[@]}"; do
	. "$here/$s.sh"
	rt_sub_begin "$s"
	"sub_$s"
	rt_sub_end "$s"
done
summary
