#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The kernel matrix: the copy/fill tests rerun under every environment
# setting that selects a different code path; for each, the debug build's
# log must show the expected kernels at init (level 3) and in the calls
# themselves (level 15), and both builds must copy correctly; hotpath then
# checks that no copy, fill, flush or drain allocates, locks, reads the
# environment or makes a system call under that setting.
. "$(dirname "$0")/../lib/common.sh"

out=$PMEM_BUILD/matrix
mkdir -p "$out"
bin=$out/mem_test
log=$(mktemp)
trap 'rm -f "$log"' EXIT
$CC -O2 -Wall -Wextra -Werror -I"$PMEM_INCLUDEDIR" \
	"$PMEM_TOPDIR/tests/matrix/mem_test.c" -L"$PMEM_RELEASE_LIBDIR" \
	-lpmem -o "$bin" || { fail "matrix: build"; summary; exit 1; }
$CC -O2 -Wall -Wextra -Werror -o "$out/llc_cpuid" \
	"$PMEM_TOPDIR/tests/matrix/llc_cpuid.c" ||
	{ fail "matrix: build llc_cpuid"; summary; exit 1; }
hot=$out/hotpath
$CC -O2 -Wall -Wextra -Werror -I"$PMEM_INCLUDEDIR" \
	"$PMEM_TOPDIR/tests/matrix/hotpath.c" -L"$PMEM_RELEASE_LIBDIR" \
	-lpmem -ldl -o "$hot" || { fail "matrix: build hotpath"; summary; exit 1; }

if [ "$(uname -m)" != x86_64 ]; then
	skip "matrix: x86_64 kernel names (this is $(uname -m))"
	summary
	exit
fi

flags=$(grep -m1 '^flags' /proc/cpuinfo)
has() { [[ " $flags " == *" $1 "* ]]; }
vendor=OTHER
case $(grep -m1 '^vendor_id' /proc/cpuinfo) in
*GenuineIntel) vendor=INTEL ;;
*AuthenticAMD) vendor=AMD ;;
esac
family=$(grep -m1 '^cpu family' /proc/cpuinfo | tr -dc '0-9')
model=$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | tr -dc '0-9')

# The CPU's row of the library's own policy data (src/x86_64/policy.rows,
# the lines that start with a vendor): "mov copy fill wc subline prefetch
# overlap", families in lower case. Which row applies is decided here,
# from /proc/cpuinfo.
policy_row() {
	local v f m needs mov copy fill wc subline prefetch overlap
	while read -r v f m needs mov copy fill wc subline prefetch \
	    overlap; do
		[ "$v" = OTHER ] || [ "$v" = "$vendor" ] || continue
		[ "$f" = 0 ] || [ "$f" = "$family" ] || continue
		[ "$m" = 0 ] || [ "$m" = "$model" ] || continue
		[ "$needs" = ANY ] || has "${needs,,}" || continue
		echo "${mov,,} ${copy,,} ${fill,,} $wc $subline $prefetch" \
			"$overlap"
		return
	done < <(grep '^[A-Z]' "$PMEM_TOPDIR/src/x86_64/policy.rows")
}
read -r row_mov row_copy row_fill row_wc row_subline row_prefetch row_overlap \
	< <(policy_row)
echo "policy row for $vendor family $family model $model:" \
	"ordinary $row_mov," \
	"streaming copies $row_copy, fills $row_fill, WC barrier $row_wc," \
	"streamed partial lines $row_subline, prefetch $row_prefetch," \
	"overlap limit $row_overlap"

# the environment narrows or widens a family: PMEM_AVX=0 leaves SSE2,
# PMEM_AVX512F=0 forbids AVX-512, PMEM_AVX512F=1 asks for it
vectors() {
	local fam=$1 env=$2
	if ! has avx || [[ $env == *" PMEM_AVX=0 "* ]]; then
		echo sse2
	elif [ "$fam" = avx ] && has avx512f && [ -z "${NO_AVX512F_KERNELS:-}" ] &&
	    [[ $env == *" PMEM_AVX512F=1 "* ]]; then
		echo avx512f
	elif [ "$fam" = avx512f ] && { ! has avx512f ||
	    [[ $env == *" PMEM_AVX512F=0 "* ]]; }; then
		echo avx
	else
		echo "$fam"
	fi
}

# expected "<ordinary> <streaming copy> <streaming fill> <flush> <wc>" for
# an environment
expect() {
	local env=" $* " flush=clflush wc=$row_wc copy=$row_copy asked=0
	# MOVDIR64B: where the row or the variable asks, unless it is 0;
	# a row's MOVDIR64B the CPU lacks falls back to the widest vectors
	if [[ $env == *" PMEM_MOVDIR64B="* ]]; then
		[[ $env != *" PMEM_MOVDIR64B=0 "* ]] && asked=1
	elif [ "$copy" = movdir64b ]; then
		asked=1
	fi
	if [ "$asked" = 1 ] && has movdir64b &&
	    [ -z "${NO_MOVDIR64B_KERNELS:-}" ]; then
		copy=movdir64b
	else
		[ "$copy" = movdir64b ] && copy=avx512f
		copy=$(vectors "$copy" "$env")
	fi
	if has clwb && [[ $env != *" PMEM_NO_CLWB=1 "* ]]; then
		flush=clwb
	elif has clflushopt && [[ $env != *" PMEM_NO_CLFLUSHOPT=1 "* ]]; then
		flush=clflushopt
	fi
	[[ $env == *" PMEM_NO_FLUSH=1 "* ]] && flush=noflush
	[[ $env == *" PMEM_WC_WORKAROUND=1 "* ]] && wc=1
	[[ $env == *" PMEM_WC_WORKAROUND=0 "* ]] && wc=0
	echo "$(vectors "$row_mov" "$env") $copy $(vectors "$row_fill" "$env")" \
		"$flush $wc"
}

# runs one environment; $1 = description, rest = VAR=value...
run_env() {
	local vec nt fill fl wc sfx=""
	read -r vec nt fill fl wc < <(expect "$@")
	# the barrier variant stores partial lines; otherwise the row says
	if [ "$wc" = 1 ]; then
		sfx=_wcbarrier
	elif [ "$row_subline" = 1 ]; then
		sfx=_subline
	fi
	local mov="memmove_mov_${vec}_${fl}" movnt="memmove_movnt_${nt}_${fl}${sfx}"
	local setmov="memset_mov_${vec}_${fl}" setnt="memset_movnt_${fill}_${fl}${sfx}"
	local env_no_movnt=0 env_simd=0
	[[ " $* " == *" PMEM_NO_MOVNT=1 "* ]] && env_no_movnt=1
	[[ " $* " == *" PMEM_NO_GENERIC_MEMCPY=1 "* ]] && env_simd=1

	env "$@" LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR" PMEM_LOG_LEVEL=15 \
		"$bin" probe 2>"$log" || { echo "probe run failed"; return 1; }
	local want=()
	if [ $env_no_movnt = 1 ] && [ $env_simd = 0 ]; then
		want=("memmove_generic_flush\]" "memset_generic_flush\]"
			"memmove_generic_noflush\]" "PMEM_NO_MOVNT=1: generic")
	elif [ $env_no_movnt = 1 ]; then
		want=("\[memops_template.h:[0-9]+ $mov\]" "\[memops_template.h:[0-9]+ $setmov\]"
			"temporal SIMD kernels only")
	else
		want=("\[memops_template.h:[0-9]+ $mov\]" "\[memops_template.h:[0-9]+ $movnt\]"
			"\[memops_template.h:[0-9]+ $setmov\]" "\[memops_template.h:[0-9]+ $setnt\]"
			"memmove non-temporal: $movnt$")
	fi
	local prefetched="prefetched $row_prefetch bytes ahead"
	[ "$row_prefetch" = 0 ] && prefetched="not prefetched"
	want+=("flush: $fl " "source of streaming copies: $prefetched\$")
	for w in "${want[@]}"; do
		grep -Eq -- "$w" "$log" || { echo "log lacks /$w/"; return 1; }
	done
	if [ $env_no_movnt = 1 ]; then
		grep -q "memops_template.h:[0-9]* memmove_movnt_" "$log" &&
			{ echo "a non-temporal kernel ran with PMEM_NO_MOVNT=1"; return 1; }
	fi
	env "$@" LD_LIBRARY_PATH="$PMEM_RELEASE_LIBDIR" "$bin" || return 1
	env "$@" LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR" "$bin" || return 1
	env "$@" LD_LIBRARY_PATH="$PMEM_RELEASE_LIBDIR" "$hot" >/dev/null ||
		return 1
	env "$@" LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR" "$hot" >/dev/null
}

# each watcher of hotpath catches its planted call, in the program's own
# code and in the library's (is_pmem locks, msync enters the kernel)
hotpath_catches() {
	local kind want
	for kind in malloc:malloc lock:pthread_mutex_lock getenv:getenv \
	    syscall:"system call" is_pmem:pthread_ msync:"system call"; do
		want=${kind#*:}
		kind=${kind%%:*}
		LD_LIBRARY_PATH="$PMEM_RELEASE_LIBDIR" "$hot" "plant-$kind" \
			2>"$log" && { echo "plant-$kind passed"; return 1; }
		grep -q "FAIL: .*$want" "$log" ||
			{ echo "plant-$kind: $(cat "$log")"; return 1; }
	done
}

# CPUID cannot be trapped on this hardware (no CPUID faulting in a VM), so
# the no-per-call-CPUID rule is checked in the code: the instruction lives
# in one function, and only the load-time arch_init calls it
cpuid_at_load_only() {
	local dis where callers
	dis=$(objdump -d --no-show-raw-insn "$PMEM_RELEASE_LIBDIR/libpmem.so.1") ||
		return 1
	where=$(awk '/^[0-9a-f]+ <.*>:$/ { fn = $2 } /\tcpuid/ { print fn }' \
		<<<"$dis" | sort -u | tr -d '<>:' | xargs)
	callers=$(awk '/^[0-9a-f]+ <.*>:$/ { fn = $2 } /call.*<cpu_features>/ \
		{ print fn }' <<<"$dis" | sort -u | tr -d '<>:' | xargs)
	[ "$where" = cpu_features ] && [ "$callers" = arch_init ] ||
		{ echo "cpuid in: $where; cpu_features called by: $callers"; return 1; }
}

# the streaming stores of one line stay together in every non-temporal
# kernel the compiler built (nt_order.awk says why), and the checker flags
# a planted interleaving like the one it once found
nt_lines_together() {
	objdump -d --no-show-raw-insn "$PMEM_RELEASE_LIBDIR/libpmem.so.1" |
		awk -f "$PMEM_TOPDIR/tests/matrix/nt_order.awk" || return 1
	printf '%b\n' '0000000000001000 <memmove_movnt_avx_clwb>:' \
		'    1000:\tvmovntdq %ymm6,-0xe0(%rdx)' \
		'    1008:\tvmovntdq %ymm5,-0xc0(%rdx)' \
		'    1010:\tvmovntdq %ymm4,-0xa0(%rdx)' \
		'    1018:\tvmovntdq %ymm7,-0x100(%rdx)' >"$log"
	! awk -f "$PMEM_TOPDIR/tests/matrix/nt_order.awk" "$log" >/dev/null ||
		{ echo "nt_order.awk missed a planted interleaving"; return 1; }
}

# the last-level cache by sysfs, as the library reads it (0: unknown)
sysfs_llc() {
	local d best=0 level=0 l t sz
	for d in /sys/devices/system/cpu/cpu0/cache/index*; do
		t=$(cat "$d/type" 2>/dev/null) || continue
		[ "$t" = Instruction ] && continue
		l=$(cat "$d/level") sz=$(cat "$d/size")
		[ "$l" -ge "$level" ] || continue
		level=$l
		case $sz in
		*K) best=$((${sz%K} << 10)) ;;
		*M) best=$((${sz%M} << 20)) ;;
		*) best=$sz ;;
		esac
	done
	echo $best
}

# Unflagged overlapping moves use ordinary stores below the policy row's
# limit and half the last-level cache (CPUID and sysfs, the smaller when
# both know it), and stream from there: the describe line names that size
# and the kernels change there. A limit at or below the non-temporal
# threshold leaves the threshold to decide.
overlap_boundary() {
	local cpuid sys llc n
	cpuid=$("$out/llc_cpuid") sys=$(sysfs_llc)
	llc=$cpuid
	[ "$llc" = 0 ] && llc=$sys
	[ "$cpuid" != 0 ] && [ "$sys" != 0 ] && [ "$sys" -lt "$cpuid" ] && llc=$sys
	n=$row_overlap
	[ "$n" = LLC ] && n=-1
	if [ "$llc" != 0 ]; then
		if [ "$n" = -1 ] || [ $((llc / 2)) -lt "$n" ]; then
			n=$((llc / 2))
		fi
	fi
	[ "$n" = -1 ] && { echo "no limit: cache size unknown"; return 77; }
	if [ "$n" -le 256 ]; then
		LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR" PMEM_LOG_LEVEL=15 \
			"$bin" overlap 4096 2>"$log" || return 1
		grep -q "overlapping moves: as other copies" "$log" &&
		grep -Eq "memmove_movnt_[a-z0-9_]+\] dst .* len 4096\$" "$log" ||
			{ grep -E 'overlapping|len 4096$' "$log"; return 1; }
		return
	fi
	LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR" PMEM_LOG_LEVEL=15 \
		"$bin" overlap "$n" 2>"$log" || { echo "overlap $n failed"; return 1; }
	grep -q "overlapping moves: ordinary stores below $n bytes" "$log" &&
	grep -Eq "memmove_mov_[a-z0-9_]+\] dst .* len $((n - 1))\$" "$log" &&
	grep -Eq "memmove_movnt_[a-z0-9_]+\] dst .* len $n\$" "$log" ||
		{ grep -E 'overlapping|len '"$((n - 1))"'$|len '"$n"'$' "$log"; return 1; }
}

# the default threshold: 255 bytes with ordinary stores, 256 streaming, for
# copies and fills alike
threshold_edge() {
	LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR" PMEM_LOG_LEVEL=15 "$bin" probe \
		2>"$log" || return 1
	grep -q 'non-temporal threshold: 256 bytes' "$log" &&
	grep -Eq 'memmove_mov_[a-z0-9]+_[a-z]+\] dst .* len 255$' "$log" &&
	grep -Eq 'memmove_movnt_[a-z0-9_]+\] dst .* len 256$' "$log" &&
	grep -Eq 'memset_mov_[a-z0-9]+_[a-z]+\] dst .* len 255$' "$log" &&
	grep -Eq 'memset_movnt_[a-z0-9_]+\] dst .* len 256$' "$log" ||
		{ grep -E 'threshold|len 25[56]$' "$log"; return 1; }
}

threshold() { # PMEM_MOVNT_THRESHOLD changes which kernel a 100-byte copy uses
	env PMEM_MOVNT_THRESHOLD=0 LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR" \
		PMEM_LOG_LEVEL=15 "$bin" probe 2>"$log" || return 1
	grep -q 'non-temporal threshold: 0 bytes' "$log" &&
	grep -Eq 'memmove_movnt_[a-z0-9_]+\] dst 0x[0-9a-f]+ src 0x[0-9a-f]+ len 100$' "$log" &&
	env PMEM_MOVNT_THRESHOLD=1000000 LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR" \
		PMEM_LOG_LEVEL=15 "$bin" probe 2>"$log" &&
	! grep -Eq 'memmove_movnt_[a-z0-9_]+\] .* len 4096$' "$log" &&
	env PMEM_MOVNT_THRESHOLD=0 LD_LIBRARY_PATH="$PMEM_RELEASE_LIBDIR" "$bin"
}

envs=(
	""
	"PMEM_NO_CLWB=1"
	"PMEM_NO_CLWB=1 PMEM_NO_CLFLUSHOPT=1"
	"PMEM_NO_FLUSH=1"
	"PMEM_NO_FLUSH=0"
	"PMEM_AVX=0"
	"PMEM_AVX512F=0"
	"PMEM_AVX512F=0 PMEM_AVX=0"
	"PMEM_AVX512F=1"
	"PMEM_AVX512F=1 PMEM_MOVDIR64B=1"
	"PMEM_MOVDIR64B=1"
	"PMEM_MOVDIR64B=0"
	"PMEM_NO_MOVNT=1"
	"PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=1"
	"PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=1 PMEM_AVX=0"
)
for e in "${envs[@]}"; do
	for wc in "" "PMEM_WC_WORKAROUND=0" "PMEM_WC_WORKAROUND=1"; do
		set -- $e $wc
		check "matrix [${*:-defaults}]" run_env "$@"
	done
done
check "matrix [PMEM_MOVNT_THRESHOLD=0 / 1000000]" threshold
check "matrix: the default threshold, 255 and 256 bytes" threshold_edge
check "matrix: hotpath self-test: each planted call is caught" hotpath_catches
check "matrix: cpuid runs only at load time (in cpu_features, from arch_init)" \
	cpuid_at_load_only
check "matrix: each line's streaming stores are issued together" \
	nt_lines_together
check "matrix: overlapping moves stream from the policy's limit (row $row_overlap, half the LLC)" \
	overlap_boundary
has avx512f || skip "matrix: avx512f kernels not run: CPU has no AVX-512F"
has movdir64b || skip "matrix: movdir64b kernels not run: CPU has no MOVDIR64B"
summary
