#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# make check's first step: installs what building the library needs, the
# Build-Depends of debian/control (valgrind.h among them), before anything
# is built. As a normal user it prints the command instead. Never fails
# the run: without them the library builds all the same, and the suites
# that need more say so.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 0

if ! command -v dpkg-checkbuilddeps >/dev/null; then
	echo "build dependencies: not checked (no dpkg-checkbuilddeps:" \
		"not Debian, or no dpkg-dev)"
	exit 0
fi
if unmet=$(dpkg-checkbuilddeps 2>&1); then
	exit 0
fi
unmet=${unmet##*Unmet build dependencies: }
if [ "$(id -u)" -ne 0 ]; then
	echo "build dependencies missing ($unmet); as root:" \
		"apt-get build-dep ./ in $top"
	exit 0
fi
echo "installing build dependencies: $unmet"
install() {
	DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q \
		-o DPkg::Lock::Timeout=300 ./ >/tmp/pmem-build-deps.log 2>&1
}
# a machine whose package lists are stale or empty (a new root) needs an
# update first
install || { apt-get update -q -o DPkg::Lock::Timeout=300 >/dev/null 2>&1 &&
	install; } ||
	echo "build dependencies: apt-get build-dep failed" \
		"(/tmp/pmem-build-deps.log); building without them"
exit 0
