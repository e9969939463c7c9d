#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The aarch64 port: cross-builds the library and the tests, runs them under
# QEMU user mode on a CPU model with DC CVAP ("max") and one without
# ("cortex-a57"), and shows the tests catch bugs planted in copies of the
# kernels. On an aarch64 host everything runs natively instead.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/cross.sh"

W=$PMEM_BUILD/aarch64
SYSROOT=/usr/aarch64-linux-gnu
start=$SECONDS
mkdir -p "$W/logs"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# ---- tools ---------------------------------------------------------------
if [ "$(uname -m)" = aarch64 ]; then
	CROSS='' CPUS=(native) QEMU=''
else
	CROSS=aarch64-linux-gnu- CPUS=(max cortex-a57)
	if ! need_pkgs gcc-aarch64-linux-gnu libc6-dev-arm64-cross; then
		skip "aarch64: no cross compiler (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross)"
		summary
		exit
	fi
	QEMU=$(command -v qemu-aarch64 || command -v qemu-aarch64-static)
	if [ -z "$QEMU" ]; then
		need_pkgs qemu-user || need_pkgs qemu-user-static
		QEMU=$(command -v qemu-aarch64 || command -v qemu-aarch64-static)
	fi
fi
CC_A64=${CROSS}gcc
[ -z "$CROSS" ] && CC_A64=${CC:-cc}

# ---- the library -----------------------------------------------------------
LIB=$W/lib
build_lib() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$PMEM_TOPDIR" \
		-j2 ARCH=aarch64 CROSS_COMPILE="$CROSS" BUILD="$LIB" \
		"$LIB/nondebug/libpmem.so.1.0.0" "$LIB/debug/libpmem.so.1.0.0"
}
if ! build_lib >"$W/logs/build-lib.log" 2>&1; then
	fail "cross-build the release and debug libraries"
	tail -n 30 "$W/logs/build-lib.log"
	summary
	exit
fi
pass "cross-build the release and debug libraries"
check_clang "" aarch64 aarch64-linux-gnu "$W/clang"

check "exports equal tests/abi/symbols.txt ($(grep -c . "$CROSS_SYMBOLS") in LIBPMEM_1.0)" \
	check_exports "$LIB" "$CROSS"
ref=/usr/lib/$(uname -m)-linux-gnu/libpmem.so.1
if [ -f "$ref" ]; then
	check "the list is the exports of $ref and the 3 logging functions" \
		list_matches_reference "$ref"
else
	skip "exports: no $ref to compare with"
fi

# Q registers stored element-wise (ST1) would be byte-atomic only
no_st1() {
	local n objs=("$LIB"/nondebug/obj/aarch64/memops_*.o
		"$LIB"/debug/obj/aarch64/memops_*.o)
	[ -f "${objs[0]}" ] || { echo "no kernel objects in $LIB"; return 1; }
	n=$("${CROSS}objdump" -d "${objs[@]}" | grep -cE '\sst1\s')
	[ "$n" -eq 0 ] || { echo "$n ST1 instructions in the kernels"; return 1; }
}
check "kernels contain no element-wise ST1 stores" no_st1

# ---- the tests -------------------------------------------------------------
API_C=$PMEM_TOPDIR/tests/cross/test_api.c
TCF=(-std=gnu11 -O2 -Wall -Wextra -Werror -fno-strict-aliasing
	-I"$PMEM_TOPDIR/include" -I"$PMEM_TOPDIR/src")

# ktest OUT MAIN ARCHDIR FLAGS...: MAIN linked with the aarch64 kernels
# from ARCHDIR (src/aarch64 or a mutated copy) and the generic ones
ktest() {
	local out=$1 main=$2 arch=$3
	shift 3
	mkdir -p "$out.objs"
	"$CC_A64" "${TCF[@]}" -I"$arch" "$@" -mgeneral-regs-only -c \
		-o "$out.objs/gpr.o" "$arch/memops_gpr.c" &&
	"$CC_A64" "${TCF[@]}" -I"$arch" "$@" -o "$out" "$here/$main" \
		"$out.objs/gpr.o" "$arch/memops_neon.c" "$arch/cpu.c" \
		"$arch/init.c" "$PMEM_TOPDIR/src/memops_generic.c"
}
build_tests() {
	local A=$PMEM_TOPDIR/src/aarch64 k t
	ktest "$W/test_kernels" test_kernels.c "$A" &
	k=$!
	ktest "$W/test_trace" test_trace.c "$A" -DPMEM_TRACE &
	t=$!
	"$CC_A64" "${TCF[@]}" -o "$W/test_api" "$API_C" \
		-L"$LIB/nondebug" -lpmem || return 1
	if [ "${PMEM_AARCH64_BENCH:-0}" = 1 ]; then
		ktest "$W/bench_kernels" bench_kernels.c "$A" || return 1
	fi
	wait $k && wait $t
}
if ! build_tests >"$W/logs/build-tests.log" 2>&1; then
	fail "build the aarch64 tests"
	tail -n 30 "$W/logs/build-tests.log"
	summary
	exit
fi
pass "build the aarch64 tests"

# the host's reference library runs the same API test for the diff
REF_REPORT=
if [ -n "$CROSS" ] && [ -f /usr/lib/x86_64-linux-gnu/libpmem.so.1 ] &&
	"${CC:-cc}" "${TCF[@]}" -o "$W/test_api_host" "$API_C" \
		/usr/lib/x86_64-linux-gnu/libpmem.so.1 2>"$W/logs/host.log"; then
	mkdir -p "$TMP/host"
	"$W/test_api_host" basic "$TMP/host" >"$W/logs/host-basic.log" 2>&1 &&
		REF_REPORT=$W/logs/host-basic.log
fi

# Debian's own arm64 build, run under QEMU from the multiarch root (-L /)
ARM_REF=
if [ -n "$CROSS" ] && need_foreign_arch arm64 &&
	need_pkgs libc6:arm64 libpmem1:arm64 >"$W/logs/arm64-ref.log" 2>&1; then
	ARM_REF=/usr/lib/aarch64-linux-gnu/libpmem.so.1
	check "the list is the exports of Debian's arm64 libpmem and the 3 logging functions" \
		list_matches_reference "$ARM_REF" "$CROSS"
elif [ -n "$CROSS" ]; then
	skip "Debian's libpmem1:arm64 not installable: no side-by-side run"
fi

if [ -n "$CROSS" ] && [ -z "$QEMU" ]; then
	skip "aarch64 runs: no qemu-aarch64 (install qemu-user)"
	summary
	exit
fi

# ---- running -----------------------------------------------------------------
# qrun CPU LIBDIR CMD...: CMD on an aarch64 CPU model, libpmem from LIBDIR
qrun() {
	local cpu=$1 lib=$2
	shift 2
	if [ "$cpu" = native ]; then
		LD_LIBRARY_PATH=$lib "$@"
	else
		"$QEMU" -L "$SYSROOT" -cpu "$cpu" -E LD_LIBRARY_PATH="$lib" "$@"
	fi
}

# expected log lines for a CPU, from its hwcaps (test_api cpu)
read_cpu() {
	local cpu=$1 line kv
	line=$(qrun "$cpu" "$LIB/nondebug" "$W/test_api" cpu "$TMP") || return 1
	C_dcpop=0 C_dcpodp=0 C_asimd=0 C_line=0 C_autoflush=0
	for kv in $line; do
		case $kv in
		dcpop=*) C_dcpop=${kv#*=} ;;
		dcpodp=*) C_dcpodp=${kv#*=} ;;
		asimd=*) C_asimd=${kv#*=} ;;
		line=*) C_line=${kv#*=} ;;
		autoflush=*) C_autoflush=${kv#*=} ;;
		esac
	done
	FL=cvac DEEP=cvac FAM=gpr
	[ "$C_dcpop" = 1 ] && FL=cvap DEEP=cvap
	[ "$C_dcpodp" = 1 ] && DEEP=cvadp
	[ "$C_asimd" = 1 ] && FAM=neon
	# what pmem_flush uses: nothing under eADR
	USED="dc $FL" KUSED=$FL
	[ "$C_autoflush" = 1 ] && USED=none KUSED=noflush
	return 0
}

# logcase CPU "ENV=V ..." GROUP STRING...: test_api GROUP against the debug
# library at log level 3; every STRING must be in the log
logcase() {
	local cpu=$1 envs=$2 group=$3 log rc=0 s
	shift 3
	log=$(mktemp -p "$TMP" pmemlog.XXXXXX)
	with_env "$envs PMEM_LOG_LEVEL=3 PMEM_LOG_FILE=$log" \
		qrun "$cpu" "$LIB/debug" "$W/test_api" "$group" "$TMP" || rc=$?
	[ $rc -eq 77 ] && rc=0	# the log is what we check here
	for s in "$@"; do
		grep -qF -- "$s" "$log" || { echo "log lacks: $s"; rc=1; }
	done
	[ $rc -eq 0 ] || grep -E 'init|no_movnt' "$log"
	return $rc
}

# ./libpmem.so.1 run as a program, like the host's in tests/api
# selfrun CPU "ENV=V ...": the release library's own output
selfrun() {
	with_env "$2" qrun "$1" "$LIB/nondebug" "$LIB/nondebug/libpmem.so.1"
}

# selfrun_basics CPU: it starts at all, and names the barrier and flush
# read_cpu expects
selfrun_basics() {
	local out caches=flushed
	out=$(selfrun "$1" "") || { echo "exit $?"; return 1; }
	echo "$out"
	[ "$C_autoflush" = 1 ] && caches='not flushed (eADR'
	grep -q '^libpmem.so.1: .*LIBPMEM_1.0.*libpmem 1.12.1$' <<<"$out" &&
	grep -qx '  drain: dsb sy' <<<"$out" &&
	grep -qx "  flush: $USED (deep flush: dc $DEEP)" <<<"$out" &&
	grep -qF "  CPU caches: $caches" <<<"$out"
}

# selfrun_matches_log CPU "ENV=V ...": its indented lines are the debug
# library's level-3 describe lines, the two come from one printer
selfrun_matches_log() {
	local cpu=$1 envs=$2 a b log
	a=$(selfrun "$cpu" "$envs") || return 1
	a=$(sed -n 's/^  //p' <<<"$a")
	log=$(mktemp -p "$TMP" selflog.XXXXXX)
	with_env "$envs PMEM_LOG_LEVEL=3 PMEM_LOG_FILE=$log" \
		qrun "$cpu" "$LIB/debug" "$LIB/debug/libpmem.so.1" >/dev/null ||
		return 1
	b=$(sed -n 's/^.*\[init\.c:[0-9]* log_line\] //p' "$log")
	echo "$a"
	[ "$(echo "$a" | wc -l)" -ge 10 ] &&
	grep -q '^memmove non-temporal: memmove_movnt_' <<<"$a" &&
	[ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b"); return 1; }
}

# selfrun_no_flush CPU: PMEM_NO_FLUSH=1 is reported, the deep flush kept
selfrun_no_flush() {
	local out
	out=$(selfrun "$1" PMEM_NO_FLUSH=1) || return 1
	echo "$out"
	grep -q '^environment: .*PMEM_NO_FLUSH=1' <<<"$out" &&
	grep -qx '  CPU caches: not flushed (PMEM_NO_FLUSH=1)' <<<"$out" &&
	grep -qx "  flush: none (deep flush: dc $DEEP)" <<<"$out"
}

diff_ref() {
	local cpu=$1 out
	out=$W/logs/basic-$cpu.out
	qrun "$cpu" "$LIB/nondebug" "$W/test_api" basic "$TMP/$cpu" >"$out" ||
		return 1
	[ -z "$REF_REPORT" ] && { cat "$out"; return 0; }
	diff -u "$REF_REPORT" "$out"
}

# diff_arm_ref CPU: Debian's arm64 libpmem and ours give the same report
diff_arm_ref() {
	local cpu=$1 ref=$W/logs/arm64-ref-basic-$1.out
	mkdir -p "$TMP/$cpu-ref"
	"$QEMU" -L / -cpu "$cpu" "$W/test_api" basic "$TMP/$cpu-ref" >"$ref" ||
		{ echo "the reference failed"; cat "$ref"; return 1; }
	diff -u "$ref" "$W/logs/basic-$cpu.out"
}

# the API, the flush path taken and the kernels on one CPU model
lane() {
	local cpu=$1 heavy=$2 tag=$1
	mkdir -p "$TMP/$cpu"
	if ! read_cpu "$cpu" >/dev/null 2>&1; then
		printf '77\t%s: CPU model unavailable\t/dev/null\n' "$cpu"
		return
	fi
	local k=$FAM pre="$tag: "
	t "${pre}API basics, report equal to the reference's" diff_ref "$cpu"
	if [ -n "$ARM_REF" ]; then
		t "${pre}report equal to Debian's arm64 libpmem's (DC CVAP stepped over)" \
			diff_arm_ref "$cpu"
	fi
	t "${pre}PMEM_IS_PMEM_FORCE=1" with_env PMEM_IS_PMEM_FORCE=1 \
		qrun "$cpu" "$LIB/nondebug" "$W/test_api" force "$TMP/$cpu"
	t "${pre}DC instructions per call" \
		qrun "$cpu" "$LIB/nondebug" "$W/test_api" count "$TMP/$cpu"
	t "${pre}log: flush: $USED, deep dc $DEEP, ${k} kernels" \
		logcase "$cpu" "" count "flush: $USED (deep flush: dc $DEEP)" \
		"drain: dsb sy" "D-cache line $C_line bytes" \
		"memmove temporal: memmove_mov_${k}_$KUSED" \
		"memmove non-temporal: memmove_movnt_${k}_$KUSED" \
		"memset temporal: memset_mov_${k}_$KUSED" \
		"memset non-temporal: memset_movnt_${k}_$KUSED"
	t "${pre}PMEM_NO_FLUSH=1: no flush, deep flush kept" \
		logcase "$cpu" "PMEM_NO_FLUSH=1" count \
		"flush: none (deep flush: dc $DEEP)" \
		"memmove temporal: memmove_mov_${k}_noflush"
	t "${pre}PMEM_NO_MOVNT=1: generic kernels" \
		logcase "$cpu" "PMEM_NO_MOVNT=1" count \
		"PMEM_NO_MOVNT=1: generic kernels"
	t "${pre}x86-only variables ignored" \
		logcase "$cpu" "PMEM_NO_CLWB=1 PMEM_NO_CLFLUSHOPT=1 PMEM_AVX=0 PMEM_AVX512F=0 PMEM_MOVDIR64B=0 PMEM_WC_WORKAROUND=1" \
		count "flush: $USED (deep flush: dc $DEEP)" \
		"memmove temporal: memmove_mov_${k}_$KUSED"
	t "${pre}./libpmem.so.1: exit 0, version, flush: $USED, drain: dsb sy" \
		selfrun_basics "$cpu"
	t "${pre}./libpmem.so.1 prints what the level-3 log says" \
		selfrun_matches_log "$cpu" ""
	t "${pre}./libpmem.so.1 under PMEM_NO_FLUSH=1 prints the same as the log" \
		selfrun_matches_log "$cpu" PMEM_NO_FLUSH=1
	t "${pre}./libpmem.so.1 under PMEM_NO_FLUSH=1: caches not flushed" \
		selfrun_no_flush "$cpu"
	t "${pre}flush table: ranges, fence, flush_needed 0/1" \
		qrun "$cpu" "" "$W/test_trace" range
	t "${pre}trace: every line cleaned after its last store, 8-byte stores" \
		qrun "$cpu" "" "$W/test_trace" kernels
	if [ "$heavy" = 1 ]; then
		t "${pre}kernels: sizes 0..256 x all 64x64 alignments (cvac)" \
			qrun "$cpu" "" "$W/test_kernels" pairs kinds=cvac
		t "${pre}kernels: sizes 0..4096 x 10 alignments, large (cvac)" \
			qrun "$cpu" "" "$W/test_kernels" sizes kinds=cvac
		t "${pre}kernels: overlaps both ways (none,cvac)" \
			qrun "$cpu" "" "$W/test_kernels" overlap kinds=none,cvac
		t "${pre}kernels: DC CVAP kernels" \
			qrun "$cpu" "" "$W/test_kernels" smoke kinds=cvap
	else
		t "${pre}kernels: sizes 0..256 x all 64x64 alignments (none)" \
			qrun "$cpu" "" "$W/test_kernels" pairs kinds=none
		t "${pre}kernels: sizes 0..4096 x 10 alignments, large (none)" \
			qrun "$cpu" "" "$W/test_kernels" sizes kinds=none
	fi
	# the flush loops at line sizes the CPU model does not have
	local line lines=(16 128)
	[ "$heavy" = 1 ] && lines=(64 256)
	for line in "${lines[@]}"; do
		t "${pre}trace with $line-byte lines" \
			qrun "$cpu" "" "$W/test_trace" kernels line="$line" step=3
	done
	t "${pre}kernels: ranges at guard pages" \
		qrun "$cpu" "" "$W/test_kernels" edge
}

# mutant CPU NAME FILE OLD NEW TEST ARGS...: TEST built from a copy of
# src/aarch64 with OLD replaced by NEW in FILE must fail on CPU
mutant() {
	local cpu=$1 name=$2 file=$3 old=$4 new=$5 test=$6 dir
	shift 6
	dir=$W/mutants/$name
	mutate "$PMEM_TOPDIR/src/aarch64" "$dir" "$file" "$old" "$new" ||
		return 2
	local flags=()
	[ "$test" = test_trace ] && flags=(-DPMEM_TRACE)
	ktest "$dir/$test" "$test.c" "$dir" "${flags[@]}" || return 2
	if qrun "$cpu" "" "$dir/$test" "$@"; then
		echo "the planted bug went unnoticed"
		return 1
	fi
	return 0
}

# bugs planted in the kernels (a) and in the choices init.c makes (b);
# the trace runs pretend 64- or 32-byte lines so no DC CVAP traps
mutants_a() {
	local cpu=$1 T=memops_template.h
	t "mutant caught: tail span not cleaned" \
		mutant "$cpu" tail-flush $T \
		$'\t\tTPL(span_up)(d, s, n);\n\t\tflush_lines(fl, d, n);\n\t}\n}' \
		$'\t\tTPL(span_up)(d, s, n);\n\t}\n}' \
		test_trace kernels line=64 step=9
	t "mutant caught: line cleaned before its stores" \
		mutant "$cpu" flush-early $T \
		$'\t\tTPL(copy_line)(d, s, nt);\n\t\tflush_block(fl, d);' \
		$'\t\tflush_block(fl, d);\n\t\tTPL(copy_line)(d, s, nt);' \
		test_trace kernels line=64 step=9
	t "mutant caught: aligned words stored as two halves" \
		mutant "$cpu" split-word $T \
		$'\tfor (; n >= 8; d += 8, s += 8, n -= 8)\n\t\tTPL(st64)(d, TPL(ld64)(s));' \
		$'\tfor (; n >= 8; d += 8, s += 8, n -= 8) {\n\t\tTPL(st32)(d, TPL(ld32)(s));\n\t\tTPL(st32)(d + 4, TPL(ld32)(s + 4));\n\t}' \
		test_trace kernels line=64 step=9
	t "mutant caught: lines shorter than 64 bytes not all cleaned" \
		mutant "$cpu" short-lines flush.h \
		$'\tif (unlikely(Dcache_line < CACHELINE_SIZE)) {' $'\tif (0) {' \
		test_trace kernels line=32 step=9
}

mutants_b() {
	local cpu=$1 T=memops_template.h
	t "mutant caught: overlapping move always bottom up" \
		mutant "$cpu" direction $T \
		$'\tif ((uintptr_t)d - (uintptr_t)s >= n)\n\t\tTPL(move_up)' \
		$'\tif (1)\n\t\tTPL(move_up)' test_kernels overlap kinds=none
	t "mutant caught: fill misses its last odd byte" \
		mutant "$cpu" fill-tail $T \
		$'\tif (n & 1)\n\t\tTPL(st8)(d, (uint8_t)w);' '' \
		test_kernels smoke kinds=none
	t "mutant caught: deep flush off under PMEM_NO_FLUSH" \
		mutant "$cpu" deep-policy init.c \
		$'\tc->deep_flush = Flushes[deep];' \
		$'\tc->deep_flush = Flushes[policy->flush_needed ? deep : FLUSH_NONE];' \
		test_trace range
	# needs a CPU without DC CVAP, where executing it traps
	if [ "$cpu" = cortex-a57 ]; then
		t "mutant caught: DC CVAP without HWCAP_DCPOP" \
			mutant "$cpu" hwcap init.c \
			$'\treturn (cpu & CPU_DCPOP) ? FLUSH_CVAP : FLUSH_CVAC;' \
			$'\t(void) cpu;\n\treturn FLUSH_CVAP;' test_trace range
	fi
}

# two lanes share the cores: the heavy sweeps on the first CPU model, the
# lighter ones on the second, half of the mutants each
lanes=$SECONDS
if [ ${#CPUS[@]} -eq 2 ]; then
	{
		lane "${CPUS[0]}" 1
		mutants_a "${CPUS[0]}"
		echo "lane 1: $((SECONDS - lanes)) s" >"$TMP/time0"
	} >"$TMP/lane0" 2>"$W/logs/lane0.err" &
	{
		lane "${CPUS[1]}" 0
		mutants_b "${CPUS[1]}"
		echo "lane 2: $((SECONDS - lanes)) s" >"$TMP/time1"
	} >"$TMP/lane1" 2>"$W/logs/lane1.err" &
	wait
	cat "$TMP/lane0" "$TMP/lane1" >"$TMP/results"
else
	{
		lane "${CPUS[0]}" 1
		mutants_a "${CPUS[0]}"
		mutants_b "${CPUS[0]}"
	} >"$TMP/results" 2>"$W/logs/lane0.err"
fi

report_results "$TMP/results"

if [ -z "$REF_REPORT" ]; then
	skip "API report not compared: the host's reference libpmem is missing"
fi
if [ "${PMEM_AARCH64_BENCH:-0}" = 1 ]; then
	echo "kernel throughput under ${CPUS[0]} (emulated: compare families only):"
	qrun "${CPUS[0]}" "" "$W/bench_kernels"
fi
echo "aarch64 suite: $((SECONDS - start)) s (runs: $(cat "$TMP"/time* 2>/dev/null | paste -sd ';' -))"
summary
