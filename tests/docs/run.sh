#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Suite "docs": lints the man pages, checks that every exported function has
# a page that resolves and that the pages' examples are the tested sources,
# runs the examples against our release library, and installs the pages
# into a scratch tree to look every name up with man(1).

set -u
. "$(dirname "$0")/../lib/common.sh"

DOC=$PMEM_TOPDIR/doc
OUT=$PMEM_BUILD/docs
LIB=$PMEM_RELEASE_LIBDIR/libpmem.so.1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# full pages are the ones that are not one-line .so stubs
pages=()
for p in "$DOC"/libpmem.7 "$DOC"/*.3; do
	head -n 1 "$p" | grep -q '^\.so ' || pages+=("$(basename "$p")")
done
# the names man(1) must find: the functions our library exports (the
# reference's if ours is missing), not whatever pages happen to exist
ref=$(ldconfig -p 2>/dev/null | awk '/libpmem\.so\.1 / { print $NF; exit }')
symlib=$LIB
[ -e "$symlib" ] || symlib=$ref
names=()
if [ -n "$symlib" ] && [ -e "$symlib" ]; then
	mapfile -t names < <(nm -D --defined-only "$symlib" |
		awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort)
fi

# lines PREFIX CMD...: CMD prints PASS:/FAIL:/SKIP: lines; count each one
lines() {
	local prefix=$1 verdict rest n=0
	shift
	while read -r verdict rest; do
		case $verdict in
		PASS:) pass "$prefix $rest"; n=$((n + 1)) ;;
		FAIL:) fail "$prefix $rest"; n=$((n + 1)) ;;
		SKIP:) skip "$prefix $rest"; n=$((n + 1)) ;;
		*) echo "$verdict $rest" ;;
		esac
	done < <("$@" 2>&1)
	[ $n -gt 0 ] || fail "$prefix $*: reported nothing"
}

# env_checks PREFIX SCRATCH: ENVIRONMENT of libpmem(7), release library
env_checks() {
	local p=$1 s=$2
	lines "$p" "${libenv[@]}" "$OUT/tools/envcheck" force-setenv "$s/force"
	lines "$p" "${libenv[@]}" PMEM_IS_PMEM_FORCE=1 \
		"$OUT/tools/envcheck" force-any 1
	lines "$p PMEM_IS_PMEM_FORCE=2:" "${libenv[@]}" PMEM_IS_PMEM_FORCE=2 \
		"$OUT/tools/envcheck" force-any 0
	lines "$p PMEM_MMAP_HINT=0x4000000000:" "${libenv[@]}" \
		PMEM_MMAP_HINT=0x4000000000 \
		"$OUT/tools/envcheck" hint "$s/hint" 0x4000000000
	lines "$p PMEM_MMAP_HINT=4000000000:" "${libenv[@]}" \
		PMEM_MMAP_HINT=4000000000 \
		"$OUT/tools/envcheck" hint "$s/hint" 0x4000000000
	lines "$p PMEM_MMAP_HINT=zz:" "${libenv[@]}" PMEM_MMAP_HINT=zz \
		"$OUT/tools/envcheck" hint "$s/hint" any
	lines "$p release:" "${libenv[@]}" "$OUT/tools/envcheck" badflags ""
	# the release library never logs, whatever is asked
	rm -f "$s"/rlog*
	"${libenv[@]}" PMEM_LOG_LEVEL=4 PMEM_LOG_FILE="$s/rlog" \
		"$OUT/examples/errmsg" "$s/missing" > "$s/rout" 2>&1
	check "$p release library ignores PMEM_LOG_LEVEL and PMEM_LOG_FILE" \
		test ! -e "$s/rlog" -a "$(grep -c '<libpmem>' "$s/rout")" = 0
}

# debug_checks PREFIX SCRATCH: DEBUG LIBRARY of libpmem(7)
debug_checks() {
	local p=$1 s=$2 pid logs line
	lines "$p" "${dbgenv[@]}" "$OUT/tools/envcheck" badflags \
		"invalid flags 0x40"
	rm -f "$s"/log-*
	# exec keeps the pid, so the log name is known in advance
	pid=$("${dbgenv[@]}" PMEM_LOG_LEVEL=1 PMEM_LOG_FILE="$s/log-" bash -c \
		'echo $$; exec "$0" "$1" 2>/dev/null' \
		"$OUT/examples/errmsg" "$s/missing")
	logs=$(cd "$s" && echo log-*)
	check "$p PMEM_LOG_FILE ending in - appends the pid ($logs)" \
		test "$logs" = "log-$pid"
	line="open $s/missing: No such file or directory"
	check "$p level 1 logs the error as <libpmem>: <1> [file:line func] msg" \
		grep -qE "^<libpmem>: <1> \[[^] :]+:[0-9]+ [A-Za-z0-9_]+\] $line\$" \
			"$s/log-$pid"
	check "$p level 3 logs decisions at load time" \
		grep -q '^<libpmem>: <3> ' <("${dbgenv[@]}" PMEM_LOG_LEVEL=3 \
			"$OUT/examples/version" 2>&1 >/dev/null)
	check "$p level 2 notes an invalid PMEM_MMAP_HINT" \
		grep -qi '^<libpmem>: <2> .*PMEM_MMAP_HINT' \
			<("${dbgenv[@]}" PMEM_LOG_LEVEL=2 PMEM_MMAP_HINT=zz \
			"$OUT/examples/basic" "$s/hintlog" 2>&1 >/dev/null)
	check "$p level 0 logs nothing" \
		test -z "$("${dbgenv[@]}" PMEM_LOG_LEVEL=0 \
			"$OUT/examples/errmsg" "$s/missing" 2>&1 >/dev/null |
			grep '<libpmem>')"
}

need_pkgs groff mandoc man-db ||
	echo "some documentation tools are missing; their checks are skipped"

# --- lint -------------------------------------------------------------------
# quiet_ok CMD...: passes when CMD exits 0 and prints nothing
quiet_ok() {
	local out
	out=$("$@" 2>&1) || { echo "$out"; return 1; }
	[ -z "$out" ] || { echo "$out"; return 1; }
}
for p in "${pages[@]}"; do
	if command -v mandoc > /dev/null; then
		check "mandoc -T lint $p" quiet_ok mandoc -T lint -W warning "$DOC/$p"
	else
		skip "mandoc -T lint $p: mandoc is not installed"
	fi
	if command -v groff > /dev/null; then
		check "groff -ww $p" quiet_ok groff -man -ww -z "$DOC/$p"
	else
		skip "groff -ww $p: groff is not installed"
	fi
done

# --- every exported function has a page -------------------------------------
if [ -e "$LIB" ]; then
	nfuncs=$(nm -D --defined-only "$LIB" | awk '$2 == "T"' | wc -l)
	check "our libpmem.so.1 exports 26 functions (found $nfuncs)" \
		test "$nfuncs" -eq 26
	check "every function of our libpmem.so.1 has a page that resolves" \
		sh "$DOC/tools/checkpages.sh" "$LIB"
else
	fail "our release library $LIB is not built"
fi
if [ -n "$ref" ] && [ -e "$ref" ]; then
	# 1.12.1 lacks the three log functions: their pages are not stale
	check "every function of the reference $ref has a page" \
		sh "$DOC/tools/checkpages.sh" "$ref" -s
else
	skip "reference libpmem.so.1 is not installed"
fi

# --- the pages show the tested example sources ------------------------------
for p in "${pages[@]}"; do
	if grep -q '^\.\\" example-begin' "$DOC/$p"; then
		check "EXAMPLE of $p is identical to its source" \
			sh "$DOC/tools/exsync.sh" check "$DOC/$p"
	fi
done
for src in "$DOC"/examples/*.c; do
	f=examples/$(basename "$src")
	check "$f is shown in a page" \
		grep -qx "\.\\\\\" example-begin $f" "${pages[@]/#/$DOC/}"
done

# --- build and run the examples against our release library -----------------
# stale binaries from an earlier run must not stand in for a failed build
rm -rf "$OUT/examples"
examples=()
for src in "$DOC"/examples/*.c; do
	examples+=("$(basename "$src" .c)")
done
built=1
for e in "${examples[@]}"; do
	if [ ! -e "$LIB" ]; then
		fail "example $e: no library to link with"
		built=0
		continue
	fi
	check "example $e compiles with -Wall -Wextra -Werror" \
		make -s -C "$DOC" "$OUT/examples/$e" EXDIR="$OUT/examples" \
			LIBDIR="$PMEM_RELEASE_LIBDIR" INCDIR="$PMEM_INCLUDEDIR"
	[ -x "$OUT/examples/$e" ] || built=0
done
if [ $built = 1 ]; then
	loaded=$(LD_LIBRARY_PATH=$PMEM_RELEASE_LIBDIR ldd "$OUT/examples/basic" |
		awk '/libpmem\.so\.1/ { print $3 }')
	check "examples load our library ($loaded)" \
		test "$(readlink -f "$loaded")" = "$(readlink -f "$LIB")"
	lines "example" env LD_LIBRARY_PATH="$PMEM_RELEASE_LIBDIR" \
		bash "$DOC/tools/runexamples.sh" "$OUT/examples"
else
	fail "examples not run: not all of them were built"
fi

# --- the ERRORS sections and the environment, ours and the reference -------
mkdir -p "$OUT/tools"
tools_built=1
for t in errcheck envcheck; do
	check "doc/tools/$t.c compiles with -Wall -Wextra -Werror" \
		"$CC" -Wall -Wextra -Werror -I"$PMEM_INCLUDEDIR" \
			-o "$OUT/tools/$t" "$DOC/tools/$t.c" \
			-L"$PMEM_RELEASE_LIBDIR" -lpmem -pthread ||
		tools_built=0
	[ -x "$OUT/tools/$t" ] || tools_built=0
done
refdbg=
for d in /usr/lib/$(uname -m)-linux-gnu/pmdk_dbg /usr/lib*/pmdk_debug; do
	[ -e "$d/libpmem.so.1" ] && { refdbg=$d; break; }
done
if [ $tools_built = 1 ]; then
	# without LD_LIBRARY_PATH the tools load the system's (reference) copy
	for who in ours reference; do
		if [ $who = ours ] && [ ! -e "$LIB" ]; then
			# the tools would silently load the system copy instead
			fail "checks of our library not run: $LIB is missing"
			continue
		elif [ $who = ours ]; then
			libenv=(env LD_LIBRARY_PATH="$PMEM_RELEASE_LIBDIR")
			dbgenv=(env LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR")
		elif [ -n "$ref" ]; then
			libenv=(env -u LD_LIBRARY_PATH)
			dbgenv=(env LD_LIBRARY_PATH="$refdbg")
		else
			skip "reference checks: reference libpmem is not installed"
			continue
		fi
		scratch=$tmp/$who
		mkdir -p "$scratch"
		lines "$who:" "${libenv[@]}" "$OUT/tools/errcheck" "$scratch"
		env_checks "$who:" "$scratch"
		if [ ! -x "$OUT/examples/errmsg" ]; then
			fail "$who debug checks not run: the examples were not built"
		elif [ $who = ours ] &&
				[ ! -e "$PMEM_DEBUG_LIBDIR/libpmem.so.1" ]; then
			fail "our debug library $PMEM_DEBUG_LIBDIR/libpmem.so.1 is missing"
		elif [ $who = ours ] || [ -n "$refdbg" ]; then
			debug_checks "$who debug:" "$scratch"
		else
			skip "reference debug checks: no pmdk_dbg library"
		fi
	done
else
	fail "ERRORS and ENVIRONMENT checks not run: tools not built"
fi

# --- install, look up with man(1), uninstall --------------------------------
inst=$tmp/inst
manroot=$inst/share/man
check "make -C doc install DESTDIR=... mandir=/share/man" \
	make -s -C "$DOC" install DESTDIR="$inst" mandir=/share/man
want=$( { printf 'man3/%s.3\n' "${names[@]}"; echo man7/libpmem.7; } | sort)
got=$(cd "$manroot" 2>/dev/null && find . -type f | sed 's|^\./||' | sort)
check "install puts exactly the ${#names[@]} man3 pages and libpmem.7 in place" \
	test "$want" = "$got"
[ ${#names[@]} -eq 26 ] ||
	fail "expected 26 function names to look up, got ${#names[@]}"

# man_finds SECTION NAME: man(1) finds NAME in our tree only and renders a
# page whose NAME section lists it
man_finds() {
	local path text
	path=$(MANPATH=$manroot man -w "$1" "$2" 2>/dev/null) || return 1
	case $path in
	"$manroot"/*) ;;
	*) echo "found $path outside the scratch tree"; return 1 ;;
	esac
	text=$(MANPATH=$manroot MANWIDTH=200 man -P cat "$1" "$2" 2>/dev/null |
		awk '/^NAME/ { on = 1; next } /^[A-Z]/ { on = 0 } on')
	printf '%s\n' "$text" | grep -qw -- "$2" ||
		{ echo "NAME section of the page shown for $2: $text"; return 1; }
}
if command -v man > /dev/null; then
	for n in "${names[@]}"; do
		check "man $n" man_finds 3 "$n"
	done
	check "man 7 libpmem" man_finds 7 libpmem
else
	skip "man lookups: man(1) is not installed"
fi

check "make -C doc uninstall DESTDIR=... mandir=/share/man" \
	make -s -C "$DOC" uninstall DESTDIR="$inst" mandir=/share/man
left=$(find "$inst" -type f 2>/dev/null)
check "uninstall removes every installed page${left:+ (left: $left)}" \
	test -z "$left"

summary
