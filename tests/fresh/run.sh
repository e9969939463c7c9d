#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Suite "fresh": the newcomer's path. First the build's own probe for
# valgrind.h (it must be able to say no); then, in a minimal Debian 12
# root (debootstrap --variant=minbase bookworm plus build-essential, made
# once and cached), the README's commands on a clean copy of this tree and
# a package build from debian/control's Build-Depends alone (inroot.sh).
# The root is used through an overlay in a private mount namespace
# (tests/deb/root.sh), so every run starts from the same minimal state.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

tmp=$(mktemp -d /tmp/pmem-fresh.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

# ---- the valgrind.h probe ----------------------------------------------------

# probe MK HEADERS: what the probe of makefile MK answers for HEADERS
probe() {
	printf 'include %s\nall:\n\t@echo $(VALGRIND_HEADERS)\n' "$1" |
		env -u MAKEFLAGS make -s -f - VALGRIND_PROBE_HEADERS="$2"
}

# probe_can_fail MK: MK's probe says yes for a header that exists and no
# for one that does not, alone or beside one that does
probe_can_fail() {
	local got
	got=$(probe "$1" stdio.h)
	[ "$got" = y ] || { echo "  stdio.h: '$got', expected y"; return 1; }
	for h in valgrind/no-such-header.h "stdio.h no-such-header.h"; do
		got=$(probe "$1" "$h")
		[ "$got" != y ] || { echo "  $h: y, expected no"; return 1; }
	done
}

check "valgrind.h probe: yes for a header that exists, no for a missing one" \
	probe_can_fail "$PMEM_TOPDIR/src/valgrind.mk"
# the probe this tree had before: `\#include` in $(shell), which make 4.3
# passes on with its backslash; the same check must catch it
cat >"$tmp/old-probe.mk" <<'EOF'
VALGRIND_HEADERS := $(shell printf '%s\n' '\#include <$(VALGRIND_PROBE_HEADERS)>' | \
	$(CC) -E -x c -o /dev/null - 2>/dev/null && echo y)
EOF
if probe_can_fail "$tmp/old-probe.mk" >/dev/null; then
	fail "valgrind.h probe: self-test: the old probe (\\#include in \$(shell)) passes"
else
	pass "valgrind.h probe: self-test: the old probe (\\#include in \$(shell)) is caught"
fi

# ---- the minimal root ----------------------------------------------------------

if [ "$(id -u)" -ne 0 ]; then
	skip "fresh root: needs root (debootstrap, mount namespace, chroot)"
	summary
	exit $?
fi
if ! need_pkgs debootstrap; then
	skip "fresh root: debootstrap not installable"
	summary
	exit $?
fi

# The cached root: rebuilt when its recipe changes or it is a week old
# (the archive moves on, and the newcomer gets today's packages).
SUITE=bookworm
INCLUDE=build-essential
MIRROR=${PMEM_FRESH_MIRROR:-http://deb.debian.org/debian}
CACHE=${PMEM_FRESH_CACHE:-/var/cache/pmem-fresh}
ROOT=$CACHE/$SUITE-minbase-$(printf '%s' "$SUITE $INCLUDE $MIRROR" |
	md5sum | cut -c1-8)

root_fresh() {
	[ -f "$ROOT/.complete" ] &&
		[ -z "$(find "$ROOT/.complete" -mtime +7)" ]
}

make_root() {
	local new=$ROOT.new t0=$SECONDS
	rm -rf "$new" "$ROOT" && mkdir -p "$CACHE" || return 1
	debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$new" \
		"$MIRROR" >"$tmp/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$tmp/debootstrap.log"; return 1; }
	chroot "$new" apt-get clean &&
		touch "$new/.complete" && mv "$new" "$ROOT" || return 1
	echo "  made $ROOT in $((SECONDS - t0)) s"
}

if ! root_fresh; then
	check "fresh root: debootstrap --variant=minbase $SUITE + $INCLUDE" make_root
fi
if ! root_fresh; then
	skip "fresh root: no minimal root (see above)"
	summary
	exit $?
fi

# the tree as a clean clone of it has it: tracked files and new ones git
# does not ignore, never a build directory
payload=$tmp/payload
mkdir -p "$payload/src" "$payload/logs" "$tmp/ns"
if git -C "$PMEM_TOPDIR" rev-parse --git-dir >/dev/null 2>&1; then
	# (a file deleted but not yet committed is passed over)
	(cd "$PMEM_TOPDIR" && git ls-files -z --cached --others \
		--exclude-standard | tar -c --null --ignore-failed-read \
		-T - -f - 2>/dev/null) | tar -x -C "$payload/src" ||
		{ fail "fresh root: copying the tree"; summary; exit 1; }
else
	tar -c -C "$PMEM_TOPDIR" --exclude=./build --exclude='./build-*' . |
		tar -x -C "$payload/src"
fi
cp "$here/inroot.sh" "$payload/"

t0=$SECONDS
ROOT_LOWER=$ROOT ROOT_APT_CACHE=$CACHE/archives relay "" \
	timeout -k 10 1200 unshare --mount --propagation private \
	bash "$here/../deb/root.sh" "$tmp/ns" "$payload" \
	bash /run/pmem-deb/inroot.sh ||
	fail "fresh root: ended early (no closing count)"
echo "fresh root: $((SECONDS - t0)) s; logs in $PMEM_BUILD/fresh"
rm -rf "$PMEM_BUILD/fresh" && mkdir -p "$PMEM_BUILD/fresh" &&
	cp -r "$payload/logs/." "$PMEM_BUILD/fresh/"
summary
