#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs chrooted in a minimal Debian 12 root (debootstrap minbase plus
# build-essential, nothing else), on a copy of the source tree as a clean
# clone has it, in /run/pmem-deb/src. Prints PASS:/FAIL: lines and a
# closing count, in this order, each step on the state the one before left:
#   1. `make` with no valgrind.h: builds, says so, runs the demo
#   2. a planted hidden build dependency makes that `make` fail
#   3. a debian/control without valgrind in Build-Depends: the package
#      build fails instead of leaving the client requests out
#   4. `make check` (api suite only): its first step installs the build
#      dependencies, then the build has the client requests
#   5. the packages built after installing only the Build-Depends
#      (apt-get build-dep, as Debian's build machines do) carry them
set -u
export LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive
payload=/run/pmem-deb
work=/root/fresh
log=$payload/logs
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() {
	local name=$1 t0=$SECONDS
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
	echo "  ($((SECONDS - t0)) s)"
}
# the package builds use both cores, as Debian's builders do
export DEB_BUILD_OPTIONS="parallel=$(nproc)"

# copy NAME: a fresh copy of the source tree at $work/NAME
copy() {
	rm -rf "${work:?}/$1" && mkdir -p "$work/$1" &&
		cp -a "$payload/src/." "$work/$1/"
}

# client request sites in a library: Valgrind's magic preamble ends in an
# exchange of a register with itself (xchg %rbx,%rbx on x86_64, orr
# x10,x10,x10 on aarch64), which nothing else in the library does
request_sites() {
	objdump -d "$1" | grep -cE 'xchg +%rbx,%rbx|orr +x10, x10, x10'
}

step_make() {
	copy clean || return 1
	(cd "$work/clean" && make) >"$log/1-make.log" 2>&1 ||
		{ tail -n 20 "$log/1-make.log"; return 1; }
	grep -q '^note: built without Valgrind support' "$log/1-make.log" ||
		{ echo "  make did not say it built without Valgrind"; return 1; }
	grep -q '^libpmem demo: .*: ok$' "$log/1-make.log" ||
		{ echo "  the demo did not run"; return 1; }
	"$work/clean/build/nondebug/libpmem.so.1" |
		grep -q 'valgrind: client requests not compiled in' ||
		{ echo "  ./libpmem.so.1 does not say so"; return 1; }
}

# a header no package of build-essential has: the build must not pass
step_hidden_dependency() {
	copy planted || return 1
	sed -i '0,/^#include/s//#include <zlib.h>\n&/' "$work/planted/src/out.c"
	grep -q 'zlib.h' "$work/planted/src/out.c" || return 1
	! (cd "$work/planted" && make) >"$log/2-planted.log" 2>&1
}

# build-dep PATH: installs the Build-Depends of PATH/debian/control; a
# root whose package lists went stale is updated once
build_dep() {
	(cd "$1" && apt-get build-dep -y -q ./) >>"$log/apt.log" 2>&1 ||
		{ apt-get update -q >>"$log/apt.log" 2>&1 &&
		(cd "$1" && apt-get build-dep -y -q ./) >>"$log/apt.log" 2>&1; }
}

step_package_without_valgrind() {
	copy pkg-planted || return 1
	sed -i 's/, valgrind \[[^]]*\]//' "$work/pkg-planted/debian/control"
	! grep -q 'valgrind \[' "$work/pkg-planted/debian/control" || return 1
	build_dep "$work/pkg-planted" || { echo "  apt-get build-dep failed"; return 1; }
	dpkg -s valgrind >/dev/null 2>&1 &&
		{ echo "  valgrind was installed anyway"; return 1; }
	if (cd "$work/pkg-planted" && dpkg-buildpackage -b -us -uc) \
	    >"$log/3-pkg-planted.log" 2>&1; then
		echo "  the package built without valgrind.h"
		return 1
	fi
	grep -q 'VALGRIND=yes but' "$log/3-pkg-planted.log" ||
		{ tail -n 5 "$log/3-pkg-planted.log"; return 1; }
}

step_make_check() {
	(cd "$work/clean" && make check SUITES=api) >"$log/4-check.log" 2>&1 ||
		{ tail -n 20 "$log/4-check.log"; return 1; }
	grep -q '^installing build dependencies: .*valgrind' "$log/4-check.log" ||
		{ echo "  no build dependency installed first"; return 1; }
	grep -qE '^[0-9]+ passed, 0 failed' "$log/4-check.log" || return 1
	local n
	n=$(request_sites "$work/clean/build/nondebug/libpmem.so.1.0.0")
	[ "$n" -gt 0 ] || { echo "  no client request in the rebuilt library"; return 1; }
	echo "  rebuilt with $n client request sites"
}

step_package() {
	copy pkg || return 1
	build_dep "$work/pkg" || { echo "  apt-get build-dep failed"; return 1; }
	(cd "$work/pkg" && dpkg-buildpackage -b -us -uc) >"$log/5-pkg.log" 2>&1 ||
		{ tail -n 20 "$log/5-pkg.log"; return 1; }
	local deb x=$work/x n
	deb=$(ls "$work"/libpmem1_*.deb) || return 1
	dpkg-deb -x "$deb" "$x" || return 1
	n=$(request_sites "$(find "$x" -name 'libpmem.so.1.0.0')")
	[ "$n" -gt 0 ] || { echo "  no client request in $deb"; return 1; }
	echo "  $(basename "$deb"): $n client request sites"
}

mkdir -p "$work" "$log"
check "fresh root: make builds without valgrind.h, says so, runs the demo" \
	step_make
check "fresh root: a planted hidden build dependency fails make" \
	step_hidden_dependency
check "fresh root: the package build fails without valgrind in Build-Depends" \
	step_package_without_valgrind
check "fresh root: make check installs the build dependencies first (api suite)" \
	step_make_check
check "fresh root: packages built from Build-Depends alone carry the client requests" \
	step_package
echo "$passed passed, $failed failed"
