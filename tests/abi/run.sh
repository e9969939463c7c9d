#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# ABI and packaging: exported symbols and versions, soname, header values
# and prototypes, a reference-built program running on ours, make install
# layout with pkg-config, uninstall, and the platform-layer boundary.
. "$(dirname "$0")/../lib/common.sh"

here=$PMEM_TOPDIR/tests/abi
out=$PMEM_BUILD/abi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lib=$PMEM_RELEASE_LIBDIR/libpmem.so.1
# the host's reference (packages of other architectures may be installed)
ref=/usr/lib/$($CC -print-multiarch 2>/dev/null)/libpmem.so.1
[ -e "$ref" ] || ref=

exports() {
	nm -D --defined-only --with-symbol-versions "$1" |
		awk '$2 != "A" {print $3}' | sort
}

# the three functions PMDK 2.1 added to LIBPMEM_1.0
log21="pmem_log_get_threshold@@LIBPMEM_1.0
pmem_log_set_function@@LIBPMEM_1.0
pmem_log_set_threshold@@LIBPMEM_1.0"

for b in nondebug debug; do
	check "exports of $b build = the 26 LIBPMEM_1.0 functions" \
		diff <(exports "$PMEM_BUILD/$b/libpmem.so.1") "$here/symbols.txt"
	check "soname of $b build" bash -c \
		"readelf -d '$PMEM_BUILD/$b/libpmem.so.1' | grep -q 'Library soname: \[libpmem.so.1\]'"
done
if [ -n "$ref" ]; then
	check "exports equal the reference's plus the 3 of PMDK 2.1" \
		diff <(exports "$lib") <({ exports "$ref"; echo "$log21"; } | sort)
else
	skip "reference export comparison: libpmem1 not installed"
fi

# --- the cross-built libraries ----------------------------------------------
# each architecture's release and debug builds, made here with its cross
# compiler and C library (installed when missing; its own suite reuses the
# builds), else a SKIP line saying which half is missing
declare -A cross_prefix=([aarch64]=aarch64-linux-gnu-
	[ppc64le]=powerpc64le-linux-gnu- [riscv64]=riscv64-linux-gnu-)
declare -A cross_pkgs=(
	[aarch64]="gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
	[ppc64le]="gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross"
	[riscv64]="gcc-riscv64-linux-gnu libc6-dev-riscv64-cross")
cross_lib() {
	local arch=$1 dir=$PMEM_BUILD/$1/lib
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$PMEM_TOPDIR" -j2 \
		ARCH="$arch" CROSS_COMPILE="${cross_prefix[$arch]}" \
		BUILD="$dir" "$dir/nondebug/libpmem.so.1.0.0" \
		"$dir/debug/libpmem.so.1.0.0" >"$out/build-$arch.log" 2>&1 ||
		{ tail -n 20 "$out/build-$arch.log"; return 1; }
}
for arch in "${!cross_prefix[@]}"; do
	# shellcheck disable=SC2086 # a list of packages
	if ! why=$(cross_toolchain "${cross_prefix[$arch]}" ${cross_pkgs[$arch]})
	then
		skip "$arch exports: $why"
		continue
	fi
	if ! cross_lib "$arch"; then
		fail "$arch: cross-build for the export check"
		continue
	fi
	for b in nondebug debug; do
		l=$PMEM_BUILD/$arch/lib/$b/libpmem.so.1.0.0
		check "$arch exports of $b build = the 26 LIBPMEM_1.0 functions" \
			diff <(exports "$l") "$here/symbols.txt"
		check "$arch soname of $b build" bash -c \
			"readelf -d '$l' | grep -q 'Library soname: \[libpmem.so.1\]'"
	done
done

# the check itself, on a compiler whose C library is missing (a cross gcc
# installed without its libc6-dev-*-cross): it must be turned away with
# the reason, which the export checks above then print as a SKIP
half_installed_toolchain() {
	local bin=$tmp/half why
	mkdir -p "$bin"
	printf '#!/bin/sh
exec %s -nostdinc --sysroot=/nonexistent "$@"
' \
		"$(command -v gcc)" >"$bin/half-linux-gnu-gcc"
	chmod +x "$bin/half-linux-gnu-gcc"
	if why=$(PATH=$bin:$PATH cross_toolchain half-linux-gnu-); then
		echo "  a compiler without its C library was taken as complete"
		return 1
	fi
	[[ $why == *"C library is missing"* ]] || { echo "  $why"; return 1; }
}
check "cross toolchain check: a compiler without its C library is turned away" \
	half_installed_toolchain

# --- clang -------------------------------------------------------------------
# the host's libraries built with clang as well as gcc, -Werror in both
# (each cross suite does the same for its architecture)
check_clang "" "$(uname -m)" "" "$out/clang"

# --- header ---------------------------------------------------------------
check "header: prototypes have the reference's types" \
	$CC -Wall -Werror -I"$PMEM_INCLUDEDIR" -c "$here/prototypes.c" -o "$out/proto.o"
check "header: usable from C++" bash -c \
	"echo '#include <libpmem.h>
int main() { return pmem_has_hw_drain() * 0; }' |
	g++ -x c++ -Wall -Werror -I'$PMEM_INCLUDEDIR' - -L'$PMEM_RELEASE_LIBDIR' -lpmem -o '$out/cxx'"
if [ -f /usr/include/libpmem.h ]; then
	header_values() {
		$CC -I"$PMEM_INCLUDEDIR" "$here/macros.c" -o "$out/macros_ours" &&
		mkdir -p "$tmp/refinc" && cp /usr/include/libpmem.h "$tmp/refinc/" &&
		$CC -I"$tmp/refinc" "$here/macros.c" -o "$out/macros_ref" &&
		diff <("$out/macros_ours") <("$out/macros_ref")
	}
	check "header: every macro value equals the reference's" header_values
else
	skip "header comparison: libpmem-dev not installed"
fi

# --- a program linked against the reference runs on ours -------------------
if [ -n "$ref" ] && [ -f /usr/include/libpmem.h ]; then
	link_test() {
		$CC -I/usr/include "$here/which_lib.c" -lpmem -o "$out/which_lib" || return 1
		[ "$("$out/which_lib")" = "$(readlink -f "$ref")" ] ||
			[ "$(readlink -f "$("$out/which_lib")")" = "$(readlink -f "$ref")" ] ||
			return 1
		got=$(LD_LIBRARY_PATH=$PMEM_RELEASE_LIBDIR "$out/which_lib") || return 1
		[ "$(readlink -f "$got")" = "$(readlink -f "$lib")" ]
	}
	check "link: reference-built program binds to ours via LD_LIBRARY_PATH" link_test
else
	skip "link test: reference libpmem-dev not installed"
fi

# --- a program using the PMDK 2.1 logging API runs on ours -------------------
# It needs the 1.12.1 header (log21.c declares the 2.1 part itself); its
# undefined symbols must ask for LIBPMEM_1.0, as a 2.1 build's do.
if [ -f /usr/include/libpmem.h ]; then
	log21_test() {
		local b u
		mkdir -p "$tmp/refinc2" && cp /usr/include/libpmem.h "$tmp/refinc2/" &&
		$CC -Wall -Wextra -Werror -I"$tmp/refinc2" "$here/log21.c" \
			-L"$PMEM_RELEASE_LIBDIR" -lpmem -o "$out/log21" || return 1
		u=$(nm -D --undefined-only --with-symbol-versions "$out/log21" |
			awk '/pmem_log_/ {print $2}' | sort)
		[ "$u" = "$(echo "$log21" | sed 's/@@/@/')" ] ||
			{ echo "undefined: $u"; return 1; }
		for b in "$PMEM_RELEASE_LIBDIR" "$PMEM_DEBUG_LIBDIR"; do
			LD_LIBRARY_PATH=$b "$out/log21" || return 1
		done
	}
	check "link: a PMDK 2.1 logging program binds to LIBPMEM_1.0 and runs" \
		log21_test
	if [ -n "$ref" ]; then
		check "link: the same program refuses to load on 1.12.1" bash -c \
			"! '$out/log21' >/dev/null 2>&1"
	fi
else
	skip "2.1 link test: reference libpmem-dev not installed"
fi

# --- install / pkg-config / uninstall --------------------------------------
# pc_matches_prefix PREFIX LIBDIR INCLUDEDIR: the installed libpmem.pc names
# exactly these directories and PMDK 2.1's API level, and pkg-config hands
# them to the compiler.
pc_matches_prefix() {
	local pc="PKG_CONFIG_PATH=$2/pkgconfig" v want got
	for v in prefix:$1 libdir:$2 includedir:$3; do
		want=${v#*:}
		got=$(env "$pc" pkg-config --variable="${v%%:*}" libpmem) ||
			return 1
		[ "$got" = "$want" ] ||
			{ echo "libpmem.pc: ${v%%:*}=$got, expected $want"; return 1; }
	done
	# the API level: PMDK 2.1's functions are all here, 2.2 is no promise
	env "$pc" pkg-config --atleast-version=2.1 libpmem ||
		{ echo "libpmem.pc: version $(env "$pc" pkg-config \
			--modversion libpmem) is below 2.1"; return 1; }
	! env "$pc" pkg-config --atleast-version=2.2 libpmem ||
		{ echo "libpmem.pc: version claims 2.2 or later"; return 1; }
	got=$(env "$pc" PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 \
		PKG_CONFIG_ALLOW_SYSTEM_LIBS=1 pkg-config --cflags --libs libpmem)
	got=$(echo $got)   # pkg-config ends the line with a space
	[ "$got" = "-I$3 -L$2 -lpmem" ] ||
		{ echo "pkg-config flags: '$got', expected '-I$3 -L$2 -lpmem'"; return 1; }
}

install_test() {
	local p=$tmp/prefix
	make -s -C "$PMEM_TOPDIR" install prefix="$p" BUILD="$PMEM_BUILD" >/dev/null || return 1
	for f in lib/libpmem.so.1.0.0 lib/libpmem.so.1 lib/libpmem.so lib/libpmem.a \
		lib/pmdk_debug/libpmem.so.1 lib/pmdk_debug/libpmem.so.1.0.0 \
		lib/nvml_debug include/libpmem.h lib/pkgconfig/libpmem.pc; do
		[ -e "$p/$f" ] || { echo "missing $f"; return 1; }
	done
	# the .pc must describe this prefix, not the one `make` saw: a stale
	# one still links here (the system has a libpmem.h and libpmem.so),
	# so only its contents show it
	pc_matches_prefix "$p" "$p/lib" "$p/include" || return 1
	flags=$(PKG_CONFIG_PATH=$p/lib/pkgconfig pkg-config --cflags --libs libpmem) || return 1
	$CC "$here/which_lib.c" $flags -o "$tmp/pc_prog" || return 1
	got=$(LD_LIBRARY_PATH=$p/lib "$tmp/pc_prog") || return 1
	[ "$(readlink -f "$got")" = "$(readlink -f "$p/lib/libpmem.so.1.0.0")" ] || return 1
	make -s -C "$PMEM_TOPDIR" uninstall prefix="$p" BUILD="$PMEM_BUILD" >/dev/null || return 1
	left=$(find "$p" -type f -o -type l)
	[ -z "$left" ] || { echo "left after uninstall: $left"; return 1; }
}
check "make install prefix=... layout, pkg-config, make uninstall" install_test

# --- the policy table -------------------------------------------------------
# src/x86_64/policy.rows is data that policy_rows.awk writes as C: the real
# table must give the header the build compiled, and each kind of
# malformed row must stop the generator with its line number.
policy_table() {
	local rows=$PMEM_TOPDIR/src/x86_64/policy.rows
	local gen="awk -f $PMEM_TOPDIR/src/x86_64/policy_rows.awk"
	local built=$PMEM_BUILD/nondebug/obj/x86_64/policy_rows.h
	$gen "$rows" > "$tmp/policy_rows.h" || return 1
	if [ -e "$built" ] && ! cmp -s "$tmp/policy_rows.h" "$built"; then
		echo "the generated table differs from $built"; return 1
	fi
	local first
	first=$(grep -n -m1 '^[A-Z]' "$rows" | cut -d: -f1)
	# sed programs, each breaking the table in one way
	local -a broken=(
		"${first}s/ [0-9]* *\$//"			# a field short
		"${first}s/^INTEL/ARM/"				# unknown vendor
		"${first}s/ 0  0  / 0  2  /"			# wc not 0/1
		"$((first + 1))s/name: /name: \"/"		# a quote in a name
		"$((first + 1))d"				# no name: line
		"$((first + 2))s/why:/name:/"			# a second name
		'/^OTHER/,$d'					# no catch-all row
		"${first}a\\nonsense"				# a stray line
	)
	local b err
	for b in "${broken[@]}"; do
		sed -e "$b" "$rows" > "$tmp/broken.rows"
		if cmp -s "$rows" "$tmp/broken.rows"; then
			echo "sed '$b' changed nothing"; return 1
		fi
		if err=$($gen "$tmp/broken.rows" 2>&1 >/dev/null); then
			echo "accepted a table broken by sed '$b'"; return 1
		fi
		case $err in
		*broken.rows:[0-9]*:*) ;;
		*) echo "sed '$b': no line named in: $err"; return 1 ;;
		esac
	done
}
check "policy table: generated as built, malformed rows rejected" policy_table

# --- the platform boundary --------------------------------------------------
# Only *_linux.c objects may call the operating system directly, in the
# debug build (which adds the trace log) as in the release one. Where
# src/env.h reads the environment through secure_getenv, no object may
# call plain getenv (issue 28: setuid programs). boundary [BUILD_DIR]
boundary() {
	local banned="open openat mmap munmap msync fstat stat access ftruncate \
posix_fallocate realpath opendir readdir unlink mkostemp read write close \
fopen fgets sysconf"
	local build=${1:-$PMEM_BUILD} bad=0 o u secure=0
	local objs=("$build"/{nondebug,debug}/obj/*.o \
	    "$build"/{nondebug,debug}/obj/*/*.o)
	for o in "${objs[@]}"; do
		[ -e "$o" ] || continue
		nm -u "$o" | grep -qw secure_getenv && secure=1
		case $o in *_linux.o) continue ;; esac
		for u in $(nm -u "$o" | awk '{print $2}'); do
			for b in $banned; do
				if [ "$u" = "$b" ] || [ "$u" = "${b}64" ]; then
					echo "${o#"$build"/} calls $u"; bad=1
				fi
			done
		done
	done
	[ $secure = 1 ] && for o in "${objs[@]}"; do
		[ -e "$o" ] || continue
		if nm -u "$o" | awk '{print $2}' | grep -qx getenv; then
			echo "${o#"$build"/} calls getenv, not src/env.h's env_get()"
			bad=1
		fi
	done
	return $bad
}
check "only *_linux.c objects make system calls, none calls getenv" boundary

# Every environment variable is read through src/env.h, whose readers hide
# it from setuid and setgid programs. Being static inline, they leave no
# trace of who called them in the objects, so the sources are searched:
# no getenv, secure_getenv or environ in src/ outside src/env.h (comments
# included; a mention in one is rare enough to reword). env_readers SRC_DIR
env_readers() {
	local src=$1 hits
	hits=$(grep -rnE --include='*.[chS]' \
		'\b(secure_getenv|__secure_getenv|getenv|_*environ)\b' "$src" |
		grep -v "^$src/env.h:")
	[ -z "$hits" ] && return 0
	echo "the environment read outside src/env.h (use env_get()):"
	echo "$hits" | sed "s|^$src/|  src/|"
	return 1
}
check "only src/env.h reads the environment" env_readers "$PMEM_TOPDIR/src"

# both checks fail on a planted getenv: in the sources, and in an object
# next to copies of the built ones
boundary_plants() {
	local p=$tmp/plant out
	mkdir -p "$p/build/nondebug"
	cp -r "$PMEM_TOPDIR/src" "$p/src"
	printf '%s\n' '' 'const char *plant_getenv(void);' '' \
		'const char *' 'plant_getenv(void)' '{' \
		'	return getenv("PMEM_NO_FLUSH");' '}' >>"$p/src/pmem.c"
	if out=$(env_readers "$p/src"); then
		echo "env_readers: passed a getenv planted in src/pmem.c"
		return 1
	fi
	case $out in
	*"src/pmem.c:"*getenv*) echo "env_readers on the plant: $out" ;;
	*) echo "env_readers: the complaint does not name src/pmem.c: $out"
		return 1 ;;
	esac
	cp -r "$PMEM_BUILD/nondebug/obj" "$p/build/nondebug/obj"
	printf '%s\n' '#include <stdlib.h>' \
		'const char *plant(void);' \
		'const char *plant(void) { return getenv("PMEM_NO_FLUSH"); }' |
		$CC -x c -c -o "$p/build/nondebug/obj/plant.o" - || return 1
	if out=$(boundary "$p/build"); then
		echo "boundary: passed an object calling getenv"
		return 1
	fi
	case $out in
	*"plant.o calls getenv"*) echo "boundary on the plant: $out" ;;
	*) echo "boundary: the complaint does not name plant.o: $out"
		return 1 ;;
	esac
}
check "boundary self-test: a planted getenv fails both checks" boundary_plants
check "bench: no writable global shared between its objects" \
	bash "$PMEM_TOPDIR/bench/check_globals.sh" "$PMEM_BUILD"
# pmembench must fail libraries broken on purpose and pass the reference
# against itself; no suite ran it before, and it had failed unseen
check "bench: pmembench's self-test" \
	make -s -C "$PMEM_TOPDIR/bench" BUILD="$PMEM_BUILD" selftest

summary
