# SPDX-License-Identifier: BSD-3-Clause
# The suite of an architecture tested under QEMU user mode with the
# shared programs of tests/cross/ (tests/ppc64le, tests/riscv64): cross
# builds, exports, kernels against libc, flush coverage, the API against
# a reference, the run-as-program report and planted bugs. The caller
# sets, then calls cross_suite:
#   XARCH       make's ARCH            CROSS      the toolchain prefix
#   PKGS        packages to install    QEMU_BIN   qemu-<arch>
#   QEMU_ROOT   qemu -L directory      CPUS       CPU models, one lane each
#   FLUSH       pmem_flush's name      DRAIN      pmem_drain's name
#   BLOCK       flush stride QEMU has  (0: no flush instruction runs)
#   ARCH_REF    this arch's reference libpmem.so.1, or empty
#   TRACE_LDFLAGS  extra link flags of test_trace
#   MUTANT_FILE MUTANT_OLD MUTANT_NEW  a planted bug test_trace must
#               catch, run with the arguments MUTANT_RUN
# and may define extra_lane_tests CPU (more t lines per lane).
# shellcheck disable=SC2034 # the caller's variables

. "$(dirname "${BASH_SOURCE[0]}")/cross.sh"

cross_suite() {
	W=$PMEM_BUILD/$XARCH
	LIB=$W/lib
	start=$SECONDS
	mkdir -p "$W/logs"
	TMP=$(mktemp -d)
	trap 'rm -rf "$TMP"' EXIT
	cross_tools || { summary; return; }
	cross_build || { summary; return; }
	cross_lanes
	echo "$XARCH suite: $((SECONDS - start)) s"
	summary
}

cross_tools() {
	if ! need_pkgs "${PKGS[@]}"; then
		skip "$XARCH: cannot install ${PKGS[*]}"
		return 1
	fi
	QEMU=$(command -v "$QEMU_BIN")
	if [ -z "$QEMU" ]; then
		skip "$XARCH: no $QEMU_BIN (qemu-user)"
		return 1
	fi
}

# ktest OUT MAIN ARCHDIR FLAGS...: MAIN linked with the arch's sources
# from ARCHDIR (src/<arch> or a mutated copy), the portable kernels and
# the kernel-file reader (riscv64 reads /proc/cpuinfo with it)
ktest() {
	local out=$1 main=$2 arch=$3
	shift 3
	# shellcheck disable=SC2046 # one word per source
	"${CROSS}gcc" "${TCF[@]}" -I"$arch" "$@" -o "$out" "$main" \
		$(ls "$arch"/*.c) "$PMEM_TOPDIR/src/memops_generic.c" \
		"$PMEM_TOPDIR/src/sysfs_linux.c"
}

cross_build() {
	local A=$PMEM_TOPDIR/src/$XARCH X=$PMEM_TOPDIR/tests/cross
	if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$PMEM_TOPDIR" \
		-j2 ARCH="$XARCH" CROSS_COMPILE="$CROSS" BUILD="$LIB" \
		"$LIB/nondebug/libpmem.so.1.0.0" "$LIB/debug/libpmem.so.1.0.0" \
		>"$W/logs/build-lib.log" 2>&1; then
		fail "$XARCH: cross-build the release and debug libraries"
		tail -n 30 "$W/logs/build-lib.log"
		return 1
	fi
	pass "$XARCH: cross-build the release and debug libraries (-Werror)"
	# clang's warnings and its own assembler too (LLVM 14 rejected the
	# phwsync mnemonic gcc's assembler takes)
	check_clang "$XARCH: " "$XARCH" "${CROSS%-}" "$W/clang"
	check "$XARCH: exports equal tests/abi/symbols.txt" \
		check_exports "$LIB" "$CROSS"
	if [ -n "$ARCH_REF" ]; then
		check "$XARCH: the list is the exports of Debian's $XARCH libpmem and the 3 logging functions" \
			list_matches_reference "$ARCH_REF" "$CROSS"
	fi
	TCF=(-std=gnu11 -O2 -Wall -Wextra -Werror -fno-strict-aliasing
		-I"$PMEM_TOPDIR/include" -I"$PMEM_TOPDIR/src")
	if ! { ktest "$W/test_kernels" "$X/test_kernels.c" "$A" &&
		ktest "$W/test_trace" "$X/test_trace.c" "$A" -DPMEM_TRACE \
			$TRACE_LDFLAGS &&
		"${CROSS}gcc" "${TCF[@]}" -o "$W/test_api" "$X/test_api.c" \
			-L"$LIB/nondebug" -lpmem; } >"$W/logs/build-tests.log" 2>&1
	then
		fail "$XARCH: build the tests"
		tail -n 30 "$W/logs/build-tests.log"
		return 1
	fi
	pass "$XARCH: build the tests"
	# the host's reference runs the same API test, for the diff
	HOST_REPORT=
	if [ -f /usr/lib/x86_64-linux-gnu/libpmem.so.1 ] &&
		"${CC:-cc}" "${TCF[@]}" -o "$W/test_api_host" "$X/test_api.c" \
		/usr/lib/x86_64-linux-gnu/libpmem.so.1 2>"$W/logs/host.log"; then
		mkdir -p "$TMP/host"
		"$W/test_api_host" basic "$TMP/host" >"$W/logs/host-basic.log" \
			2>&1 && HOST_REPORT=$W/logs/host-basic.log
	fi
}

# qrun CPU LIBDIR CMD...: CMD on a CPU model with libpmem from LIBDIR;
# LIBDIR "ref": the arch's reference from the default search path
qrun() {
	local cpu=$1 lib=$2
	shift 2
	if [ "$lib" = ref ]; then
		"$QEMU" -L "$QEMU_ROOT" -cpu "$cpu" "$@"
	else
		"$QEMU" -L "$QEMU_ROOT" -cpu "$cpu" \
			-E LD_LIBRARY_PATH="$lib" "$@"
	fi
}

# api_diff CPU LIBDIR WANT: test_api basic under LIBDIR, diffed with WANT
api_diff() {
	local out=$W/logs/basic-$1-$(basename "$2").out
	mkdir -p "$TMP/$1-api"
	qrun "$1" "$2" "$W/test_api" basic "$TMP/$1-api" >"$out" || return 1
	diff -u "$3" "$out"
}

# ref_report CPU: test_api basic against the arch's reference
ref_report() {
	qrun "$1" ref "$W/test_api" basic "$TMP/$1" \
		>"$W/logs/ref-basic-$1.out" 2>"$W/logs/ref-basic-$1.err" ||
		{ cat "$W/logs/ref-basic-$1.err"; return 1; }
}

# count_diff CPU: the instruction counts of ours and of the reference,
# side by side; the calls without a kernel must count the same
count_diff() {
	local a=$W/logs/count-$1-ours.out b=$W/logs/count-$1-ref.out
	mkdir -p "$TMP/$1-count"
	with_env "TEST_BLOCK=$BLOCK" qrun "$1" "$LIB/nondebug" "$W/test_api" \
		count "$TMP/$1-count" >"$a" || { cat "$a"; return 1; }
	with_env "TEST_BLOCK=$BLOCK TEST_COUNT_LOOSE=1" qrun "$1" ref \
		"$W/test_api" count "$TMP/$1-count" >"$b" ||
		{ cat "$b"; return 1; }
	echo "reference | ours"
	paste -d'|' "$b" "$a"
	diff <(grep -v '^kernel:' "$b") <(grep -v '^kernel:' "$a")
}

# logcase CPU "ENV=V ..." STRING...: every STRING in the debug library's
# level-3 log of test_api count
logcase() {
	local cpu=$1 envs=$2 log rc=0 s
	shift 2
	log=$(mktemp -p "$TMP" pmemlog.XXXXXX)
	with_env "$envs TEST_BLOCK=$BLOCK PMEM_LOG_LEVEL=3 PMEM_LOG_FILE=$log" \
		qrun "$cpu" "$LIB/debug" "$W/test_api" count "$TMP" || rc=$?
	[ $rc -eq 77 ] && rc=0	# the log is what we check here
	for s in "$@"; do
		grep -qF -- "$s" "$log" || { echo "log lacks: $s"; rc=1; }
	done
	[ $rc -eq 0 ] || grep init "$log"
	return $rc
}

# selfrun_report CPU "ENV=V ..." LINE...: ./libpmem.so.1 exits 0, prints
# its version and each LINE, and its indented lines are the debug
# library's level-3 describe lines (one printer makes both)
selfrun_report() {
	local cpu=$1 envs=$2 out log b s
	shift 2
	out=$(with_env "$envs" qrun "$cpu" "$LIB/nondebug" \
		"$LIB/nondebug/libpmem.so.1") || { echo "exit $?"; return 1; }
	echo "$out"
	grep -q '^libpmem.so.1: .*LIBPMEM_1.0.*libpmem 1.12.1$' <<<"$out" ||
		return 1
	for s in "$@"; do
		grep -qxF -- "  $s" <<<"$out" || { echo "lacks: $s"; return 1; }
	done
	log=$(mktemp -p "$TMP" selflog.XXXXXX)
	with_env "$envs PMEM_LOG_LEVEL=3 PMEM_LOG_FILE=$log" \
		qrun "$cpu" "$LIB/debug" "$LIB/debug/libpmem.so.1" >/dev/null ||
		return 1
	b=$(sed -n 's/^.*\[init\.c:[0-9]* log_line\] //p' "$log")
	[ "$(sed -n 's/^  //p' <<<"$out")" = "$b" ] ||
		{ diff <(sed -n 's/^  //p' <<<"$out") <(echo "$b"); return 1; }
}

# mutant CPU: test_trace built from src/<arch> with MUTANT_OLD replaced
# by MUTANT_NEW in MUTANT_FILE must fail
mutant() {
	local dir=$W/mutant
	mutate "$PMEM_TOPDIR/src/$XARCH" "$dir" "$MUTANT_FILE" "$MUTANT_OLD" \
		"$MUTANT_NEW" || return 2
	ktest "$dir/test_trace" "$PMEM_TOPDIR/tests/cross/test_trace.c" \
		"$dir" -DPMEM_TRACE $TRACE_LDFLAGS || return 2
	if qrun "$1" "" "$dir/test_trace" $MUTANT_RUN $TRACE_ARGS; then
		echo "the planted bug went unnoticed"
		return 1
	fi
}

lane() {
	local cpu=$1 heavy=$2 p="$XARCH $1: "
	mkdir -p "$TMP/$cpu"
	if [ -n "$ARCH_REF" ]; then
		t "${p}Debian's $XARCH libpmem runs the API test (traps stepped over)" \
			ref_report "$cpu"
		t "${p}API report equal to Debian's $XARCH reference's" \
			api_diff "$cpu" "$LIB/nondebug" "$W/logs/ref-basic-$cpu.out"
		t "${p}flush/fence instructions per call as the reference's" \
			count_diff "$cpu"
	else
		t "${p}flush instructions per call (block $BLOCK)" with_env \
			"TEST_BLOCK=$BLOCK" qrun "$cpu" "$LIB/nondebug" \
			"$W/test_api" count "$TMP/$cpu"
	fi
	if [ -n "$HOST_REPORT" ]; then
		t "${p}API report equal to the host reference's" \
			api_diff "$cpu" "$LIB/nondebug" "$HOST_REPORT"
	fi
	t "${p}PMEM_IS_PMEM_FORCE=1" with_env PMEM_IS_PMEM_FORCE=1 \
		qrun "$cpu" "$LIB/nondebug" "$W/test_api" force "$TMP/$cpu"
	t "${p}log: flush: $FLUSH, drain: $DRAIN, portable kernels" \
		logcase "$cpu" "" "drain: $DRAIN" \
		"memmove non-temporal: memmove_generic_flush" "$LOG_FLUSH"
	t "${p}PMEM_NO_FLUSH=1: no flush, deep flush kept" \
		logcase "$cpu" PMEM_NO_FLUSH=1 "$LOG_NO_FLUSH"
	t "${p}./libpmem.so.1 reports what the level-3 log says" \
		selfrun_report "$cpu" "" "drain: $DRAIN" "$SELF_FLUSH" \
		"${SELF_LINES[@]}"
	t "${p}./libpmem.so.1 under PMEM_NO_FLUSH=1" selfrun_report "$cpu" \
		PMEM_NO_FLUSH=1 "CPU caches: not flushed (PMEM_NO_FLUSH=1)"
	t "${p}trace: the chosen rows, flush ranges, one instruction per clean" \
		qrun "$cpu" "" "$W/test_trace" range $TRACE_ARGS
	t "${p}trace: every block cleaned after its last store" \
		qrun "$cpu" "" "$W/test_trace" kernels step=3 $TRACE_ARGS
	local b
	for b in 32 256; do
		t "${p}trace with $b-byte blocks" qrun "$cpu" "" \
			"$W/test_trace" kernels block=$b step=7 $TRACE_ARGS
	done
	t "${p}kernels: ranges at guard pages" \
		qrun "$cpu" "" "$W/test_kernels" edge
	t "${p}kernels: overlaps both ways" \
		qrun "$cpu" "" "$W/test_kernels" overlap
	if [ "$heavy" = 1 ]; then
		t "${p}kernels: sizes 0..256 x all 64x64 alignments" \
			qrun "$cpu" "" "$W/test_kernels" pairs
		t "${p}kernels: sizes 0..4096 x 10 alignments, large" \
			qrun "$cpu" "" "$W/test_kernels" sizes
		t "${p}mutant caught: $MUTANT_WHAT" mutant "$cpu"
	else
		t "${p}kernels: smoke" qrun "$cpu" "" "$W/test_kernels" smoke
	fi
	if declare -F extra_lane_tests >/dev/null; then
		extra_lane_tests "$cpu"
	fi
}

# the CPU models in parallel lanes, heavy sweeps on the first
cross_lanes() {
	local i=0 cpu
	for cpu in "${CPUS[@]}"; do
		lane "$cpu" $((i == 0)) >"$TMP/lane$i" 2>"$W/logs/lane$i.err" &
		i=$((i + 1))
	done
	wait
	cat "$TMP"/lane* >"$TMP/results"
	report_results "$TMP/results"
	[ -n "$HOST_REPORT" ] ||
		skip "$XARCH: API report not compared with the host reference's"
}
