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
	local v f m needs mov copy fill wc subline prefetch overlap far farmov
	while read -r v f m needs mov copy fill wc subline prefetch \
	    overlap far farmov; do
		[ "$v" = OTHER ] || [ "$v" = "$vendor" ] || continue
		[ "$f" = 0 ] || [ "$f" = "$family" ] || continue
		[ "$m" = 0 ] || [ "$m" = "$model" ] || continue
		[ "$needs" = ANY ] || has "${needs,,}" || continue
		echo "${mov,,} ${copy,,} ${fill,,} $wc $subline $prefetch" \
			"$overlap $far $farmov"
		return
	done < <(grep '^[A-Z]' "$PMEM_TOPDIR/src/x86_64/policy.rows")
}
read -r row_mov row_copy row_fill row_wc row_subline row_prefetch row_overlap \
	row_far row_farmov < <(policy_row)
echo "policy row for $vendor family $family model $model:" \
	"ordinary $row_mov," \
	"streaming copies $row_copy, fills $row_fill, WC barrier $row_wc," \
	"streamed partial lines $row_subline, prefetch $row_prefetch," \
	"overlap limit $row_overlap, far moves from $row_far apart below" \
	"$row_farmov"

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

# The size from which unflagged overlapping moves stream: the policy
# row's limit and half the last-level cache (CPUID and sysfs, the smaller
# when both know it); -1 when neither the row nor the cache size sets one.
overlap_limit() {
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
	echo "$n"
}

# the describe line of the far rule: present with the row's distance and
# limit where the row has one, absent otherwise
far_described() {
	local lim=$1
	if [ "$row_far" = 0 ]; then
		! grep -q "far overlapping moves" "$log" ||
			{ grep "far overlapping" "$log"; return 1; }
		return
	fi
	grep -q "far overlapping moves: ordinary stores below $lim bytes $(
		)where whole lines lie $row_far bytes or more apart" "$log" ||
		{ echo "no far rule of $lim from $row_far in the log:"
		  grep -i "overlapping" "$log"; return 1; }
}

# Unflagged overlapping moves use ordinary stores below the policy row's
# limit and half the last-level cache, and stream from there: the describe
# line names that size and the kernels change there. A limit at or below
# the non-temporal threshold leaves the threshold to decide. The moves are
# to one byte past a line, so a row's far rule for moves that write whole
# lines does not decide instead (far_boundary checks that).
overlap_boundary() {
	local n far_lim
	n=$(overlap_limit)
	[ "$n" = -1 ] && { echo "no limit: cache size unknown"; return 77; }
	far_lim=$n
	[ "$row_far" != 0 ] && [ "$row_farmov" -lt "$n" ] && far_lim=$row_farmov
	if [ "$n" -le 256 ]; then
		LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR" PMEM_LOG_LEVEL=15 \
			"$bin" overlap 4096 2>"$log" || return 1
		grep -q "overlapping moves: as other copies" "$log" &&
		grep -Eq "memmove_movnt_[a-z0-9_]+\] dst .* len 4096\$" "$log" ||
			{ grep -E 'overlapping|len 4096$' "$log"; return 1; }
		far_described "$far_lim"
		return
	fi
	LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR" PMEM_LOG_LEVEL=15 \
		"$bin" overlap "$n" 2>"$log" || { echo "overlap $n failed"; return 1; }
	grep -q "overlapping moves: ordinary stores below $n bytes" "$log" &&
	grep -Eq "memmove_mov_[a-z0-9_]+\] dst .* len $((n - 1))\$" "$log" &&
	grep -Eq "memmove_movnt_[a-z0-9_]+\] dst .* len $n\$" "$log" ||
		{ grep -E 'overlapping|len '"$((n - 1))"'$|len '"$n"'$' "$log"; return 1; }
	far_described "$far_lim"
}

# far_move KIND DIST LEN DIR DOFF: one unflagged move of LEN bytes DIST
# apart to a line-aligned dst + DOFF, above (up) or below (down) its
# source, must move the data right, and the level-15 log must name a
# memmove_KIND_ kernel for it ($far_env: the environment it runs under)
far_move() {
	local kind=$1 dist=$2 len=$3 dir=$4 doff=$5
	# shellcheck disable=SC2086
	env $far_env LD_LIBRARY_PATH="$PMEM_DEBUG_LIBDIR" PMEM_LOG_LEVEL=15 \
		"$bin" far "$dist" "$len" "$dir" "$doff" 2>"$log" ||
		{ echo "far $dist $len $dir $doff: the move failed"; return 1; }
	grep -Eq "memmove_${kind}_[a-z0-9_]+\] dst .* len $len\$" "$log" &&
		return
	echo "[${far_env:-defaults}] a move of $len bytes $dist apart, dst" \
		"$dir at a line + $doff: want memmove_${kind}_*, the log says:"
	grep -E "memmove_[a-z0-9_]+\] dst .* len $len\$|overlapping" "$log"
	return 1
}

# Whole-line overlapping moves (dst and length multiples of 64) that lie
# the policy row's far distance or more apart stream from the row's far
# limit (capped by the overlap limit), the other moves of that size keep
# ordinary stores: one line shorter, one byte nearer, a dst off its line,
# one byte longer. Both directions, under each environment of envs_far
# (the limits are the same under each; only the kernel names change).
far_boundary() {
	local n lim dir near bad=0 e
	if [ "$row_far" = 0 ]; then
		echo "the policy row for this CPU has no far rule"
		return 77
	fi
	n=$(overlap_limit)
	[ "$n" = -1 ] && n=$((1 << 62))
	lim=$row_farmov
	[ "$n" -lt "$lim" ] && lim=$n
	if [ "$lim" -le 256 ] || [ "$row_far" -ge $((lim - 64)) ]; then
		echo "far limit $lim from $row_far apart: at or below the" \
			"threshold, or no whole-line move below it overlaps"
		return 77
	fi
	near=$((row_far - 1))
	for e in "${envs_far[@]}"; do
		far_env=$e
		for dir in up down; do
			far_move mov "$row_far" $((lim - 64)) $dir 0 &&
			far_move movnt "$row_far" "$lim" $dir 0 || bad=1
			[ $((lim + 1)) -lt "$n" ] || continue
			# outside the far rule: the overlap limit decides
			if [ "$near" -ge 1 ]; then
				far_move mov "$near" "$lim" $dir 0 || bad=1
			fi
			far_move mov "$row_far" "$lim" $dir 1 &&
			far_move mov "$row_far" $((lim + 1)) $dir 0 || bad=1
		done
	done
	far_env=
	return $bad
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
# PMEM_NO_MOVNT=1 streams nothing and PMEM_MOVNT_THRESHOLD moves the
# threshold under the limits, so far_boundary runs where the limits hold:
# the defaults and settings that only rename the kernels
envs_far=("" "PMEM_AVX=0" "PMEM_AVX512F=1 PMEM_MOVDIR64B=1"
	"PMEM_NO_CLWB=1 PMEM_WC_WORKAROUND=1")
check "matrix: far whole-line overlapping moves stream from the row's $(
	)far limit (row: $row_far apart, $row_farmov)" far_boundary
has avx512f || skip "matrix: avx512f kernels not run: CPU has no AVX-512F"
has movdir64b || skip "matrix: movdir64b kernels not run: CPU has no MOVDIR64B"
summary
