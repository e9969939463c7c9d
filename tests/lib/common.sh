# SPDX-License-Identifier: BSD-3-Clause
# Shared shell helpers for the test suites: counters, SKIP lines, package
# installation. Source it from a suite's run.sh; call `summary` last.
#
# Environment set by `make check` (defaults let a suite run by hand too):
#   PMEM_TOPDIR          repository root
#   PMEM_RELEASE_LIBDIR  directory holding our release libpmem.so.1
#   PMEM_DEBUG_LIBDIR    directory holding our debug libpmem.so.1
#   PMEM_INCLUDEDIR      directory holding our libpmem.h

: "${PMEM_TOPDIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${PMEM_BUILD:=$PMEM_TOPDIR/build}"
: "${PMEM_RELEASE_LIBDIR:=$PMEM_BUILD/nondebug}"
: "${PMEM_DEBUG_LIBDIR:=$PMEM_BUILD/debug}"
: "${PMEM_INCLUDEDIR:=$PMEM_TOPDIR/include}"
: "${CC:=cc}"
export PMEM_TOPDIR PMEM_BUILD PMEM_RELEASE_LIBDIR PMEM_DEBUG_LIBDIR PMEM_INCLUDEDIR CC

T_PASSED=0
T_FAILED=0
T_SKIPPED=0

pass() { T_PASSED=$((T_PASSED + 1)); echo "PASS: $*"; }
fail() { T_FAILED=$((T_FAILED + 1)); echo "FAIL: $*"; }
skip() { T_SKIPPED=$((T_SKIPPED + 1)); echo "SKIP: $*"; }

# check NAME CMD...: runs CMD, counts it as passed when it exits 0,
# skipped when it exits 77 and failed otherwise.
check() {
	local name=$1 rc
	shift
	"$@"
	rc=$?
	case $rc in
	0) pass "$name" ;;
	77) skip "$name" ;;
	*) fail "$name (exit $rc)" ;;
	esac
	return 0
}

# need_pkgs PKG...: installs the Debian packages that are missing. Returns 0
# when all are present afterwards; prints the command to run otherwise.
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages; run as root: apt-get install -y ${missing[*]}"
		return 1
	fi
	echo "installing: ${missing[*]}"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    -o DPkg::Lock::Timeout=300 \
	    --no-install-recommends "${missing[@]}" >/tmp/pmem-apt.log 2>&1; then
		apt-get update -q -o DPkg::Lock::Timeout=300 >/dev/null 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    -o DPkg::Lock::Timeout=300 \
		    --no-install-recommends "${missing[@]}" >/tmp/pmem-apt.log 2>&1 ||
			{ echo "apt-get failed, see /tmp/pmem-apt.log"; return 1; }
	fi
	return 0
}

# need_foreign_arch ARCH: lets dpkg install ARCH's packages (as root);
# 1 when it cannot
need_foreign_arch() {
	dpkg --print-foreign-architectures | grep -qx "$1" && return 0
	[ "$(id -u)" -eq 0 ] || return 1
	dpkg --add-architecture "$1" &&
		apt-get update -q -o DPkg::Lock::Timeout=300 >/dev/null 2>&1
}

# cross_toolchain PREFIX PKG...: PREFIXgcc and its C library, installed
# from PKG... when missing. 0 when it links a C program; otherwise prints
# what is missing and returns 1, so that the caller skips: a compiler
# without its libc-dev (half-installed) is a SKIP, never a failure.
cross_toolchain() {
	local prefix=$1
	shift
	need_pkgs "$@" >/dev/null
	if ! command -v "${prefix}gcc" >/dev/null; then
		echo "no ${prefix}gcc (packages $*)"
		return 1
	fi
	printf '#include <stdlib.h>\nint main(void) { return 0; }\n' |
		"${prefix}gcc" -x c -o /dev/null - >/dev/null 2>&1 && return 0
	echo "${prefix}gcc links no C program: its C library is missing" \
		"(packages $*)"
	return 1
}

# clang_lib ARCH TARGET DIR: the release and debug libraries of ARCH built
# with clang (--target=TARGET unless empty) into DIR, -Werror as with gcc;
# its output goes to DIR.log, the end of which is shown on failure
clang_lib() {
	local arch=$1 target=$2 dir=$3
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$PMEM_TOPDIR" -j2 \
		ARCH="$arch" CC="clang${target:+ --target=$target}" \
		BUILD="$dir" "$dir/nondebug/libpmem.so.1.0.0" \
		"$dir/debug/libpmem.so.1.0.0" >"$dir.log" 2>&1 ||
		{ tail -n 20 "$dir.log"; return 1; }
}

# check_clang PREFIX ARCH TARGET DIR: clang_lib as a check named
# "PREFIXclang builds ...", installing clang first; a SKIP line when it
# cannot be installed
check_clang() {
	local prefix=$1 arch=$2 target=$3 dir=$4
	if need_pkgs clang >"$dir.pkgs.log"; then
		check "${prefix}clang builds the release and debug libraries (-Werror)" \
			clang_lib "$arch" "$target" "$dir"
	else
		skip "${prefix}clang: $(tail -n 1 "$dir.pkgs.log")"
	fi
}

# relay PREFIX CMD...: CMD is a runner of its own (a chroot, another
# suite) printing PASS:/FAIL:/SKIP: lines and a closing count: its lines
# count as this suite's, their names prefixed with PREFIX, and the rest of
# its output is shown. Returns 1 when CMD ended without its closing count:
# a runner that died half-way must not look like a shorter, passing run.
relay() {
	local prefix=$1 line closed=1
	shift
	while IFS= read -r line; do
		case $line in
		PASS:*) pass "$prefix${line#PASS: }" ;;
		FAIL:*) fail "$prefix${line#FAIL: }" ;;
		SKIP:*) skip "$prefix${line#SKIP: }" ;;
		*)	if [[ $line =~ ^([A-Za-z-]+:\ )?[0-9]+\ passed,\ [0-9]+\ failed ]]
			then
				closed=0
			else
				echo "$line"
			fi ;;
		esac
	done < <("$@" 2>&1)
	return $closed
}

# summary: the closing line of a suite; exit status 1 when anything failed.
summary() {
	echo "${T_PASSED} passed, ${T_FAILED} failed, ${T_SKIPPED} skipped"
	[ "$T_FAILED" -eq 0 ]
}
