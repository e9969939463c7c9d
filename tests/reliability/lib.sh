# SPDX-License-Identifier: BSD-3-Clause
# Build helpers of the reliability suite: instrumented copies of the library
# (same sources, same per-file ISA flags as the Makefile) and test programs.
# Sourced by run.sh after tests/lib/common.sh.

RT_WARN="-Wall -Wextra -Werror"
RT_JOBS=$(nproc 2>/dev/null || echo 2)

# rt_san_runs CC FLAGS...: a trivial program built with FLAGS starts and
# exits cleanly (sanitizer runtimes can refuse some kernels' memory layouts)
rt_san_runs() {
	local cc=$1 t
	shift
	t=$(mktemp -d "$RT_WORK/probe.XXXXXX")
	printf '%s\n' '#include <stdlib.h>' \
		'int main(void) { free(malloc(8)); return 0; }' >"$t/p.c"
	"$cc" "$@" -o "$t/p" "$t/p.c" >/dev/null 2>&1 && "$t/p" >/dev/null 2>&1
	local rc=$?
	rm -rf "$t"
	return $rc
}

# rt_build_lib DIR CC CFLAGS...: objects in DIR/obj (their list in DIR/objs)
# and DIR/libpmem.so.1, linked like the Makefile does; lib.mk rebuilds only
# what changed since the last run.
rt_build_lib() {
	local dir=$1 cc=$2
	shift 2
	mkdir -p "$dir"
	if [ ! -f "$dir/flags" ] || [ "$(cat "$dir/flags")" != "$cc $*" ]; then
		echo "$cc $*" >"$dir/flags"
	fi
	if ! make -s -j"$RT_JOBS" -f "$here/lib.mk" TOP="$PMEM_TOPDIR" \
	    OUT="$dir" CC="$cc" FLAGS="$*" >"$dir/build.log" 2>&1; then
		head -n 40 "$dir/build.log"
		return 1
	fi
}

# rt_prog OUT CC FLAGS... : a test program from tests/reliability sources
rt_prog() {
	local out=$1 cc=$2
	shift 2
	mkdir -p "$(dirname "$out")"
	"$cc" -std=gnu11 -g $RT_WARN -I"$PMEM_INCLUDEDIR" -I"$here" \
		-o "$out" "$@"
}

# rt_prog_on DIR NAME FLAGS...: DIR/NAME from NAME.c, running on the
# instrumented libpmem.so.1 rt_build_lib made in DIR
rt_prog_on() {
	local dir=$1 name=$2
	shift 2
	rt_prog "$dir/$name" "$CC" "$@" "$here/$name.c" -L"$dir" -lpmem \
		-Wl,-rpath,"$dir" -lpthread
}

# rt_prog_fakedax DIR NAME FLAGS...: DIR/NAME_fakedax, NAME.c with the
# objects of DIR linked in and mmap wrapped by fakedax.c, so every
# mapping is DAX to the library and its range registry is live
rt_prog_fakedax() {
	local dir=$1 name=$2
	shift 2
	# shellcheck disable=SC2046
	rt_prog "$dir/${name}_fakedax" "$CC" "$@" "$here/$name.c" \
		"$here/fakedax.c" -Wl,--wrap=mmap $(cat "$dir/objs") -lpthread
}

# rt_sub_begin NAME / rt_sub_end NAME: each sub-suite's own tally line
rt_sub_begin() {
	RT_P0=$T_PASSED RT_F0=$T_FAILED RT_S0=$T_SKIPPED RT_T0=$SECONDS
	echo "--- $1 ---"
}

rt_sub_end() {
	echo "$1: $((T_PASSED - RT_P0)) passed, $((T_FAILED - RT_F0))" \
		"failed, $((T_SKIPPED - RT_S0)) skipped" \
		"($((SECONDS - RT_T0)) s)"
}

# rt_expect_fail NAME PATTERN CMD...: CMD must fail and print PATTERN;
# the self-test showing a checker or a tool is able to catch a bug
rt_expect_fail() {
	local name=$1 pat=$2 log
	shift 2
	log=$(mktemp "$RT_WORK/expect.XXXXXX")
	if "$@" >"$log" 2>&1; then
		fail "$name: the planted bug went unnoticed"
	elif grep -qE -- "$pat" "$log"; then
		pass "$name"
	else
		fail "$name: failed without reporting /$pat/"
		tail -5 "$log" | sed "s/^/  | /"
	fi
	rm -f "$log"
}

# rt_run NAME LOG CMD...: check, keeping the output in LOG and showing its
# tail on failure
rt_run() {
	local name=$1 log=$2
	shift 2
	check "$name" rt_run_logged "$log" "$@"
}

rt_run_logged() {
	local log=$1 rc
	shift
	"$@" >"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
		tail -n 25 "$log" | sed 's/^/  | /'
	fi
	return $rc
}

# rt_have_ref SUITE: the reference library is there, or a SKIP line
rt_have_ref() {
	[ -e "$RT_REF" ] && return 0
	skip "$1: no reference libpmem at $RT_REF" \
		"(apt-get install libpmem1)"
	return 1
}

# families this CPU cannot run are not exercised: say so
rt_kernel_families_note() {
	local f
	for f in avx512f movdir64b; do
		grep -qw "$f" /proc/cpuinfo ||
			skip "$1: $f kernels not run (CPU lacks $f)"
	done
}
