#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Self-test of setuid.sh: a copy of our library whose one environment
# reader (src/env.h) calls plain getenv must fail it, in the release and
# the debug build. Usage: setuid_selftest.sh BUILD_DIR REF_LIB REF_DEBUG_LIB
# The copy is kept in BUILD_DIR/getenv-mutant so a rerun rebuilds only
# what changed.
set -u
out=$1 ref=$2 refdbg=$3
here=$(cd "$(dirname "$0")" && pwd)
: "${PMEM_TOPDIR:=$(cd "$here/../.." && pwd)}"
tree=$out/getenv-mutant

rm -rf "$tree/src" "$tree/include"
mkdir -p "$tree"
cp -a "$PMEM_TOPDIR/src" "$PMEM_TOPDIR/include" "$PMEM_TOPDIR/Makefile" \
	"$tree/" || exit 2
env_h=$tree/src/env.h
# both readers, secure_getenv's and the AT_SECURE fallback's
sed -e 's/return secure_getenv(name);/return getenv(name);/' \
	-e 's/return env_ignored() ? NULL : getenv(name);/return getenv(name);/' \
	"$PMEM_TOPDIR/src/env.h" >"$env_h"
if cmp -s "$PMEM_TOPDIR/src/env.h" "$env_h"; then
	echo "the plant changed nothing in src/env.h"
	exit 2
fi
# same mtime as the original: a rerun rebuilds only what changed since
touch -r "$PMEM_TOPDIR/src/env.h" "$env_h"
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$tree" -j2 \
		BUILD=build build/nondebug/libpmem.so.1.0.0 \
		build/debug/libpmem.so.1.0.0 >"$tree.log" 2>&1; then
	tail -n 20 "$tree.log"
	exit 2
fi

bad=0
# expect KIND REF MUTANT PATTERN...: setuid.sh must fail (exit 1), and
# among its complaints must be one matching each PATTERN
expect() {
	local kind=$1 ref=$2 mut=$3 log=$tree/setuid-$1.log rc p
	shift 3
	bash "$here/setuid.sh" "$ref" "$mut" "$kind" >"$log" 2>&1
	rc=$?
	if [ $rc -eq 77 ]; then
		echo "setuid.sh skipped: $(tail -n 1 "$log")"
		exit 77
	fi
	if [ $rc -ne 1 ]; then
		echo "NOT CAUGHT ($kind): setuid.sh exited $rc"
		tail -n 5 "$log"
		bad=1
		return
	fi
	echo "caught ($kind): $(grep -c "^setuid ($kind):" "$log") complaints"
	for p in "$@"; do
		if grep -q -e "$p" "$log"; then
			echo "  e.g. $(grep -m 1 -e "$p" "$log")"
		else
			echo "  NOT CAUGHT ($kind): nothing matches '$p' in $log"
			bad=1
		fi
	done
}
mutant=$tree/build
expect release "$ref" "$mutant/nondebug/libpmem.so.1" \
	'suid run by uid 65534, PMEM_IS_PMEM_FORCE=1: differs' \
	'sgid run by uid 65534, PMEM_MMAP_HINT=.*: differs' \
	'suid, PMEM_IS_PMEM_FORCE=1: ours differs from the reference' \
	'libpmem.so.1 suid run by uid 65534 chooses otherwise'
expect debug "$refdbg" "$mutant/debug/libpmem.so.1" \
	'suid run by uid 65534, PMEM_LOG_FILE=LOG: differs' \
	'log file left on disk' \
	'sgid, PMEM_LOG_LEVEL=4: ours differs from the reference'
exit $bad
