# SPDX-License-Identifier: BSD-3-Clause
# sanitize: the library built with -fsanitize=address,undefined, under the
# API and kernel stress tests (shared library, and statically linked with
# fakedax.c so the pmem range registry is exercised too).

sub_sanitize() {
	local d=$RT_OUT/asan
	local san="-fsanitize=address,undefined -fno-sanitize-recover=all"
	local cflags="-O2 -g -fno-omit-frame-pointer $san"
	local -x ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0
	local -x UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

	if ! rt_san_runs "$CC" $san; then
		skip "sanitize: $CC cannot build or run programs with $san"
		return
	fi
	if ! ASAN_OPTIONS=detect_leaks=1 rt_san_runs "$CC" $san; then
		echo "note: LeakSanitizer cannot run here; leak checks off"
		ASAN_OPTIONS=detect_leaks=0:halt_on_error=1
	fi
	if ! rt_build_lib "$d" "$CC" $cflags; then
		fail "sanitize: building the library with $san"
		return
	fi
	if ! rt_prog_on "$d" api_stress $cflags ||
	    ! rt_prog_on "$d" kernel_stress $cflags ||
	    ! rt_prog_fakedax "$d" api_stress $cflags; then
		fail "sanitize: building the stress tests"
		return
	fi

	rt_run "sanitize: API stress (ASan+UBSan library)" \
		"$RT_WORK/asan-api.log" "$d/api_stress" 40
	RT_EXPECT_PMEM=1 rt_run \
		"sanitize: API stress, fake DAX: every mapping registered" \
		"$RT_WORK/asan-fakedax.log" "$d/api_stress_fakedax" 40
	local envs=("" "PMEM_AVX=0" "PMEM_NO_MOVNT=1"
		"PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=1"
		"PMEM_MOVNT_THRESHOLD=0" "PMEM_WC_WORKAROUND=1"
		"PMEM_NO_FLUSH=1" "PMEM_NO_CLWB=1 PMEM_NO_CLFLUSHOPT=1")
	local e
	for e in "${envs[@]}"; do
		# shellcheck disable=SC2086
		rt_run "sanitize: kernel stress ${e:-(default env)}" \
			"$RT_WORK/asan-kernel.log" env $e "$d/kernel_stress"
	done
	rt_kernel_families_note sanitize

	# the instrumentation reaches the kernels: a 1-byte overflow is seen
	rt_expect_fail "sanitize: ASan reports a planted overflow in kernels" \
		"WRITE of size [0-9]+ at" \
		"$d/kernel_stress" plant-write
	rt_expect_fail "sanitize: ASan reports a planted over-read too" \
		"READ of size [0-9]+ at" \
		"$d/kernel_stress" plant-read
}
