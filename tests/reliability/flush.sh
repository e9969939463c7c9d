# SPDX-License-Identifier: BSD-3-Clause
# flush: flush coverage. The library built with -DPMEM_TRACE reports every
# store, stream, flush and fence to trace_check.c; flushcov.c checks each
# kernel of each family the CPU runs, flushcov_api.c the API on top, both
# with a self-test that planted defects (a dropped flush or fence, a late
# store, a stray flush) are caught.

sub_flush() {
	local d=$RT_OUT/trace o defs="" f
	if [ "$(uname -m)" != x86_64 ]; then
		skip "flush: the kernel tables checked here are x86_64's"
		return
	fi
	if ! rt_build_lib "$d" "$CC" -O1 -g -DPMEM_TRACE; then
		fail "flush: building the library with -DPMEM_TRACE"
		return
	fi
	o=$d/obj
	local inc="-DPMEM_TRACE -I$PMEM_TOPDIR/src -I$PMEM_TOPDIR/src/x86_64"
	# both link the whole traced library: flushcov for arch_kernels()
	# shellcheck disable=SC2086,SC2046
	if ! rt_prog "$d/flushcov" "$CC" -O2 $inc "$here/flushcov.c" \
		"$here/trace_check.c" \
		"$PMEM_TOPDIR"/tests/lib/emu_{avx512f,movdir64b}.c \
		$(cat "$d/objs") -lpthread ||
	    ! rt_prog "$d/flushcov_api" "$CC" -O2 $inc \
		"$here/flushcov_api.c" "$here/trace_check.c" \
		$(cat "$d/objs") -lpthread; then
		fail "flush: building the flush-coverage tests"
		return
	fi
	for f in avx512f movdir64b; do
		[ -f "$o/x86_64/memops_$f.o" ] ||
			skip "flush: $CC cannot build the $f kernels"
	done

	rt_run "flush: self-test: every planted kernel trace defect is caught" \
		"$RT_WORK/fc-self.log" "$d/flushcov" selftest
	grep -h '^self-test' "$RT_WORK/fc-self.log"
	rt_run "flush: every kernel variant, sizes 0..1024 and up to 1 MiB,$(
		) dst offsets 0..63" "$RT_WORK/fc.log" "$d/flushcov"
	grep -hE '^(flushcov|[0-9]+ variants)' "$RT_WORK/fc.log"
	# families and flush instructions this CPU cannot run
	while read -r line; do
		skip "flush: ${line#SKIP: } (the CI machine may have it)"
	done < <(grep '^SKIP: ' "$RT_WORK/fc.log")

	rt_run "flush: API self-test: planted API trace defects are caught" \
		"$RT_WORK/fca-self.log" "$d/flushcov_api" selftest
	local envs=("" "PMEM_WC_WORKAROUND=1" "PMEM_WC_WORKAROUND=0"
		"PMEM_NO_FLUSH=1" "PMEM_NO_FLUSH=0" "PMEM_NO_MOVNT=1"
		"PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=1" "PMEM_AVX=0"
		"PMEM_MOVNT_THRESHOLD=0" "PMEM_NO_CLWB=1 PMEM_NO_CLFLUSHOPT=1")
	local e
	for e in "${envs[@]}"; do
		# shellcheck disable=SC2086
		rt_run "flush: API persist/nodrain/flush ${e:-(default env)}" \
			"$RT_WORK/fca.log" env $e "$d/flushcov_api"
	done
}
