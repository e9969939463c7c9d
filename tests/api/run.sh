#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# API tests through the shared libraries (release and debug), the debug
# log variables, and the same program against the reference as a sanity
# check of the test itself.
. "$(dirname "$0")/../lib/common.sh"

out=$PMEM_BUILD/api
mkdir -p "$out"
bin=$out/api_test
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

$CC -Wall -Wextra -Werror -I"$PMEM_INCLUDEDIR" \
	"$PMEM_TOPDIR/tests/api/api_test.c" -L"$PMEM_RELEASE_LIBDIR" -lpmem \
	-o "$bin" || { fail "api: build"; summary; exit 1; }

tests="version map_roundtrip map_errors tmpfile misc force_late"
run_api() { # libdir test [env...]
	local lib=$1 t=$2 d
	shift 2
	d=$(mktemp -d -p "$scratch")
	env LD_LIBRARY_PATH="$lib" "$@" "$bin" "$d" "$t"
}

for t in $tests; do
	check "api $t (release)" run_api "$PMEM_RELEASE_LIBDIR" "$t"
	check "api $t (debug)" run_api "$PMEM_DEBUG_LIBDIR" "$t"
done
check "api mmap_hint (release)" run_api "$PMEM_RELEASE_LIBDIR" mmap_hint \
	PMEM_MMAP_HINT=0x10000000000
check "api mmap_hint (debug)" run_api "$PMEM_DEBUG_LIBDIR" mmap_hint \
	PMEM_MMAP_HINT=10000000000

# the host's reference (packages of other architectures may be installed);
# PMEM_API_REF=none when the programs cannot load it (the musl suite's)
ref=/usr/lib/$($CC -print-multiarch 2>/dev/null)/libpmem.so.1
[ -e "$ref" ] && [ "${PMEM_API_REF:-}" != none ] || ref=
if [ -n "$ref" ]; then
	for t in $tests; do
		check "api $t (reference, checks the test)" \
			run_api "$(dirname "$ref")" "$t"
	done
elif [ "${PMEM_API_REF:-}" = none ]; then
	skip "api tests against the reference: these programs cannot load it"
else
	skip "api tests against the reference: libpmem1 not installed"
fi

# --- the debug log -------------------------------------------------------
log_level3() {
	local err=$scratch/l3.err
	run_api "$PMEM_DEBUG_LIBDIR" map_roundtrip PMEM_LOG_LEVEL=3 2>"$err" ||
		return 1
	grep -Eq '^<libpmem>: <3> \[map\.c:[0-9]+ pmem_map_file\] path ' "$err" &&
	grep -Eq '^<libpmem>: <3> \[init\.c:[0-9]+ log_line\] flush: ' "$err" &&
	! grep -q '<4>' "$err"
}
check "debug log: level 3 traces entries and dispatch, not level 4" log_level3

# --- ./libpmem.so.1 as a program ---------------------------------------------
# It prints the summary the debug log gives at level 3: the same lines.
selfrun_lines() {	# <libdir> [VAR=value...]: the summary lines, unindented
	local dir=$1
	shift
	env "$@" "$dir/libpmem.so.1" | sed -n 's/^  //p'
}
log_lines() {		# [VAR=value...]: the same from the debug log
	env "$@" PMEM_LOG_LEVEL=3 "$PMEM_DEBUG_LIBDIR/libpmem.so.1" 2>&1 \
		>/dev/null | sed -n 's/^<libpmem>: <3> \[init\.c:[0-9]* log_line\] //p'
}
selfrun_matches_log() {
	local a b
	a=$(selfrun_lines "$PMEM_RELEASE_LIBDIR" "$@") || return 1
	b=$(log_lines "$@") || return 1
	[ "$(echo "$a" | wc -l)" -ge 10 ] &&
	grep -q '^memmove non-temporal: memmove_movnt_' <<<"$a" &&
	grep -q '^non-temporal threshold: ' <<<"$a" &&
	[ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b"); return 1; }
}
check "./libpmem.so.1 prints what the level-3 log says" selfrun_matches_log
if [ "$(uname -m)" = x86_64 ]; then
	check "./libpmem.so.1 under PMEM_AVX=0 PMEM_NO_FLUSH=1" \
		selfrun_matches_log PMEM_AVX=0 PMEM_NO_FLUSH=1
fi

selfrun_follows_env() {
	local out
	out=$("$PMEM_RELEASE_LIBDIR/libpmem.so.1") || return 1
	grep -q '^libpmem.so.1: .*LIBPMEM_1.0.*libpmem 1.12.1' <<<"$out" &&
	grep -q '^environment: no libpmem variable set$' <<<"$out" &&
	grep -q '^  CPU caches: flushed$' <<<"$out" || return 1
	out=$(PMEM_NO_FLUSH=1 PMEM_MOVNT_THRESHOLD=1000 \
		"$PMEM_RELEASE_LIBDIR/libpmem.so.1") || return 1
	grep '^environment:' <<<"$out" | grep -q ' PMEM_NO_FLUSH=1\b' &&
	grep '^environment:' <<<"$out" | grep -q ' PMEM_MOVNT_THRESHOLD=1000\b' &&
	grep -q '^  CPU caches: not flushed (PMEM_NO_FLUSH=1)$' <<<"$out" &&
	grep -q '^  memset temporal: memset_.*_noflush$' <<<"$out" &&
	grep -q '^  non-temporal threshold: 1000 bytes' <<<"$out" || return 1
	out=$(PMEM_NO_MOVNT=1 "$PMEM_RELEASE_LIBDIR/libpmem.so.1") || return 1
	grep -q '^  memmove non-temporal: memmove_generic_flush$' <<<"$out"
}
check "./libpmem.so.1 follows the environment" selfrun_follows_env

selfrun_not_exported() {
	! nm -D --defined-only "$PMEM_RELEASE_LIBDIR/libpmem.so.1" |
		grep -Eq 'selfrun|libpmem_load' &&
	! nm "$PMEM_RELEASE_LIBDIR/libpmem.a" 2>/dev/null | grep -q selfrun
}
check "the entry point is neither exported nor in libpmem.a" \
	selfrun_not_exported

log_level1_errors() {
	local err=$scratch/l1.err
	run_api "$PMEM_DEBUG_LIBDIR" map_errors PMEM_LOG_LEVEL=1 2>"$err" ||
		return 1
	grep -q '^<libpmem>: <1> .*invalid flag specified 10$' "$err" &&
	! grep -q '<3>' "$err"
}
check "debug log: level 1 reports every error" log_level1_errors

log_file_pid() {
	rm -f "$scratch"/log-*
	run_api "$PMEM_DEBUG_LIBDIR" version PMEM_LOG_LEVEL=3 \
		PMEM_LOG_FILE="$scratch/log-" 2>"$scratch/stderr" || return 1
	[ ! -s "$scratch/stderr" ] &&
	ls "$scratch"/log-[0-9]* >/dev/null 2>&1 &&
	grep -q 'pmem_check_version' "$scratch"/log-[0-9]*
}
check "debug log: PMEM_LOG_FILE with trailing '-' appends the pid" log_file_pid

# --- the PMDK 2.1 logging functions ------------------------------------------
logbin=$out/log_test
spy=$out/syslog_spy.so
if ! $CC -Wall -Wextra -Werror -I"$PMEM_INCLUDEDIR" \
	"$PMEM_TOPDIR/tests/api/log_test.c" -L"$PMEM_RELEASE_LIBDIR" -lpmem \
	-o "$logbin" || ! $CC -Wall -Wextra -Werror -shared -fPIC \
	"$PMEM_TOPDIR/tests/api/syslog_spy.c" -o "$spy"; then
	fail "api: building log_test and syslog_spy.so"
else
	for b in release debug; do
		[ $b = release ] && lib=$PMEM_RELEASE_LIBDIR || lib=$PMEM_DEBUG_LIBDIR
		for t in defaults levels user_function trace; do
			check "log $t ($b)" env LD_LIBRARY_PATH="$lib" \
				"$logbin" $t $b "$(mktemp -d -p "$scratch")"
		done
	done
fi

# A 1.12.1 program (api_test) must write nothing to stderr and nothing to
# syslog, whose functions a recorder replaces (LD_PRELOAD).
spied() {	# libdir name cmd...: runs cmd, leaves $scratch/name.{err,syslog}
	local lib=$1 name=$2
	shift 2
	rm -f "$scratch/$name.syslog"
	env LD_LIBRARY_PATH="$lib" LD_PRELOAD="$spy" \
		SYSLOG_SPY="$scratch/$name.syslog" "$@" 2>"$scratch/$name.err"
}
silent_112() {	# libdir: a 1.12.1 program's failing calls stay unseen
	spied "$1" old "$bin" "$(mktemp -d -p "$scratch")" map_errors ||
		return 1
	[ ! -s "$scratch/old.err" ] && [ ! -e "$scratch/old.syslog" ] ||
		{ cat "$scratch/old.err" "$scratch/old.syslog" 2>/dev/null; return 1; }
}
# the same recorder sees the default function once the API is used
default_speaks() {	# libdir want-stderr [LOG_TEST_AUX=n]
	local lib=$1 want=$2
	shift 2
	spied "$lib" new "$@" "$logbin" default_on x || return 1
	grep -Eq "^syslog 3 libpmem: \[[a-z_]+\.c:[0-9]+ pmem_map_file\] open /nonexistent/default-on: No such file" \
		"$scratch/new.syslog" || { echo "syslog record missing"; return 1; }
	if [ "$want" = stderr ]; then
		grep -q '^<libpmem>: <ERROR> \[.* pmem_map_file\] open ' \
			"$scratch/new.err"
	else
		[ ! -s "$scratch/new.err" ]
	fi
}
if [ -x "$logbin" ] && [ -e "$spy" ]; then
	check "1.12.1 program: no stderr, no syslog (release)" \
		silent_112 "$PMEM_RELEASE_LIBDIR"
	check "1.12.1 program: no stderr, no syslog (debug)" \
		silent_112 "$PMEM_DEBUG_LIBDIR"
	check "self-test: API used, the recorder sees the error (release, syslog only)" \
		default_speaks "$PMEM_RELEASE_LIBDIR" none
	check "self-test: API used, AUX=ERROR puts it on stderr too (release)" \
		default_speaks "$PMEM_RELEASE_LIBDIR" stderr LOG_TEST_AUX=2
	check "self-test: API used, debug AUX default (WARNING) shows it on stderr" \
		default_speaks "$PMEM_DEBUG_LIBDIR" stderr
fi

# The same at the socket a syslog daemon reads: in a private mount
# namespace, over a /dev of its own, a sink is bound at /dev/log, so
# whatever way libc takes to syslog ends there, preload or not.
sink=$out/syslog_sink
devlog_run() {	# name libdir cmd...: the datagrams land in $scratch/name.dev
	local name=$1 lib=$2 t
	shift 2
	t=$(mktemp -d -p "$scratch")
	unshare -m --propagation private bash -c '
		t=$1 sink=$2 lib=$3
		shift 3
		mkdir "$t/dev" && mount --bind /dev "$t/dev" &&
			mount -t tmpfs tmpfs /dev || exit 3
		for n in null zero full random urandom; do
			touch "/dev/$n" && mount --bind "$t/dev/$n" "/dev/$n" ||
				exit 3
		done
		"$sink" /dev/log "$t/ready" "$t/out" "$t/stop" &
		for i in $(seq 100); do
			[ -e "$t/ready" ] && break
			sleep 0.05
		done
		LD_LIBRARY_PATH=$lib "$@" 2>/dev/null
		rc=$?
		touch "$t/stop"
		wait
		exit $rc' _ "$t" "$sink" "$lib" "$@"
	local rc=$?
	cp "$t/out" "$scratch/$name.dev" 2>/dev/null || : >"$scratch/$name.dev"
	[ -e "$t/ready" ] || { echo "the sink never bound /dev/log"; return 3; }
	return $rc
}
socket_silent_112() {	# libdir
	devlog_run old112 "$1" "$bin" "$(mktemp -d -p "$scratch")" map_errors ||
		return 1
	[ ! -s "$scratch/old112.dev" ] || { cat "$scratch/old112.dev"; return 1; }
}
socket_hears_api() {	# libdir: the sink works: a 2.1 program is heard
	devlog_run new21 "$1" "$logbin" default_on x
	grep -q 'pmem_map_file.*open /nonexistent/default-on' \
		"$scratch/new21.dev" || { echo "nothing reached /dev/log"; return 1; }
}
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
	skip "syslog socket checks: need root and unshare (private /dev/log)"
elif ! $CC -Wall -Wextra -Werror "$PMEM_TOPDIR/tests/api/syslog_sink.c" \
    -o "$sink"; then
	fail "api: building syslog_sink"
elif [ -x "$logbin" ]; then
	check "1.12.1 program: nothing reaches a /dev/log socket (release)" \
		socket_silent_112 "$PMEM_RELEASE_LIBDIR"
	check "1.12.1 program: nothing reaches a /dev/log socket (debug)" \
		socket_silent_112 "$PMEM_DEBUG_LIBDIR"
	check "self-test: a program using the 2.1 API is heard at /dev/log" \
		socket_hears_api "$PMEM_RELEASE_LIBDIR"
fi

log_names_entry_point() {
	local err=$scratch/entry.err
	run_api "$PMEM_DEBUG_LIBDIR" map_errors PMEM_LOG_LEVEL=1 2>"$err"
	grep -Eq '^<libpmem>: <1> \[[a-z_]+\.c:[0-9]+ pmem_map_file\] open .*: No such file or directory$' "$err" &&
	grep -Eq '^<libpmem>: <1> \[[a-z_]+\.c:[0-9]+ pmem_unmap\] munmap: Invalid argument$' "$err"
}
check "debug log: errors name the entry point (pmem_map_file, pmem_unmap)" \
	log_names_entry_point

release_is_silent() {
	rm -f "$scratch/rel.log"
	run_api "$PMEM_RELEASE_LIBDIR" map_errors PMEM_LOG_LEVEL=4 \
		PMEM_LOG_FILE="$scratch/rel.log" 2>"$scratch/rel.err" &&
	[ ! -s "$scratch/rel.err" ] && [ ! -e "$scratch/rel.log" ]
}
check "release build ignores PMEM_LOG_LEVEL/PMEM_LOG_FILE" release_is_silent

summary
